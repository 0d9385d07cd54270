// Shared by the diagram pre-renderer (scripts/render-diagrams.mjs), the Markdown plugin that places diagrams,
// and the in-browser fallback renderer: where diagram files live, how they are named, and how they look.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { styleVersion } from './diagram-style.mjs';

export { mermaidConfig } from './diagram-style.mjs';

export const diagramsDir = fileURLToPath(new URL('../../public/diagrams/', import.meta.url));
export const diagramsUrl = '/diagrams/';
export const themes = ['light', 'dark'];

export function diagramId(source) {
  return createHash('sha256').update(`${styleVersion}\n${source.trim()}`).digest('hex').slice(0, 16);
}

export const diagramFile = (id, theme) => `${id}-${theme}.svg`;

/** Width and height of a drawn diagram, from its viewBox; undefined when it has not been drawn yet. */
export function drawnSize(id, theme) {
  const path = diagramsDir + diagramFile(id, theme);
  if (!existsSync(path)) return undefined;
  const viewBox = readFileSync(path, 'utf8').match(/viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/);
  if (!viewBox) return undefined;
  return { width: Math.ceil(Number(viewBox[3])), height: Math.ceil(Number(viewBox[4])) };
}

/** The `<desc>` of a drawing that holds its relations, one a line (scripts/render-diagrams.mjs writes it). */
const relationsPattern = /<desc data-relations="">([\s\S]*?)<\/desc>/;

const escapeXml = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const unescapeXml = (text) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/**
 * A drawing with its relations (`Ingest data → Train model`) written into it, replacing any written before.
 * @param {string} svg
 * @param {string[]} relations
 */
export function withRelations(svg, relations) {
  const desc = `<desc data-relations="">${escapeXml(relations.join('\n'))}</desc>`;
  if (relationsPattern.test(svg)) return svg.replace(relationsPattern, desc);
  return svg.replace(/^(<svg\b[^>]*>)/, `$1${desc}`);
}

/**
 * The relations written into a drawing: a list (empty for a diagram without arrows), or undefined when the drawing
 * has none written yet or is not drawn.
 * @param {string} id
 * @returns {string[] | undefined}
 */
export function drawnRelations(id) {
  const path = diagramsDir + diagramFile(id, 'light');
  if (!existsSync(path)) return undefined;
  const found = readFileSync(path, 'utf8').match(relationsPattern);
  if (!found) return undefined;
  return found[1] ? unescapeXml(found[1]).split('\n') : [];
}

/**
 * Alt text for a diagram: Mermaid's accTitle when the author gives one; otherwise its kind and the labels of its
 * nodes in order, so a screen reader hears what the diagram shows.
 */
export function diagramTitle(source) {
  const title = source.match(/^\s*accTitle\s*:\s*(.+)$/m);
  if (title) return title[1].trim();
  const kind = source.trim().split(/\s/)[0];
  const names = { flowchart: 'Flowchart', graph: 'Flowchart', sequenceDiagram: 'Sequence diagram', 'stateDiagram-v2': 'State diagram', stateDiagram: 'State diagram', classDiagram: 'Class diagram', 'xychart-beta': 'Chart', pie: 'Pie chart', gantt: 'Gantt chart', timeline: 'Timeline', mindmap: 'Mind map', erDiagram: 'Entity-relationship diagram', quadrantChart: 'Quadrant chart' };
  const labels = [...source.matchAll(/[[({]+"?([^[({\])}"\n]+)"?[\])}]+/g)]
    .map((m) => m[1].replace(/<br\s*\/?>/g, ' ').trim())
    .filter((label, i, all) => label && all.indexOf(label) === i);
  const name = names[kind] ?? 'Diagram';
  if (labels.length === 0) return name;
  const text = `${name}: ${labels.join(', ')}`;
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}
