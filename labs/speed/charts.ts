/** The speed lab's charts, for the page and the report alike (src/labkit/charts draws them). */
import { boxChart, lineChart, stackedBarChart } from '../../src/labkit/charts/index.ts';
import type { NetworkProfile } from '../../src/labkit/bench/networks.ts';
import { throughput } from '../../src/labkit/stats/samples.ts';
import type { BackendRun, SpeedState } from './lab.ts';
import { variantShort } from './protocol.ts';
import { allGroups, type RowAt, type TtfpRow } from './results.ts';

const modelShort = (key: string) => (key.startsWith('upload:') ? `yours ${key.slice(7, 19)}` : key);

/** A backend in a chart label: its build, and the threads it used ("wasm-simd-thr×1", "webgl sw"). */
export function backendShort(b: Pick<BackendRun, 'id' | 'threads' | 'software'>): string {
  const id = b.id.replace('-threads', '-thr');
  if (b.threads === null) return b.software ? `${id} sw` : id;
  return b.id === 'cpu' ? id : `${id}×${b.threads}`;
}

/** A row's label in a chart: short, but with everything that tells two rows apart. */
export const rowLabel = (r: RowAt) => `#${r.runNumber} ${backendShort(r.backend)} ${modelShort(r.group.model)} ${variantShort(r.row.variant)} b${r.group.batch}`;

export function latencyChart(rows: RowAt[], title: string): string {
  return boxChart({
    title,
    key: 'box: p25–p75 · thick line: median · shaded: 95% CI of the median · whisker: min–p95 · dots: timed runs',
    xLabel: 'latency per batch, ms (log scale)',
    unit: 'ms',
    log: true,
    rows: rows.map((r) => {
      const s = r.row.summary;
      return { label: rowLabel(r), min: s.min, p25: s.p25, median: s.median, p75: s.p75, high: s.p95, ci: { lower: s.lower, upper: s.upper }, samples: r.row.samples };
    }),
  });
}

/** Batch scaling of each baseline that was swept: latency per batch and samples per second. */
export function sweepCharts(state: SpeedState): { latency: string; throughput: string } | null {
  const swept = allGroups(state).filter((g) => g.group.sweep.length > 1);
  if (!swept.length) return null;
  const name = (g: (typeof swept)[number]) => `#${g.runNumber} ${backendShort(g.backend)} ${modelShort(g.group.model)}`;
  return {
    latency: lineChart({
      title: 'Batch scaling: latency per batch',
      description: `Median latency per batch against batch size. ${swept.map((g) => `${name(g)}: ${g.group.sweep.map((p) => `b${p.batch} ${p.summary.median.toPrecision(3)} ms`).join(', ')}`).join('; ')}.`,
      xLabel: 'batch size',
      yLabel: 'median latency (ms)',
      xScale: 'log2',
      yScale: 'log10',
      series: swept.map((g) => ({ name: name(g), points: g.group.sweep.map((p) => ({ x: p.batch, y: p.summary.median, yLower: p.summary.lower, yUpper: p.summary.upper })) })),
    }),
    throughput: lineChart({
      title: 'Batch scaling: throughput',
      description: `Samples per second at the median latency against batch size. ${swept.map((g) => `${name(g)}: ${g.group.sweep.map((p) => `b${p.batch} ${Math.round(throughput(p.batch, p.summary.median))}/s`).join(', ')}`).join('; ')}.`,
      xLabel: 'batch size',
      yLabel: 'samples per second',
      xScale: 'log2',
      yScale: 'log10',
      series: swept.map((g) => ({ name: name(g), points: g.group.sweep.map((p) => ({ x: p.batch, y: throughput(p.batch, p.summary.median) })) })),
    }),
  };
}

export const TTFP_PARTS = ['download (simulated)', 'backend start', 'load', 'warm-up (first inference)', 'first prediction'];

export function ttfpChart(rows: TtfpRow[], net: NetworkProfile): string {
  return stackedBarChart({
    title: `Time to first prediction, each variant on a fresh backend (${net.label})`,
    xLabel: 'milliseconds (download simulated from the gzipped bytes; the other phases measured)',
    unit: 'ms',
    parts: TTFP_PARTS.map((label) => ({ label })),
    rows: rows.map((r) => ({
      label: `#${r.runNumber} ${backendShort(r.backend)} ${modelShort(r.first.model)} ${variantShort(r.first.variant)}`,
      values: [r.ttfp.downloadMs, r.ttfp.initMs, r.ttfp.loadMs, r.ttfp.warmupMs, r.ttfp.firstPredictionMs],
    })),
  });
}
