/**
 * Latency percentiles with distribution-free confidence intervals, for load tests.
 *
 * - The point estimate is NumPy's default quantile (`method='linear'`, Hyndman & Fan type 7), the same function the
 *   speed lab uses (`../stats/order.mjs`); `scripts/oracles/serving.py` checks it against NumPy on golden data.
 * - The interval comes from order statistics (Conover 1999, §3.2, generalised from the median to any quantile): the
 *   number of samples below the true quantile q_p is B ~ Binomial(n, p), so [x(l), x(u)] (1-based ranks) covers q_p
 *   with probability P(l ≤ B ≤ u − 1), whatever the latency distribution. l is the largest rank with
 *   P(B ≤ l − 1) ≤ α/2 and u the smallest with P(B ≥ u) ≤ α/2, so each tail keeps at most α/2.
 * - A percentile is refused (no value) below `minSamples(p)` = max(100, ⌈10 / (1 − p)⌉): p50 needs 100 samples, p95
 *   200 and p99 1,000, where about ten samples lie above the estimate. Below that the upper end of the interval is the
 *   largest sample or beyond it, and the estimate says more about one slow request than about the server.
 */
import { quantileSorted } from '../stats/samples.ts';

export interface PercentileEstimate {
  /** The quantile asked for, in [0, 1]. */
  p: number;
  n: number;
  /** The estimate; null when refused. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** The exact coverage of [lower, upper]; 0 when refused. */
  coverage: number;
  /** Why there is no value (too few samples). */
  refused?: string;
}

/** The fewest samples a percentile is reported from. */
export function minSamples(p: number): number {
  return Math.max(100, Math.ceil(10 / (1 - p) - 1e-9));
}

/** ln of the Binomial(n, p) probabilities P(B = k), k = 0..n. */
function binomialLogPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let lf = 0; // ln C(n, k), built up term by term
  for (let k = 0; k <= n; k++) {
    if (k > 0) lf += Math.log(n - k + 1) - Math.log(k);
    out[k] = lf + k * lp + (n - k) * lq;
  }
  return out;
}

/** 1-based ranks [l, u] of the order-statistic interval for q_p, and its exact coverage; null when no rank fits. */
export function quantileRanks(n: number, p: number, level = 0.95): { lower: number; upper: number; coverage: number } | null {
  if (!(n > 0) || !(p > 0 && p < 1)) return null;
  const alpha = 1 - level;
  const pmf = Array.from(binomialLogPmf(n, p), Math.exp);
  // cdf[k] = P(B ≤ k)
  const cdf = new Float64Array(n + 1);
  let s = 0;
  for (let k = 0; k <= n; k++) cdf[k] = s = Math.min(1, s + pmf[k]!);
  let l = 0;
  while (l + 1 <= n && cdf[l]! <= alpha / 2) l++; // P(B ≤ l − 1) ≤ α/2 for rank l: cdf[l − 1]
  let u = n + 1;
  while (u - 1 >= 1 && 1 - cdf[u - 2]! <= alpha / 2) u--; // P(B ≥ u − 1) ≤ α/2 lets u − 1 in
  if (l < 1 || u > n || l >= u) return null;
  const coverage = cdf[u - 1]! - cdf[l - 1]!;
  return { lower: l, upper: u, coverage };
}

/** A percentile of an ascending sample with its interval, or refused below `minSamples(p)`. */
export function percentileSorted(sorted: readonly number[], p: number, level = 0.95): PercentileEstimate {
  const n = sorted.length;
  const need = minSamples(p);
  if (n < need) return { p, n, value: null, lower: null, upper: null, coverage: 0, refused: `p${+(p * 100).toFixed(1)} needs at least ${need} samples, this run has ${n}` };
  const ranks = quantileRanks(n, p, level);
  return {
    p,
    n,
    value: quantileSorted(sorted, p),
    lower: ranks ? sorted[ranks.lower - 1]! : null,
    upper: ranks ? sorted[ranks.upper - 1]! : null,
    coverage: ranks?.coverage ?? 0,
  };
}

/** p50, p95 and p99 of unsorted latencies. */
export function latencyPercentiles(samples: readonly number[], level = 0.95): PercentileEstimate[] {
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  return [0.5, 0.95, 0.99].map((p) => percentileSorted(list, p, level));
}
