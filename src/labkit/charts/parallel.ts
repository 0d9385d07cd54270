/**
 * Parallel coordinates: one vertical axis per dimension (linear, log or categorical), one polyline per item. Made to
 * stay readable with hundreds of lines: lines outside the brushed ranges (or the caller's filter) are drawn faint
 * behind the others, the kept ones are coloured by their value on the colour axis (dark = low), and a line with a
 * missing value stops at that axis. `parallelLayout` gives the geometry, so an interactive view can draw and brush
 * it; `parallelChart` gives the standalone SVG (with a text alternative) for a page or a report.
 */
import { scaleLinear, scaleLog, scalePoint } from 'd3-scale';
import { escapeXml, INK, MUTED, GRID, px, svgDocument, tickLabel, type ChartBase } from './frame.ts';

export type AxisValue = number | string | boolean | null;

export interface ParallelAxis {
  name: string;
  kind: 'linear' | 'log' | 'categorical';
  /** Categorical axes: the categories, top to bottom in this order (default: as first seen). */
  categories?: AxisValue[];
  /** Flip the axis so that low values are at the top (an error, where lower is better). */
  reversed?: boolean;
}

export interface ParallelLine {
  id: string;
  /** One value per axis, in the axes' order. */
  values: AxisValue[];
  /** Drawn faint and behind (filtered out, or outside a brush). */
  muted?: boolean;
}

/** A brushed range on an axis: numbers for numeric axes, a set of categories for categorical ones. */
export type Brush = { min: number; max: number } | { categories: AxisValue[] };

export interface ParallelOptions extends ChartBase {
  axes: ParallelAxis[];
  lines: ParallelLine[];
  /** The axis whose value colours each line (default: the last). */
  colorAxis?: number;
  brushes?: Record<number, Brush>;
}

export interface LaidOutAxis extends ParallelAxis {
  x: number;
  /** Data value → y pixel (null when the value cannot be shown on this axis). */
  y: (v: AxisValue) => number | null;
  /** y pixel → data value (numeric axes; categorical ones return the nearest category). */
  invert: (py: number) => AxisValue;
  ticks: { value: AxisValue; y: number; label: string }[];
}

export interface LaidOutLine {
  id: string;
  /** x, y pairs, one per axis; y is NaN where the line has no value (the line breaks there). */
  xy: number[];
  color: string;
  kept: boolean;
}

export interface ParallelLayout {
  width: number;
  height: number;
  top: number;
  bottom: number;
  axes: LaidOutAxis[];
  /** Kept lines last, so they are drawn over the faint ones. */
  lines: LaidOutLine[];
}

const label = (v: AxisValue) => (typeof v === 'number' ? tickLabel(v) : v === null ? 'null' : String(v));

