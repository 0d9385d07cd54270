// Turns ```mermaid code blocks into <pre class="mermaid"> before Expressive Code sees them.
// The diagram source stays as text, so pages without JavaScript still show it; the browser renders it.
import { visit } from 'unist-util-visit';

export function remarkMermaid() {
  return (tree) => {
    visit(tree, 'code', (node, index, parent) => {
      if (node.lang !== 'mermaid' || !parent || index === undefined) return;
      parent.children[index] = {
        type: 'mermaidDiagram',
        data: {
          hName: 'pre',
          hProperties: { className: ['mermaid'], 'data-diagram': '' },
          hChildren: [{ type: 'text', value: node.value }],
        },
      };
    });
  };
}
