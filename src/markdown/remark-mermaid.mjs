// Places ```mermaid code blocks. A diagram drawn ahead of time by `npm run diagrams` becomes a <figure> with one
// image per theme, so reading pages ship no diagram JavaScript, and a caption: the diagram's relations as text, and,
// for a diagram whose text would be small, a link that opens it full size, where the browser zooms and pans it.
// A diagram not drawn yet (while an author edits it) becomes <pre class="mermaid">, which src/lib/mermaid-loader.ts
// draws in the browser.
import { visit } from 'unist-util-visit';
import { diagramFile, diagramId, diagramsUrl, diagramTitle, drawnRelations, drawnSize, themes } from './diagrams.mjs';

/** Mermaid draws text at 16 px; below 12 px (3/4 of its drawn size) it is too small to read. */
const READABLE_SCALE = 12 / 16;
/** The widths a diagram is shown at: the reading column on a desktop, and on a 390 px phone. */
const COLUMN = { desktop: 720, phone: 358 };

const element = (tagName, properties, children = []) => ({ type: 'element', tagName, properties, children });
const text = (value) => ({ type: 'text', value });

/** Under the diagram: a link to the full-size drawing when its text would be small, and its relations as text. */
function caption(id, width, relations) {
  const children = [];
  if (width * READABLE_SCALE > COLUMN.phone) {
    children.push(
      element('p', { className: ['diagram-zoom'] }, [
        element('a', { href: diagramsUrl + diagramFile(id, 'light') }, [text('Open the diagram full size')]),
        text(' (zoom and scroll it there)'),
      ]),
    );
  }
  if (relations.length) {
    children.push(
      element('details', { className: ['diagram-text'] }, [
        element('summary', {}, [text('The diagram as text')]),
        element('ul', {}, relations.map((relation) => element('li', {}, [text(relation)]))),
      ]),
    );
  }
  return children.length ? [element('figcaption', {}, children)] : [];
}

function figure(source) {
  const id = diagramId(source);
  const sizes = themes.map((theme) => drawnSize(id, theme));
  if (sizes.some((size) => !size)) return undefined;
  const alt = diagramTitle(source);
  const width = sizes[0].width;
  // Text under 12 px on a phone, or even in the desktop column: the classes let the page show the zoom link there.
  const className = ['diagram'];
  if (width * READABLE_SCALE > COLUMN.phone) className.push('diagram-wide');
  if (width * READABLE_SCALE > COLUMN.desktop) className.push('diagram-very-wide');
  return {
    type: 'diagramFigure',
    data: {
      hName: 'figure',
      hProperties: { className, 'data-diagram-id': id },
      hChildren: [
        ...themes.map((theme, i) =>
          element('img', {
            className: [`diagram-${theme}`],
            src: diagramsUrl + diagramFile(id, theme),
            alt,
            width: sizes[i].width,
            height: sizes[i].height,
            loading: 'lazy',
            decoding: 'async',
          }),
        ),
        ...caption(id, width, drawnRelations(id) ?? []),
      ],
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
