// An Expressive Code plugin: code blocks can be focused, so a block too wide for the screen can be scrolled with the
// keyboard (WCAG 2.1.1; axe's scrollable-region-focusable).
import { visit } from 'unist-util-visit';

export function focusableCode() {
  return {
    name: 'focusable-code',
    hooks: {
      postprocessRenderedBlock: ({ renderData }) => {
        visit(renderData.blockAst, 'element', (node) => {
          if (node.tagName === 'pre') node.properties.tabIndex = 0;
        });
      },
    },
  };
}
