/**
 * The frame every chart shares. A chart is a standalone SVG document as a string (xmlns, `<title>`, `<desc>` with a
 * text alternative, white background, dark text), so the same string goes into the page, a `.svg` file in the
 * report bundle, or a data URI in the single-file report, and is made the same way in a worker or in Node.
 * Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies); series also differ
 * by marker shape. Scales and ticks come from d3-scale.
 */
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';

export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
export const INK = '#1b1f24';
export const MUTED = '#57606a';
export const GRID = '#d8dee4';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export type ScaleKind = 'linear' | 'log2' | 'log10';

export interface ChartBase {
  title: string;
  /** The text alternative: what the chart shows, in words. Each chart makes one from its data when this is absent. */
  description?: string;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Two decimals are plenty for pixel positions. */
export const px = (n: number) => Math.round(n * 100) / 100;

/** Tick and value labels: short, without float noise. */
export function tickLabel(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(1).replace('.0e', 'e');
  if (abs >= 1000) return `${Number((value / 1000).toPrecision(4))}k`;
  return String(Number(value.toPrecision(4)));
}

export interface Axis {
  ticks: number[];
  map: (v: number) => number;
  /** Values this axis can show (positive ones on a log scale). */
  accepts: (v: number) => boolean;
}

/** An axis over `values` mapped onto [from, to], with nice ticks. */
export function axis(values: number[], kind: ScaleKind, from: number, to: number, includeZero = false, tickCount = 6): Axis {
  const accepts = (v: number) => Number.isFinite(v) && (kind === 'linear' || v > 0);
  const finite = values.filter(accepts);
  if (kind !== 'linear') {
    const base = kind === 'log2' ? 2 : 10;
    const lo = finite.length ? Math.min(...finite) : 1;
    const hi = finite.length ? Math.max(...finite) : base;
    const low = base ** Math.floor(Math.log(lo) / Math.log(base) + 1e-9);
    const high = base ** Math.ceil(Math.log(hi) / Math.log(base) - 1e-9);
    const scale = scaleLog().base(base).domain([low, Math.max(high, low * base)]).range([from, to]);
    const powers: number[] = [];
    for (let v = low; v <= scale.domain()[1]! * (1 + 1e-9); v *= base) powers.push(v);
    const stride = Math.max(1, Math.ceil(powers.length / 9));
    return { ticks: powers.filter((_, i) => i % stride === 0), map: (v) => scale(v), accepts };
  }
  let min = finite.length ? Math.min(...finite) : 0;
  let max = finite.length ? Math.max(...finite) : 1;
  if (includeZero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const scale: ScaleContinuousNumeric<number, number> = scaleLinear().domain([min, max]).range([from, to]).nice(tickCount);
  return { ticks: scale.ticks(tickCount), map: (v) => scale(v), accepts };
}

/** The SVG document around a chart's body. */
export function svgDocument(o: ChartBase, width: number, height: number, body: string, fallbackDescription: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="${escapeXml(FONT)}" font-size="12">`,
    `<title>${escapeXml(o.title)}</title>`,
    `<desc>${escapeXml(o.description ?? fallbackDescription)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="${INK}">${escapeXml(o.title)}</text>`,
    body,
    '</svg>',
  ].join('\n');
}

export function axisLabels(o: ChartBase, left: number, top: number, right: number, bottom: number): string {
  const out: string[] = [];
  if (o.xLabel) out.push(`<text x="${px((left + right) / 2)}" y="${bottom + 36}" text-anchor="middle" fill="${MUTED}">${escapeXml(o.xLabel)}</text>`);
  if (o.yLabel) {
    const cy = px((top + bottom) / 2);
    out.push(`<text x="14" y="${cy}" transform="rotate(-90 14 ${cy})" text-anchor="middle" fill="${MUTED}">${escapeXml(o.yLabel)}</text>`);
  }
  return out.join('\n');
}

export function yGrid(y: Axis, left: number, right: number): string {
  return y.ticks
    .map((t) => {
      const py = px(y.map(t));
      return `<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" stroke="${GRID}"/><text x="${left - 6}" y="${py + 4}" text-anchor="end" fill="${MUTED}">${tickLabel(t)}</text>`;
    })
    .join('\n');
}

export function xGrid(x: Axis, top: number, bottom: number): string {
  return x.ticks
    .map((t) => {
      const p = px(x.map(t));
      return `<line x1="${p}" x2="${p}" y1="${top}" y2="${bottom}" stroke="${GRID}"/><text x="${p}" y="${bottom + 16}" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`;
    })
    .join('\n');
}

export const markers = [
  (x: number, y: number, c: string) => `<circle cx="${x}" cy="${y}" r="4" fill="${c}"/>`,
  (x: number, y: number, c: string) => `<rect x="${px(x - 4)}" y="${px(y - 4)}" width="8" height="8" fill="${c}"/>`,
  (x: number, y: number, c: string) => `<path d="M${x} ${px(y - 5)}L${px(x + 5)} ${px(y + 4)}L${px(x - 5)} ${px(y + 4)}Z" fill="${c}"/>`,
  (x: number, y: number, c: string) => `<path d="M${x} ${px(y - 5)}L${px(x + 5)} ${y}L${x} ${px(y + 5)}L${px(x - 5)} ${y}Z" fill="${c}"/>`,
];

/** A legend in a column at (x, top), one row per entry with its marker or colour swatch. */
export function legend(entries: { name: string; color: string; marker?: number }[], x: number, top: number): string {
  return entries
    .map((e, i) => {
      const ly = top + 8 + i * 18;
      const mark = e.marker === undefined ? `<rect x="${x - 5}" y="${ly - 5}" width="10" height="10" fill="${e.color}"/>` : markers[e.marker % markers.length]!(x, ly, e.color);
      return `${mark}<text x="${x + 10}" y="${ly + 4}" fill="${INK}">${escapeXml(e.name)}</text>`;
    })
    .join('\n');
}
