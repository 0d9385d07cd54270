/** Distributions: histograms (one or two overlaid), a stem plot of counts at exact values, and box/strip rows. */
import { axis, axisLabels, escapeXml, GRID, INK, MUTED, palette, px, svgDocument, tickLabel, type ChartBase } from './frame.ts';

export interface HistogramSeries {
  name: string;
  /** Counts per bin; every series uses the same bins. */
  counts: number[];
  color?: string;
}

export interface HistogramOptions extends ChartBase {
  /** Bin edges: bins.length + 1 values, increasing. */
  edges: number[];
  series: HistogramSeries[];
}

/** Counts of `values` in `bins` equal bins over [min, max]. */
export function binCounts(values: ArrayLike<number>, min: number, max: number, bins: number): { edges: number[]; counts: number[] } {
  const width = (max - min) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)))]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => min + i * width), counts };
}

export function histogramChart(o: HistogramOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 300;
  const left = 64;
  const right = width - (o.series.length > 1 ? 170 : 16);
  const top = 36;
  const bottom = height - (o.xLabel ? 56 : 36);
  const x = axis([o.edges[0]!, o.edges.at(-1)!], 'linear', left, right);
  const y = axis(o.series.flatMap((s) => s.counts), 'linear', bottom, top, true);
  const bars = o.series
    .map((s, i) => {
      const color = s.color ?? palette[i % palette.length]!;
      return s.counts
        .map((c, k) => {
          if (!c) return '';
          const x0 = x.map(o.edges[k]!);
          const x1 = x.map(o.edges[k + 1]!);
          const inset = o.series.length > 1 ? i * 0.25 * (x1 - x0) : 0;
          return `<rect x="${px(x0 + inset)}" y="${px(y.map(c))}" width="${px(Math.max(0.5, x1 - x0 - inset))}" height="${px(y.map(0) - y.map(c))}" fill="${color}" fill-opacity="${o.series.length > 1 ? 0.7 : 1}"/>`;
        })
        .join('');
    })
    .join('\n');
  const body = [
    y.ticks.map((t) => `<line x1="${left}" x2="${right}" y1="${px(y.map(t))}" y2="${px(y.map(t))}" stroke="${GRID}"/><text x="${left - 6}" y="${px(y.map(t)) + 4}" text-anchor="end" fill="${MUTED}">${tickLabel(t)}</text>`).join(''),
    x.ticks.map((t) => `<text x="${px(x.map(t))}" y="${bottom + 16}" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`).join(''),
    bars,
    `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="${INK}"/>`,
    o.series.length > 1 ? o.series.map((s, i) => `<rect x="${right + 14}" y="${top + 4 + i * 18}" width="10" height="10" fill="${s.color ?? palette[i % palette.length]}"/><text x="${right + 30}" y="${top + 13 + i * 18}" fill="${INK}">${escapeXml(s.name)}</text>`).join('') : '',
    axisLabels(o, left, top, right, bottom),
  ].join('\n');
  const fallback = `Histogram over ${tickLabel(o.edges[0]!)} to ${tickLabel(o.edges.at(-1)!)} in ${o.edges.length - 1} bins. ${o.series
    .map((s) => `${s.name}: ${s.counts.reduce((a, b) => a + b, 0)} values, most in the bin from ${tickLabel(o.edges[s.counts.indexOf(Math.max(...s.counts))]!)}`)
    .join('; ')}.`;
  return svgDocument(o, width, height, body, fallback);
}

export interface StemOptions extends ChartBase {
  /** Exact values and how often each occurs (e.g. weights at each quantization level). */
  stems: { at: number; count: number }[];
  /** A histogram drawn lightly behind the stems, for comparison (e.g. the weights before quantization). */
  behind?: { edges: number[]; counts: number[]; name: string };
  stemName: string;
}

