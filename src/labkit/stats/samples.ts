/**
 * Statistics for benchmark samples (times in milliseconds). Framework-free; runs in the browser and in Node.
 *
 * Definitions used throughout:
 * - Percentiles are Hyndman & Fan type 7 (linear interpolation between order statistics; the default in R, NumPy
 *   and Excel's PERCENTILE.INC): for sorted x[0..n−1] and p in [0, 1], h = (n − 1)·p and
 *   q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 * - The median is q(0.5) (the middle value, or the mean of the two middle values).
 * - IQR = q(0.75) − q(0.25).
 * - The confidence interval of the median is distribution-free (order-statistic / binomial method): the number of
 *   samples below the true median is Binomial(n, ½), so [x(j), x(n−j+1)] (1-based ranks) covers the median with
 *   probability 1 − 2·P(B ≤ j − 1). We take the largest j whose coverage is still ≥ the requested level (95%), so
 *   the interval is the narrowest symmetric one that keeps its promise. For n < 6 no pair of order statistics
 *   reaches 95%; the interval is then [min, max] and `coverage` says how much it actually covers.
 */

export function sortedCopy(samples: readonly number[]): number[] {
  return Array.from(samples).sort((a, b) => a - b);
}

/** Type-7 quantile of an already sorted array. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Type-7 quantile (linear interpolation) of unsorted samples. */
export function quantile(samples: readonly number[], p: number): number {
  return quantileSorted(sortedCopy(samples), p);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  let s = 0;
  for (const v of samples) s += v;
  return s / samples.length;
}

/** ln(k!) for k = 0..n. */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
}

/** P(B ≤ k) for B ~ Binomial(n, ½), computed in log space (no underflow for large n). */
export function binomialHalfCdf(n: number, k: number, lf: Float64Array = logFactorials(n)): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const ln2n = n * Math.LN2;
  let s = 0;
  for (let i = 0; i <= k; i++) s += Math.exp(lf[n] - lf[i] - lf[n - i] - ln2n);
  return Math.min(1, s);
}

export interface MedianCI {
  lower: number;
  upper: number;
  /** 1-based ranks of the order statistics used. */
  lowerRank: number;
  upperRank: number;
  /** Exact coverage probability of [x(lowerRank), x(upperRank)] for the median of a continuous distribution. */
  coverage: number;
  /** The level asked for (e.g. 0.95). */
  level: number;
}

/** Distribution-free confidence interval of the median (see the file comment). */
export function medianCI(samples: readonly number[], level = 0.95): MedianCI {
  const sorted = sortedCopy(samples);
  return medianCISorted(sorted, level);
}

export function medianCISorted(sorted: readonly number[], level = 0.95): MedianCI {
  const n = sorted.length;
  if (n === 0) return { lower: NaN, upper: NaN, lowerRank: 0, upperRank: 0, coverage: 0, level };
  const lf = logFactorials(n);
  const ln2n = n * Math.LN2;
  // coverage(j) = 1 − 2·P(B ≤ j − 1) decreases with j; find the largest j ≥ 1 with coverage ≥ level.
  // The CDF is accumulated term by term, so this is O(n).
  let cdf = Math.exp(-ln2n); // P(B ≤ 0)
  let j = 1;
  let coverage = n === 1 ? 0 : 1 - 2 * cdf;
  for (let cand = 2; cand <= Math.floor(n / 2); cand++) {
    cdf += Math.exp(lf[n] - lf[cand - 1] - lf[n - cand + 1] - ln2n); // + P(B = cand − 1)
    const c = 1 - 2 * cdf;
    if (c < level) break;
    j = cand;
    coverage = c;
  }
  const k = n - j + 1;
  return { lower: sorted[j - 1], upper: sorted[k - 1], lowerRank: j, upperRank: k, coverage, level };
}

export interface Summary {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p25: number;
  p75: number;
  p95: number;
  p99: number;
  iqr: number;
  ci: MedianCI;
  /** (ci.upper − ci.lower) / 2 / median. */
  relHalfWidth: number;
  /** Samples (e.g. images) per second at the median latency: batchSize / median · 1000. */
  throughput: number;
}

/** Summary statistics of latencies in milliseconds; `batchSize` samples are processed per run. */
export function summarize(samples: readonly number[], batchSize = 1, level = 0.95): Summary {
  const s = sortedCopy(samples);
  const med = quantileSorted(s, 0.5);
  const ci = medianCISorted(s, level);
  const p25 = quantileSorted(s, 0.25);
  const p75 = quantileSorted(s, 0.75);
  return {
    n: s.length,
    min: s.length ? s[0] : NaN,
    max: s.length ? s[s.length - 1] : NaN,
    mean: mean(s),
    median: med,
    p25,
    p75,
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    iqr: p75 - p25,
    ci,
    relHalfWidth: relativeHalfWidth(ci, med),
    throughput: throughput(batchSize, med),
  };
}

export function relativeHalfWidth(ci: { lower: number; upper: number }, med: number): number {
  if (!(med > 0)) return ci.upper === ci.lower ? 0 : Infinity;
  return (ci.upper - ci.lower) / 2 / med;
}

/** Samples per second for a batch that takes `ms` milliseconds. */
export function throughput(batchSize: number, ms: number): number {
  return ms > 0 ? (batchSize / ms) * 1000 : Infinity;
}

/** Whether two intervals do not overlap (a strictly below or strictly above b). */
export function disjoint(a: { lower: number; upper: number }, b: { lower: number; upper: number }): boolean {
  return a.upper < b.lower || b.upper < a.lower;
}
