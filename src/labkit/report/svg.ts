/**
 * A tiny, dependency-free SVG chart helper for lab pages and lab reports: bar, scatter and line charts.
 *
 * Every function returns a standalone SVG document as a string (with `xmlns`, a `<title>` and a `<desc>`), on a
 * white background with dark text, so the same string can be shown in the page (`element.innerHTML = svg`),
 * saved as a `.svg` file, or embedded in Markdown (see report.ts). Colours are the Okabe–Ito palette, which
 * stays distinguishable for the common forms of colour blindness; series are also told apart by marker shape.
 */

export type Scale = 'linear' | 'log2' | 'log10';

export interface ChartBase {
  title: string;
  /** What the chart shows, for screen readers and for the report's alt text. */
  description?: string;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
}

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

export interface BarChartOptions extends ChartBase {
  bars: Bar[];
  /** Appended to value labels, e.g. "KB". */
  unit?: string;
  /** Start the value axis at zero (default true). */
  zero?: boolean;
}

export interface Point {
  x: number;
  y: number;
  /** Printed next to the point (scatter) . */
  label?: string;
}

export interface Series {
  name: string;
  points: Point[];
  color?: string;
}

export interface XYChartOptions extends ChartBase {
  series: Series[];
  xScale?: Scale;
  yScale?: Scale;
  /** Include zero on the y axis (default false). */
  yZero?: boolean;
}

export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const INK = '#1b1f24';
const MUTED = '#57606a';
const GRID = '#d8dee4';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const r = (n: number) => Math.round(n * 100) / 100;

/** Tick labels: short, without float noise. */
export function tickLabel(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(1).replace('.0e', 'e');
  if (abs >= 1000) return `${Number((value / 1000).toPrecision(4))}k`;
  return String(Number(value.toPrecision(4)));
}

/** "Nice" ticks (1, 2, 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.max(first + 1, Math.ceil(max / step - 1e-9));
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

function logTicks(min: number, max: number, base: 2 | 10): number[] {
  const lo = Math.floor(Math.log(min) / Math.log(base));
  const hi = Math.ceil(Math.log(max) / Math.log(base));
  const ticks: number[] = [];
  const stride = Math.max(1, Math.ceil((hi - lo) / 9));
  for (let e = lo; e <= hi; e += stride) ticks.push(base ** e);
  if (ticks.length < 2) ticks.push(base ** (lo + 1));
  return ticks;
}

interface Axis {
  ticks: number[];
  map: (v: number) => number;
}

function axis(values: number[], scale: Scale, from: number, to: number, includeZero: boolean): Axis {
  const finite = values.filter((v) => Number.isFinite(v) && (scale === 'linear' || v > 0));
  if (scale !== 'linear') {
    const base = scale === 'log2' ? 2 : 10;
    const ticks = finite.length ? logTicks(Math.min(...finite), Math.max(...finite), base) : [1, base];
    const lo = Math.log(ticks[0]!);
    const hi = Math.log(ticks.at(-1)!);
    return { ticks, map: (v) => from + ((Math.log(v) - lo) / (hi - lo || 1)) * (to - from) };
  }
  let min = finite.length ? Math.min(...finite) : 0;
  let max = finite.length ? Math.max(...finite) : 1;
  if (includeZero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  const ticks = niceTicks(min, max);
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  return { ticks, map: (v) => from + ((v - lo) / (hi - lo || 1)) * (to - from) };
}

function frame(o: ChartBase, width: number, height: number, body: string, fallbackDesc: string): string {
  const desc = o.description ?? fallbackDesc;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="${escapeXml(FONT)}" font-size="12">`,
    `<title>${escapeXml(o.title)}</title>`,
    `<desc>${escapeXml(desc)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="${INK}">${escapeXml(o.title)}</text>`,
    body,
    '</svg>',
  ].join('\n');
}

function axisLabels(o: ChartBase, left: number, top: number, right: number, bottom: number): string {
  const out: string[] = [];
  if (o.xLabel) out.push(`<text x="${r((left + right) / 2)}" y="${bottom + 36}" text-anchor="middle" fill="${MUTED}">${escapeXml(o.xLabel)}</text>`);
  if (o.yLabel) {
    const cy = r((top + bottom) / 2);
    out.push(`<text x="14" y="${cy}" transform="rotate(-90 14 ${cy})" text-anchor="middle" fill="${MUTED}">${escapeXml(o.yLabel)}</text>`);
  }
  return out.join('\n');
}

function yGrid(y: Axis, left: number, right: number): string {
  return y.ticks
    .map((t) => {
      const py = r(y.map(t));
      return `<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" stroke="${GRID}"/><text x="${left - 6}" y="${py + 4}" text-anchor="end" fill="${MUTED}">${tickLabel(t)}</text>`;
    })
    .join('\n');
}

/** A vertical bar chart with value labels. */
export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const left = 64;
  const right = width - 16;
  const top = 36;
  const bottom = height - (o.xLabel ? 64 : 48);
  const values = o.bars.map((b) => b.value).filter(Number.isFinite);
  const y = axis(values, 'linear', bottom, top, o.zero ?? true);
  const slot = (right - left) / Math.max(1, o.bars.length);
  const barWidth = Math.max(4, Math.min(64, slot * 0.7));
  const base = r(y.map(Math.max(y.ticks[0]!, Math.min(0, y.ticks.at(-1)!))));
  const unit = o.unit ? ` ${o.unit}` : '';
  const bars = o.bars
    .map((b, i) => {
      const cx = left + slot * (i + 0.5);
      const label = `<text x="${r(cx)}" y="${bottom + 16}" text-anchor="middle" fill="${INK}">${escapeXml(b.label)}</text>`;
      if (!Number.isFinite(b.value)) return `${label}<text x="${r(cx)}" y="${bottom - 6}" text-anchor="middle" fill="${MUTED}">n/a</text>`;
      const py = r(y.map(b.value));
      const color = b.color ?? palette[i % palette.length]!;
      return [
        `<rect x="${r(cx - barWidth / 2)}" y="${Math.min(py, base)}" width="${r(barWidth)}" height="${r(Math.abs(base - py))}" fill="${color}"><title>${escapeXml(`${b.label}: ${tickLabel(b.value)}${unit}`)}</title></rect>`,
        `<text x="${r(cx)}" y="${r(Math.min(py, base) - 4)}" text-anchor="middle" fill="${INK}">${escapeXml(tickLabel(b.value) + unit)}</text>`,
        label,
      ].join('');
    })
    .join('\n');
  const body = [yGrid(y, left, right), `<line x1="${left}" x2="${right}" y1="${base}" y2="${base}" stroke="${INK}"/>`, bars, axisLabels(o, left, top, right, bottom)].join('\n');
  const fallback = `Bar chart. ${o.bars.map((b) => `${b.label}: ${tickLabel(b.value)}${Number.isFinite(b.value) ? unit : ''}`).join('; ')}.`;
  return frame(o, width, height, body, fallback);
}

