/**
 * What the speed lab keeps of a set of timed runs: the samples (rounded to 0.1 µs, far below any browser's timer
 * step) and their summary computed from exactly those samples, so a lecturer can recompute it from the report bundle.
 * The summary uses the reference order statistics (order.mjs) or the student's own functions from the coding track.
 */
import { REFERENCE_ORDER, summarize, type OrderStatistics, type Summary } from '../../src/labkit/stats/samples.ts';
import type { KeptSummary } from './lab.ts';

export const roundMs = (ms: number) => Math.round(ms * 1e4) / 1e4;

export function keptSummary(samples: readonly number[], order: OrderStatistics = REFERENCE_ORDER): KeptSummary {
  return keep(summarize(samples, 1, 0.95, order));
}

/** The parts of a summary the lab keeps (throughput follows from the median and the batch). */
export function keep(s: Summary): KeptSummary {
  return {
    n: s.n,
    median: s.median,
    lower: s.ci.lower,
    upper: s.ci.upper,
    lowerRank: s.ci.lowerRank,
    upperRank: s.ci.upperRank,
    coverage: s.ci.coverage,
    p25: s.p25,
    p75: s.p75,
    p95: s.p95,
    min: s.min,
    max: s.max,
  };
}
