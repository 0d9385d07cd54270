/**
 * Statistics for benchmark samples (times in milliseconds). Framework-free; runs in the browser and in Node.
 *
 * The order statistics themselves (the type-7 quantile and the distribution-free confidence interval of the median)
 * live in `order.mjs`, plain JavaScript, because the speed lab shows that file to students as the reference of their
 * coding exercises; this module re-exports them with types and builds the summaries on top. The median is q(0.5) and
 * IQR = q(0.75) − q(0.25).
 */
import { binomialHalfCdf as binomialHalfCdfJs, medianCISorted as medianCISortedJs, quantileSorted as quantileSortedJs } from './order.mjs';

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

/** The two order-statistic functions a summary uses: the reference (order.mjs), or a student's own. */
export interface OrderStatistics {
  quantileSorted(sorted: readonly number[], p: number): number;
  medianCISorted(sorted: readonly number[], level?: number): MedianCI;
}

/** Type-7 quantile of an already sorted array. */
export const quantileSorted: OrderStatistics['quantileSorted'] = quantileSortedJs;
/** Distribution-free confidence interval of the median of an already sorted array. */
export const medianCISorted: OrderStatistics['medianCISorted'] = medianCISortedJs;
/** P(B ≤ k) for B ~ Binomial(n, ½). */
export const binomialHalfCdf: (n: number, k: number) => number = binomialHalfCdfJs;

export const REFERENCE_ORDER: OrderStatistics = { quantileSorted, medianCISorted };

export function sortedCopy(samples: readonly number[]): number[] {
  return Array.from(samples).sort((a, b) => a - b);
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

/** Distribution-free confidence interval of the median (see order.mjs). */
export function medianCI(samples: readonly number[], level = 0.95): MedianCI {
  return medianCISorted(sortedCopy(samples), level);
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

/**
 * Summary statistics of latencies in milliseconds; `batchSize` samples are processed per run. `order` computes the
 * quantiles and the median's interval: the reference, or a student's own functions from the coding track.
 */
export function summarize(samples: readonly number[], batchSize = 1, level = 0.95, order: OrderStatistics = REFERENCE_ORDER): Summary {
  const s = sortedCopy(samples);
  const q = order.quantileSorted;
  const med = q(s, 0.5);
  const ci = order.medianCISorted(s, level);
  const p25 = q(s, 0.25);
  const p75 = q(s, 0.75);
  return {
    n: s.length,
    min: s.length ? s[0] : NaN,
    max: s.length ? s[s.length - 1] : NaN,
    mean: mean(s),
    median: med,
    p25,
    p75,
    p95: q(s, 0.95),
    p99: q(s, 0.99),
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
