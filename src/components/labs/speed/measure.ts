/**
 * Turns benchmark runs into the quantities the speed lab's acceptance criteria name (labs/speed/index.mdx), and into
 * time-to-first-prediction rows. Pure functions: unit-tested without a browser.
 */
import { downloadMs, NETWORKS, type NetworkProfile, type TimeToFirstPrediction } from '../../../labkit/bench/harness.ts';
import type { BackendRun, VariantResult } from './protocol.ts';

export const QUANTITIES = {
  backends30: 'backends.with30Runs',
  sweepMax: 'sweep.maxBatch',
  structuredFaster: 'structured.fasterDisjoint',
  structuredRatio: 'structured.bestMedianRatio',
  ttfpUint8: 'ttfp.uint8Ratio',
} as const;

export const UNITS: Record<string, string> = {
  'backends.with30Runs': 'backends',
  'sweep.maxBatch': 'samples per batch',
  'structured.fasterDisjoint': 'pairs',
  'structured.bestMedianRatio': '× baseline median',
  'ttfp.uint8Ratio': '× float32',
};

export const TTFP_NETWORK = '3g';

export function allResults(runs: readonly BackendRun[]): VariantResult[] {
  return runs.flatMap((r) => r.results);
}

export interface StructuredPair {
  backendId: string;
  model: string;
  ratio: number;
  disjoint: boolean;
  faster: boolean;
}

/** Structured-pruned vs baseline of the same model on the same backend. */
export function structuredPairs(runs: readonly BackendRun[]): StructuredPair[] {
  const out: StructuredPair[] = [];
  for (const r of allResults(runs)) {
    if (r.variant !== 'structured50') continue;
    const b = allResults(runs).find((x) => x.backendId === r.backendId && x.model === r.model && x.variant === 'baseline' && x.batchSize === r.batchSize);
    if (!b) continue;
    const faster = r.summary.ci.upper < b.summary.ci.lower;
    out.push({ backendId: r.backendId, model: r.model, ratio: r.summary.median / b.summary.median, disjoint: faster || b.summary.ci.upper < r.summary.ci.lower, faster });
  }
  return out;
}

export interface Ttfp extends TimeToFirstPrediction {
  backendId: string;
  model: string;
  variant: string;
}

/** Time to first prediction (download of the gzipped bytes at `net` + measured load, warm-up, first prediction). */
export function ttfpRows(runs: readonly BackendRun[], net: NetworkProfile): Ttfp[] {
  return allResults(runs).map((r) => {
    const d = downloadMs(r.gzipBytes, net);
    return {
      backendId: r.backendId,
      model: r.model,
      variant: r.variant,
      network: net.id,
      downloadMs: d,
      loadMs: r.first.loadMs,
      warmupMs: r.first.warmupMs,
      firstPredictionMs: r.first.firstPredictionMs,
      totalMs: d + r.first.loadMs + r.first.warmupMs + r.first.firstPredictionMs,
    };
  });
}

export function measure(runs: readonly BackendRun[]): Record<string, number> {
  const out: Record<string, number> = {};
  const results = allResults(runs);
  if (!results.length) return out;
  const with30 = new Set(results.filter((r) => r.summary.n >= 30).map((r) => r.backendId.replace(/^wasm.*/, 'wasm')));
  out[QUANTITIES.backends30] = with30.size;
  const sweeps = results.filter((r) => r.sweep.length >= 2);
  if (sweeps.length) out[QUANTITIES.sweepMax] = Math.max(...sweeps.map((r) => Math.max(...r.sweep.map((p) => p.batchSize))));
  const pairs = structuredPairs(runs);
  if (pairs.length) {
    out[QUANTITIES.structuredFaster] = pairs.filter((p) => p.faster).length;
    out[QUANTITIES.structuredRatio] = Math.min(...pairs.map((p) => p.ratio));
  }
  const net = NETWORKS.find((n) => n.id === TTFP_NETWORK)!;
  const rows = ttfpRows(runs, net);
  const ratios: number[] = [];
  for (const u of rows.filter((x) => x.variant === 'uint8')) {
    const b = rows.find((x) => x.backendId === u.backendId && x.model === u.model && x.variant === 'baseline');
    if (b) ratios.push(u.totalMs / b.totalMs);
  }
  if (ratios.length) out[QUANTITIES.ttfpUint8] = Math.min(...ratios);
  return out;
}

/**
 * Merges a new run of a backend into the earlier one: variants measured again replace the earlier results, the
 * others are kept, and a re-measured baseline without a sweep keeps the earlier sweep. A run that could not start
 * replaces nothing.
 */
export function mergeRun(old: BackendRun | undefined, next: BackendRun): BackendRun {
  if (!old || !next.started.ok) return old && !next.started.ok ? old : next;
  const same = (a: VariantResult, b: VariantResult) => a.model === b.model && a.variant === b.variant;
  const kept = old.results.filter((o) => !next.results.some((n) => same(n, o)));
  const fresh = next.results.map((n) => {
    const o = old.results.find((x) => same(x, n));
    return o && !n.sweep.length && o.sweep.length ? { ...n, sweep: o.sweep } : n;
  });
  return { ...next, results: [...kept, ...fresh] };
}