/** Dark blue for low values to light blue for high ones (on the colour axis's own scale), in 16 steps. */
function ramp(t: number): string {
  const a = [0x08, 0x30, 0x6b];
  const b = [0x9e, 0xca, 0xe1];
  const step = Math.round(Math.min(1, Math.max(0, t)) * 15) / 15;
  const c = a.map((x, i) => Math.round(x + (b[i]! - x) * step));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Whether a line is kept: not muted by the caller, and inside every brushed range. */
export function keptLine(axes: readonly ParallelAxis[], brushes: Record<number, Brush> | undefined, line: ParallelLine): boolean {
  return !line.muted && axes.every((a, i) => inBrush(a, brushes?.[i], line.values[i] ?? null));
}

export function inBrush(axis: ParallelAxis, brush: Brush | undefined, v: AxisValue): boolean {
  if (!brush) return true;
  if ('categories' in brush) return brush.categories.some((c) => c === v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  return v >= brush.min && v <= brush.max;
}

export function parallelLayout(o: ParallelOptions): ParallelLayout {
  const width = o.width ?? 720;
  const height = o.height ?? 380;
  const top = 48;
  const bottom = height - 40;
  const left = 70;
  const right = width - 70;
  const gap = o.axes.length > 1 ? (right - left) / (o.axes.length - 1) : 0;
  const axes: LaidOutAxis[] = o.axes.map((a, i) => {
    const x = o.axes.length > 1 ? left + i * gap : (left + right) / 2;
    const column = o.lines.map((l) => l.values[i] ?? null);
    const [y0, y1] = a.reversed ? [top, bottom] : [bottom, top];
    if (a.kind === 'categorical') {
      const cats = a.categories ?? [...new Set(column.filter((v) => v !== undefined))];
      const keys = cats.map(label);
      const scale = scalePoint<string>().domain(keys).range([top, bottom]).padding(0.5);
      const ys = new Map<AxisValue, number>(cats.map((c) => [c, scale(label(c))!]));
      return {
        ...a,
        categories: cats,
        x,
        y: (v) => ys.get(v) ?? (keys.includes(label(v)) ? scale(label(v))! : null),
        invert: (py) => cats.reduce((best, c) => (Math.abs(scale(label(c))! - py) < Math.abs(scale(label(best))! - py) ? c : best), cats[0] ?? null),
        ticks: cats.map((c) => ({ value: c, y: scale(label(c))!, label: label(c) })),
      };
    }
    const nums = column.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (a.kind !== 'log' || v > 0));
    let lo = nums.length ? Math.min(...nums) : a.kind === 'log' ? 1 : 0;
    let hi = nums.length ? Math.max(...nums) : a.kind === 'log' ? 10 : 1;
    if (lo === hi) {
      lo = a.kind === 'log' ? lo / 2 : lo - 0.5;
      hi = a.kind === 'log' ? hi * 2 : hi + 0.5;
    }
    const scale = a.kind === 'log' ? scaleLog().domain([lo, hi]).range([y0, y1]) : scaleLinear().domain([lo, hi]).range([y0, y1]).nice();
    const ticks = (a.kind === 'log' ? scale.ticks(4).filter((t, k, all) => all.length <= 6 || k % Math.ceil(all.length / 6) === 0) : scale.ticks(5)).map((t) => ({ value: t, y: scale(t), label: tickLabel(t) }));
    return {
      ...a,
      x,
      y: (v) => (typeof v === 'number' && Number.isFinite(v) && (a.kind !== 'log' || v > 0) ? scale(v) : null),
      invert: (py) => scale.invert(py),
      ticks,
    };
  });
  const colorAxis = o.colorAxis ?? o.axes.length - 1;
  const colorValues = o.lines.map((l) => l.values[colorAxis]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const cMin = Math.min(...colorValues);
  const cMax = Math.max(...colorValues);
  const lines = o.lines.map((l) => {
    const xy: number[] = [];
    axes.forEach((a, i) => xy.push(px(a.x), px(a.y(l.values[i] ?? null) ?? NaN)));
    const c = l.values[colorAxis];
    const color = typeof c === 'number' && Number.isFinite(c) ? ramp(cMax > cMin ? (c - cMin) / (cMax - cMin) : 0) : MUTED;
    return { id: l.id, xy, color, kept: keptLine(o.axes, o.brushes, l) };
  });
  lines.sort((a, b) => Number(a.kept) - Number(b.kept));
  return { width, height, top, bottom, axes, lines };
}

/** An SVG path through x, y pairs, lifting the pen where y is NaN. */
function pathOf(xy: number[]): string {
  let d = '';
  let pen = false;
  for (let k = 0; k < xy.length; k += 2) {
    if (Number.isNaN(xy[k + 1]!)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${xy[k]},${xy[k + 1]}`;
    pen = true;
  }
  return d;
}

/**
 * Draws the lines of a layout on a canvas (for an interactive view with thousands of lines, where redrawing an SVG
 * on every brush move is too slow): faint lines first, kept lines over them, at `scale` device pixels per unit.
 */
export function drawParallelLines(g: CanvasRenderingContext2D, layout: ParallelLayout, kept: (line: LaidOutLine) => boolean, scale: number): void {
  g.setTransform(scale, 0, 0, scale, 0, 0);
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, layout.width, layout.height);
  const trace = (xy: number[]) => {
    let pen = false;
    for (let k = 0; k < xy.length; k += 2) {
      if (Number.isNaN(xy[k + 1]!)) {
        pen = false;
        continue;
      }
      if (pen) g.lineTo(xy[k]!, xy[k + 1]!);
      else g.moveTo(xy[k]!, xy[k + 1]!);
      pen = true;
    }
  };
  // A path of thousands of crossing lines rasterises slowly: stroke them in batches of a few hundred.
  const stroke = (lines: LaidOutLine[]) => {
    for (let i = 0; i < lines.length; i += 250) {
      g.beginPath();
      for (const l of lines.slice(i, i + 250)) trace(l.xy);
      g.stroke();
    }
  };
  g.lineWidth = 1;
  g.strokeStyle = GRID;
  stroke(layout.lines.filter((l) => !kept(l)));
  // One path per colour: a few strokes instead of one per line.
  const byColor = new Map<string, LaidOutLine[]>();
  for (const l of layout.lines) if (kept(l)) byColor.set(l.color, [...(byColor.get(l.color) ?? []), l]);
  // Opaque lines of width 1: translucent or fractional-width strokes rasterise tens of times slower in Chromium's
  // software canvas (bench/tuning-dashboard.mjs).
  g.lineWidth = 1;
  for (const [color, lines] of [...byColor].sort((x, y) => (x[0] < y[0] ? 1 : -1))) {
    g.strokeStyle = color;
    stroke(lines);
  }
}

export function parallelChart(o: ParallelOptions): string {
  const layout = parallelLayout(o);
  const keptCount = layout.lines.filter((l) => l.kept).length;
  const lines = layout.lines
    .map((l) => {
      const d = pathOf(l.xy);
      return l.kept ? `<path d="${d}" fill="none" stroke="${l.color}" stroke-width="1.4" stroke-opacity="0.85"/>` : `<path d="${d}" fill="none" stroke="${GRID}" stroke-width="1"/>`;
    })
    .join('');
  const axes = layout.axes
    .map((a, i) => {
      const brush = o.brushes?.[i];
      let band = '';
      if (brush && !('categories' in brush)) {
        const ys = [a.y(brush.min), a.y(brush.max)].filter((v): v is number => v !== null);
        if (ys.length === 2) band = `<rect x="${px(a.x - 7)}" y="${px(Math.min(...ys))}" width="14" height="${px(Math.abs(ys[0]! - ys[1]!))}" fill="#E69F00" fill-opacity="0.35" stroke="#E69F00"/>`;
      }
      return [
        `<line x1="${px(a.x)}" x2="${px(a.x)}" y1="${layout.top}" y2="${layout.bottom}" stroke="${INK}"/>`,
        band,
        ...a.ticks.map((t) => `<line x1="${px(a.x - 4)}" x2="${px(a.x)}" y1="${px(t.y)}" y2="${px(t.y)}" stroke="${INK}"/><text x="${px(a.x - 6)}" y="${px(t.y + 4)}" text-anchor="end" fill="${MUTED}" font-size="11">${escapeXml(t.label)}</text>`),
        `<text x="${px(a.x)}" y="${layout.top - 12}" text-anchor="middle" fill="${INK}" font-weight="600">${escapeXml(a.name)}${a.kind === 'log' ? ' (log)' : ''}</text>`,
      ].join('');
    })
    .join('\n');
  const fallback = `Parallel coordinates over ${o.axes.map((a) => a.name).join(', ')}: ${o.lines.length} lines, ${keptCount} kept${keptCount < o.lines.length ? ' (the others are drawn faint)' : ''}. Dark lines have low values of ${o.axes[o.colorAxis ?? o.axes.length - 1]?.name ?? 'the last axis'}.`;
  return svgDocument(o, layout.width, layout.height, `${lines}\n${axes}`, fallback);
}
