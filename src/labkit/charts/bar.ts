/** Bar charts: vertical bars with optional intervals, and horizontal stacked bars (time split into phases). */
import { axis, axisLabels, escapeXml, GRID, INK, MUTED, palette, px, svgDocument, tickLabel, yGrid, type ChartBase } from './frame.ts';

export interface Bar {
  label: string;
  value: number;
  lower?: number;
  upper?: number;
  color?: string;
}

export interface BarChartOptions extends ChartBase {
  bars: Bar[];
  /** Appended to value labels, e.g. "KB". */
  unit?: string;
  /** Start the value axis at zero (default true). */
  zero?: boolean;
}

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const left = 64;
  const right = width - 16;
  const top = 36;
  const bottom = height - (o.xLabel ? 64 : 48);
  const values = o.bars.flatMap((b) => [b.value, b.lower ?? b.value, b.upper ?? b.value]).filter(Number.isFinite);
  const y = axis(values, 'linear', bottom, top, o.zero ?? true);
  const slot = (right - left) / Math.max(1, o.bars.length);
  const barWidth = Math.max(4, Math.min(64, slot * 0.7));
  const base = px(y.map(Math.max(y.ticks[0]!, Math.min(0, y.ticks.at(-1)!))));
  const unit = o.unit ? ` ${o.unit}` : '';
  const bars = o.bars
    .map((b, i) => {
      const cx = left + slot * (i + 0.5);
      const label = `<text x="${px(cx)}" y="${bottom + 16}" text-anchor="middle" fill="${INK}">${escapeXml(b.label)}</text>`;
      if (!Number.isFinite(b.value)) return `${label}<text x="${px(cx)}" y="${bottom - 6}" text-anchor="middle" fill="${MUTED}">n/a</text>`;
      const py = px(y.map(b.value));
      const color = b.color ?? palette[i % palette.length]!;
      const interval =
        b.lower !== undefined && b.upper !== undefined
          ? `<path d="M${px(cx)} ${px(y.map(b.lower))}V${px(y.map(b.upper))}M${px(cx - 5)} ${px(y.map(b.lower))}H${px(cx + 5)}M${px(cx - 5)} ${px(y.map(b.upper))}H${px(cx + 5)}" stroke="${INK}"/>`
          : '';
      return [
        `<rect x="${px(cx - barWidth / 2)}" y="${Math.min(py, base)}" width="${px(barWidth)}" height="${px(Math.abs(base - py))}" fill="${color}"><title>${escapeXml(`${b.label}: ${tickLabel(b.value)}${unit}`)}</title></rect>`,
        interval,
        `<text x="${px(cx)}" y="${px(Math.min(py, base, b.upper !== undefined ? y.map(b.upper) : Infinity) - 4)}" text-anchor="middle" fill="${INK}">${escapeXml(tickLabel(b.value) + unit)}</text>`,
        label,
      ].join('');
    })
    .join('\n');
  const body = [yGrid(y, left, right), `<line x1="${left}" x2="${right}" y1="${base}" y2="${base}" stroke="${INK}"/>`, bars, axisLabels(o, left, top, right, bottom)].join('\n');
  const fallback = `Bar chart. ${o.bars
    .map((b) => `${b.label}: ${tickLabel(b.value)}${Number.isFinite(b.value) ? unit : ''}${b.lower !== undefined && b.upper !== undefined ? ` (95% CI ${tickLabel(b.lower)}–${tickLabel(b.upper)})` : ''}`)
    .join('; ')}.`;
  return svgDocument(o, width, height, body, fallback);
}

export interface StackedRow {
  label: string;
  values: number[];
}

export interface StackedBarOptions extends ChartBase {
  /** The parts each bar is split into, in order. */
  parts: { label: string; color?: string }[];
  rows: StackedRow[];
  unit: string;
}

/** Horizontal bars split into parts (e.g. download, load, warm-up, first prediction). */
export function stackedBarChart(o: StackedBarOptions): string {
  const width = o.width ?? 760;
  const rowH = 26;
  const left = 290;
  const right = width - 70;
  const top = 56;
  const height = top + o.rows.length * rowH + 40;
  const max = Math.max(1e-9, ...o.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const x = (v: number) => left + (v / max) * (right - left);
  const colour = (i: number) => o.parts[i]?.color ?? palette[i % palette.length]!;
  const parts: string[] = [];
  o.parts.forEach((p, i) => parts.push(`<rect x="${12 + i * 170}" y="30" width="12" height="12" fill="${colour(i)}"/><text x="${28 + i * 170}" y="40" fill="${INK}">${escapeXml(p.label)}</text>`));
  o.rows.forEach((r, i) => {
    const y = top + i * rowH;
    let acc = 0;
    parts.push(`<text x="${left - 8}" y="${y + 15}" fill="${INK}" text-anchor="end">${escapeXml(r.label)}</text>`);
    r.values.forEach((v, k) => {
      parts.push(`<rect x="${px(x(acc))}" y="${y + 3}" width="${px(Math.max(0, x(acc + v) - x(acc)))}" height="${rowH - 8}" fill="${colour(k)}"><title>${escapeXml(`${o.parts[k]?.label}: ${tickLabel(v)} ${o.unit}`)}</title></rect>`);
      acc += v;
    });
    parts.push(`<text x="${px(x(acc) + 4)}" y="${y + 15}" fill="${MUTED}">${escapeXml(tickLabel(acc))} ${escapeXml(o.unit)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${height - 36}" stroke="${GRID}"/>`);
  if (o.xLabel) parts.push(`<text x="${(left + right) / 2}" y="${height - 10}" fill="${MUTED}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  const fallback = o.rows.map((r) => `${r.label}: ${tickLabel(r.values.reduce((a, b) => a + b, 0))} ${o.unit} (${r.values.map((v, k) => `${o.parts[k]?.label} ${tickLabel(v)}`).join(', ')})`).join('; ');
  return svgDocument({ ...o, title: o.title }, width, height, parts.join('\n'), fallback);
}