const markers = [
  (x: number, y: number, c: string) => `<circle cx="${x}" cy="${y}" r="4" fill="${c}"/>`,
  (x: number, y: number, c: string) => `<rect x="${r(x - 4)}" y="${r(y - 4)}" width="8" height="8" fill="${c}"/>`,
  (x: number, y: number, c: string) => `<path d="M${x} ${r(y - 5)}L${r(x + 5)} ${r(y + 4)}L${r(x - 5)} ${r(y + 4)}Z" fill="${c}"/>`,
  (x: number, y: number, c: string) => `<path d="M${x} ${r(y - 5)}L${r(x + 5)} ${y}L${x} ${r(y + 5)}L${r(x - 5)} ${y}Z" fill="${c}"/>`,
];

function xyChart(o: XYChartOptions, lines: boolean): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const legend = o.series.length > 1;
  const left = 64;
  const right = width - (legend ? 150 : 20);
  const top = 36;
  const bottom = height - (o.xLabel ? 56 : 36);
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = o.series.flatMap((s) => s.points.map((p) => p.y));
  const x = axis(xs, o.xScale ?? 'linear', left, right, false);
  const y = axis(ys, o.yScale ?? 'linear', bottom, top, o.yZero ?? false);
  const ok = (p: Point) =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (o.xScale === 'log2' || o.xScale === 'log10' ? p.x > 0 : true) && (o.yScale === 'log2' || o.yScale === 'log10' ? p.y > 0 : true);
  const xGrid = x.ticks
    .map((t) => {
      const px = r(x.map(t));
      return `<line x1="${px}" x2="${px}" y1="${top}" y2="${bottom}" stroke="${GRID}"/><text x="${px}" y="${bottom + 16}" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`;
    })
    .join('\n');
  const plotted = o.series
    .map((s, i) => {
      const color = s.color ?? palette[i % palette.length]!;
      const marker = markers[i % markers.length]!;
      const pts = s.points.filter(ok).map((p) => ({ ...p, px: r(x.map(p.x)), py: r(y.map(p.y)) }));
      if (lines) pts.sort((a, b) => a.x - b.x);
      const path = lines && pts.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${p.px},${p.py}`).join(' ')}"/>` : '';
      const dots = pts
        .map(
          (p) =>
            `<g>${marker(p.px, p.py, color)}<title>${escapeXml(`${s.name}: ${p.label ? `${p.label}, ` : ''}${tickLabel(p.x)}, ${tickLabel(p.y)}`)}</title></g>` +
            (p.label && !lines ? `<text x="${r(p.px + 7)}" y="${r(p.py - 6)}" fill="${INK}" font-size="11">${escapeXml(p.label)}</text>` : ''),
        )
        .join('');
      return `<g>${path}${dots}</g>`;
    })
    .join('\n');
  const legendItems = legend
    ? o.series
        .map((s, i) => {
          const ly = top + 8 + i * 18;
          const color = s.color ?? palette[i % palette.length]!;
          return `${markers[i % markers.length]!(right + 20, ly, color)}<text x="${right + 30}" y="${ly + 4}" fill="${INK}">${escapeXml(s.name)}</text>`;
        })
        .join('\n')
    : '';
  const body = [
    yGrid(y, left, right),
    xGrid,
    `<rect x="${left}" y="${top}" width="${r(right - left)}" height="${r(bottom - top)}" fill="none" stroke="${INK}"/>`,
    plotted,
    legendItems,
    axisLabels(o, left, top, right, bottom),
  ].join('\n');
  const fallback = `${lines ? 'Line' : 'Scatter'} chart of ${o.yLabel ?? 'y'} against ${o.xLabel ?? 'x'}. ${o.series
    .map((s) => `${s.name}: ${s.points.map((p) => `${p.label ? `${p.label} ` : ''}(${tickLabel(p.x)}, ${tickLabel(p.y)})`).join(', ')}`)
    .join('; ')}.`;
  return frame(o, width, height, body, fallback);
}

/** Points, optionally labelled, one marker shape and colour per series. */
export function scatterChart(o: XYChartOptions): string {
  return xyChart(o, false);
}

/** Lines through each series' points, sorted by x. */
export function lineChart(o: XYChartOptions): string {
  return xyChart(o, true);
}
