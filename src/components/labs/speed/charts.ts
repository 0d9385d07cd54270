/**
 * The speed lab's SVG charts: latency distributions (box + strip plot), batch scaling (line charts from the shared
 * report/svg.ts), and time to first prediction stacked by phase. Each returns a standalone SVG string (white
 * background, title and description) usable in the page and in the report.
 */
import { escapeXml, lineChart, palette, tickLabel } from '../../../labkit/charts/index.ts';
import type { Ttfp } from './measure.ts';
import type { VariantResult } from './protocol.ts';

const INK = '#1b1f24';
const MUTED = '#57606a';
const GRID = '#d8dee4';

function logTicks(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) for (const m of [1, 2, 5]) {
    const v = m * 10 ** e;
    if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
  }
  return out;
}

export interface DistributionRow {
  label: string;
  result: VariantResult;
}

/** Horizontal box plots (p25–p75 box, median line, 95% CI of the median shaded, whiskers min–p95) with the samples. */
export function latencyDistributionSvg(rows: DistributionRow[], title = 'Latency distribution per backend and variant'): string {
  const width = 760;
  const rowH = 34;
  const left = 290;
  const right = width - 20;
  const top = 44;
  const height = top + rows.length * rowH + 46;
  const values = rows.flatMap((r) => [r.result.summary.min, r.result.summary.p95, ...r.result.samples]).filter((v) => v > 0);
  const lo = Math.max(1e-3, Math.min(...values) * 0.8);
  const hi = Math.max(lo * 10, Math.max(...values) * 1.2);
  const x = (v: number) => left + ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (right - left);
  const parts: string[] = [];
  for (const t of logTicks(lo, hi)) {
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top - 6}" y2="${height - 40}" stroke="${GRID}"/>`);
    parts.push(`<text x="${x(t).toFixed(1)}" y="${height - 24}" fill="${MUTED}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`);
  }
  rows.forEach((r, i) => {
    const s = r.result.summary;
    const cy = top + i * rowH + rowH / 2;
    const color = palette[i % palette.length];
    parts.push(`<text x="${left - 8}" y="${cy + 4}" fill="${INK}" text-anchor="end">${escapeXml(r.label)}</text>`);
    // samples, jittered deterministically
    r.result.samples.forEach((v, k) => {
      const jy = cy + (((k * 7919) % 17) / 16 - 0.5) * (rowH - 12);
      parts.push(`<circle cx="${x(v).toFixed(1)}" cy="${jy.toFixed(1)}" r="1.4" fill="${color}" fill-opacity="0.35"/>`);
    });
    parts.push(`<line x1="${x(s.min).toFixed(1)}" x2="${x(s.p95).toFixed(1)}" y1="${cy}" y2="${cy}" stroke="${INK}"/>`);
    parts.push(`<rect x="${x(s.p25).toFixed(1)}" y="${cy - 9}" width="${Math.max(1, x(s.p75) - x(s.p25)).toFixed(1)}" height="18" fill="none" stroke="${INK}"/>`);
    parts.push(`<rect x="${x(s.ci.lower).toFixed(1)}" y="${cy - 9}" width="${Math.max(1, x(s.ci.upper) - x(s.ci.lower)).toFixed(1)}" height="18" fill="${color}" fill-opacity="0.45"/>`);
    parts.push(`<line x1="${x(s.median).toFixed(1)}" x2="${x(s.median).toFixed(1)}" y1="${cy - 11}" y2="${cy + 11}" stroke="${INK}" stroke-width="2.5"/>`);
  });
  const desc = rows.map((r) => `${r.label}: median ${tickLabel(r.result.summary.median)} ms, 95% CI ${tickLabel(r.result.summary.ci.lower)}–${tickLabel(r.result.summary.ci.upper)} ms, p95 ${tickLabel(r.result.summary.p95)} ms`).join('; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="12">
<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="20" fill="${INK}" font-weight="600" font-size="14">${escapeXml(title)}</text>
<text x="12" y="36" fill="${MUTED}">box: p25–p75 · thick line: median · shaded: 95% CI of the median · whisker: min–p95 · dots: timed runs</text>
${parts.join('\n')}
<text x="${(left + right) / 2}" y="${height - 6}" fill="${MUTED}" text-anchor="middle">latency per batch, ms (log scale)</text>
</svg>`;
}

export function batchLatencySvg(results: VariantResult[], label: (r: VariantResult) => string): string {
  return lineChart({
    title: 'Batch scaling: latency per batch',
    description: 'Median latency per batch against batch size, per backend and model.',
    xLabel: 'batch size',
    yLabel: 'median latency (ms)',
    xScale: 'log2',
    yScale: 'log10',
    series: results.filter((r) => r.sweep.length).map((r) => ({ name: label(r), points: r.sweep.map((p) => ({ x: p.batchSize, y: p.summary.median })) })),
  });
}

export function batchThroughputSvg(results: VariantResult[], label: (r: VariantResult) => string): string {
  return lineChart({
    title: 'Batch scaling: throughput',
    description: 'Samples per second at the median latency against batch size, per backend and model.',
    xLabel: 'batch size',
    yLabel: 'samples per second',
    xScale: 'log2',
    yScale: 'log10',
    series: results.filter((r) => r.sweep.length).map((r) => ({ name: label(r), points: r.sweep.map((p) => ({ x: p.batchSize, y: p.summary.throughput })) })),
  });
}

export const PHASES: { key: keyof Pick<Ttfp, 'downloadMs' | 'loadMs' | 'warmupMs' | 'firstPredictionMs'>; label: string; color: string }[] = [
  { key: 'downloadMs', label: 'download', color: palette[0] },
  { key: 'loadMs', label: 'load', color: palette[2] },
  { key: 'warmupMs', label: 'warm-up (first inference)', color: palette[1] },
  { key: 'firstPredictionMs', label: 'first prediction', color: palette[3] },
];

/** Horizontal stacked bars: time to first prediction by phase. */
export function ttfpSvg(rows: { label: string; t: Ttfp }[], network: string): string {
  const width = 760;
  const rowH = 26;
  const left = 290;
  const right = width - 70;
  const top = 56;
  const height = top + rows.length * rowH + 40;
  const max = Math.max(1, ...rows.map((r) => r.t.totalMs));
  const x = (v: number) => left + (v / max) * (right - left);
  const parts: string[] = [];
  PHASES.forEach((p, i) => {
    parts.push(`<rect x="${12 + i * 170}" y="30" width="12" height="12" fill="${p.color}"/><text x="${28 + i * 170}" y="40" fill="${INK}">${escapeXml(p.label)}</text>`);
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    let acc = 0;
    parts.push(`<text x="${left - 8}" y="${y + 15}" fill="${INK}" text-anchor="end">${escapeXml(r.label)}</text>`);
    for (const p of PHASES) {
      const v = r.t[p.key];
      parts.push(`<rect x="${x(acc).toFixed(1)}" y="${y + 3}" width="${Math.max(0, x(acc + v) - x(acc)).toFixed(1)}" height="${rowH - 8}" fill="${p.color}"><title>${escapeXml(`${p.label}: ${tickLabel(v)} ms`)}</title></rect>`);
      acc += v;
    }
    parts.push(`<text x="${(x(acc) + 4).toFixed(1)}" y="${y + 15}" fill="${MUTED}">${escapeXml(tickLabel(Math.round(acc)))} ms</text>`);
  });
  const title = `Time to first prediction (${network})`;
  const desc = rows.map((r) => `${r.label}: ${Math.round(r.t.totalMs)} ms (download ${Math.round(r.t.downloadMs)}, load ${tickLabel(r.t.loadMs)}, warm-up ${tickLabel(r.t.warmupMs)}, first prediction ${tickLabel(r.t.firstPredictionMs)})`).join('; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="12">
<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="20" fill="${INK}" font-weight="600" font-size="14">${escapeXml(title)}</text>
${parts.join('\n')}
<line x1="${left}" x2="${left}" y1="${top}" y2="${height - 36}" stroke="${MUTED}"/>
<text x="${(left + right) / 2}" y="${height - 10}" fill="${MUTED}" text-anchor="middle">milliseconds (download simulated from the gzipped bytes; other phases measured)</text>
</svg>`;
}