export function stemChart(o: StemOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 300;
  const left = 64;
  const right = width - 190;
  const top = 36;
  const bottom = height - (o.xLabel ? 56 : 36);
  const xs = [...o.stems.map((s) => s.at), ...(o.behind ? [o.behind.edges[0]!, o.behind.edges.at(-1)!] : [])];
  const x = axis(xs, 'linear', left, right);
  const y = axis([...o.stems.map((s) => s.count), ...(o.behind?.counts ?? [])], 'linear', bottom, top, true);
  const behind = o.behind
    ? o.behind.counts
        .map((c, k) => (c ? `<rect x="${px(x.map(o.behind!.edges[k]!))}" y="${px(y.map(c))}" width="${px(Math.max(0.5, x.map(o.behind!.edges[k + 1]!) - x.map(o.behind!.edges[k]!)))}" height="${px(y.map(0) - y.map(c))}" fill="${palette[0]}" fill-opacity="0.35"/>` : ''))
        .join('')
    : '';
  const stems = o.stems.map((s) => `<line x1="${px(x.map(s.at))}" x2="${px(x.map(s.at))}" y1="${bottom}" y2="${px(y.map(s.count))}" stroke="${palette[1]}" stroke-width="1"/>`).join('');
  const body = [
    y.ticks.map((t) => `<line x1="${left}" x2="${right}" y1="${px(y.map(t))}" y2="${px(y.map(t))}" stroke="${GRID}"/><text x="${left - 6}" y="${px(y.map(t)) + 4}" text-anchor="end" fill="${MUTED}">${tickLabel(t)}</text>`).join(''),
    x.ticks.map((t) => `<text x="${px(x.map(t))}" y="${bottom + 16}" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`).join(''),
    behind,
    stems,
    `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="${INK}"/>`,
    o.behind ? `<rect x="${right + 14}" y="${top + 4}" width="10" height="10" fill="${palette[0]}" fill-opacity="0.35"/><text x="${right + 30}" y="${top + 13}" fill="${INK}">${escapeXml(o.behind.name)}</text>` : '',
    `<line x1="${right + 19}" x2="${right + 19}" y1="${top + 22}" y2="${top + 36}" stroke="${palette[1]}"/><text x="${right + 30}" y="${top + 33}" fill="${INK}">${escapeXml(o.stemName)}</text>`,
    axisLabels(o, left, top, right, bottom),
  ].join('\n');
  const used = o.stems.filter((s) => s.count > 0).length;
  const fallback = `${o.stemName}: ${used} distinct values used, from ${tickLabel(Math.min(...o.stems.map((s) => s.at)))} to ${tickLabel(Math.max(...o.stems.map((s) => s.at)))}; the most common holds ${Math.max(...o.stems.map((s) => s.count))} values.`;
  return svgDocument(o, width, height, body, fallback);
}

export interface BoxRow {
  label: string;
  min: number;
  p25: number;
  median: number;
  p75: number;
  /** The right whisker (p95 for latencies). */
  high: number;
  /** The 95% interval of the median, shaded. */
  ci?: { lower: number; upper: number };
  /** Individual samples, drawn as jittered dots. */
  samples?: number[];
}

export interface BoxOptions extends ChartBase {
  rows: BoxRow[];
  unit: string;
  /** What the parts of a box mean, under the title. */
  key?: string;
  log?: boolean;
}

/** Horizontal box plots with the samples as a strip. */
export function boxChart(o: BoxOptions): string {
  const width = o.width ?? 760;
  const rowH = 34;
  const left = 290;
  const right = width - 20;
  const top = 44;
  const height = top + o.rows.length * rowH + 46;
  const x = axis(o.rows.flatMap((r) => [r.min, r.high, ...(r.samples ?? [])]), o.log ? 'log10' : 'linear', left, right);
  const at = (v: number) => px(x.map(o.log ? Math.max(v, x.ticks[0]!) : v));
  const parts: string[] = [];
  for (const t of x.ticks) {
    parts.push(`<line x1="${at(t)}" x2="${at(t)}" y1="${top - 6}" y2="${height - 40}" stroke="${GRID}"/>`);
    parts.push(`<text x="${at(t)}" y="${height - 24}" fill="${MUTED}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`);
  }
  o.rows.forEach((r, i) => {
    const cy = top + i * rowH + rowH / 2;
    const color = palette[i % palette.length]!;
    parts.push(`<text x="${left - 8}" y="${cy + 4}" fill="${INK}" text-anchor="end">${escapeXml(r.label)}</text>`);
    (r.samples ?? []).forEach((v, k) => {
      const jy = cy + (((k * 7919) % 17) / 16 - 0.5) * (rowH - 12);
      parts.push(`<circle cx="${at(v)}" cy="${px(jy)}" r="1.4" fill="${color}" fill-opacity="0.35"/>`);
    });
    parts.push(`<line x1="${at(r.min)}" x2="${at(r.high)}" y1="${cy}" y2="${cy}" stroke="${INK}"/>`);
    parts.push(`<rect x="${at(r.p25)}" y="${cy - 9}" width="${px(Math.max(1, at(r.p75) - at(r.p25)))}" height="18" fill="none" stroke="${INK}"/>`);
    if (r.ci) parts.push(`<rect x="${at(r.ci.lower)}" y="${cy - 9}" width="${px(Math.max(1, at(r.ci.upper) - at(r.ci.lower)))}" height="18" fill="${color}" fill-opacity="0.45"/>`);
    parts.push(`<line x1="${at(r.median)}" x2="${at(r.median)}" y1="${cy - 11}" y2="${cy + 11}" stroke="${INK}" stroke-width="2.5"/>`);
  });
  if (o.key) parts.push(`<text x="12" y="36" fill="${MUTED}">${escapeXml(o.key)}</text>`);
  if (o.xLabel) parts.push(`<text x="${(left + right) / 2}" y="${height - 6}" fill="${MUTED}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  const fallback = o.rows
    .map((r) => `${r.label}: median ${tickLabel(r.median)} ${o.unit}${r.ci ? `, 95% CI ${tickLabel(r.ci.lower)}–${tickLabel(r.ci.upper)}` : ''}, quartiles ${tickLabel(r.p25)}–${tickLabel(r.p75)}`)
    .join('; ');
  return svgDocument(o, width, height, parts.join('\n'), fallback);
}
