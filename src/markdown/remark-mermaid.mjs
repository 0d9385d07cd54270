// Places ```mermaid code blocks. A diagram drawn ahead of time by `npm run diagrams` becomes a <figure> with one
// image per theme, so reading pages ship no diagram JavaScript. A diagram not drawn yet (while an author edits it)
// becomes <pre class="mermaid">, which src/lib/mermaid-loader.ts draws in the browser.
import { visit } from 'unist-util-visit';
import { diagramFile, diagramId, diagramsUrl, diagramTitle, drawnSize, themes } from './diagrams.mjs';

function figure(source) {
  const id = diagramId(source);
  const sizes = themes.map((theme) => drawnSize(id, theme));
  if (sizes.some((size) => !size)) return undefined;
  const alt = diagramTitle(source);
  return {
    type: 'diagramFigure',
    data: {
      hName: 'figure',
      hProperties: { className: ['diagram'], 'data-diagram-id': id },
      hChildren: themes.map((theme, i) => ({
        type: 'element',
        tagName: 'img',
        properties: {
          className: [`diagram-${theme}`],
          src: diagramsUrl + diagramFile(id, theme),
          alt,
          width: sizes[i].width,
          height: sizes[i].height,
          loading: 'lazy',
          decoding: 'async',
        },
        children: [],
      })),
    },
  };
}

function fallback(source) {
  return {
    type: 'mermaidDiagram',
    data: {
      hName: 'pre',
      hProperties: { className: ['mermaid'], 'data-diagram': '' },
      hChildren: [{ type: 'text', value: source }],
    },
  };
}

export function remarkMermaid() {
  return (tree) => {
    visit(tree, 'code', (node, index, parent) => {
      if (node.lang !== 'mermaid' || !parent || index === undefined) return;
      parent.children[index] = figure(node.value) ?? fallback(node.value);
    });
  };
}
