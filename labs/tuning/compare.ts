/**
 * What a comparison of strategies shows, from its per-seed results: how often each strategy's chosen configuration
 * is truly within 1 percentage point of the best in the benchmark (with a Wilson interval), what it cost in epochs
 * (as a share of a full grid), how many of its trials repeated an earlier one, and the difference between two
 * strategies' rates with Newcombe's interval for independent samples.
 */
import { wilson } from '../../src/labkit/stats/proportions.ts';
import { independentDifference } from '../../src/labkit/stats/independent.ts';
import type { Comparison, StoredStrategyResults } from './records.ts';

/** "Within 1 pp": the chosen configuration's true error is at most the benchmark's best + 0.01. */
export const WITHIN = 0.01;
/** A comparison counts for the criteria from this many seeds on. */
export const MIN_SEEDS = 50;

export interface StrategySummary {
  seeds: number;
  within: number;
  rate: number;
  lower: number;
  upper: number;
  /** Median true error of the chosen configurations (NaN when none was chosen in half the seeds or more). */
  medianTruth: number;
  /** Mean epochs trained, as a share of a full grid. */
  epochShare: number;
  /** Duplicated trials as a share of all trials. */
  duplicateShare: number;
  failedShare: number;
  prunedShare: number;
  trialsPerSeed: number;
}

export function summarise(c: Comparison, s: StoredStrategyResults): StrategySummary {
  const n = s.results.length;
  const within = s.results.filter(([config, truth]) => config >= 0 && truth !== null && truth <= c.bestTruth + WITHIN + 1e-12).length;
  const interval = wilson(within, n);
  const truths = s.results.map(([, t]) => (t === null ? Infinity : t)).sort((a, b) => a - b);
  const median = truths[Math.floor((n - 1) / 2)]!;
  const trials = s.results.reduce((a, r) => a + r[5] + r[6] + r[7], 0);
  const sum = (k: number) => s.results.reduce((a, r) => a + (r[k] as number), 0);
  return {
    seeds: n,
    within,
    rate: n ? within / n : NaN,
    lower: interval.lower,
    upper: interval.upper,
    medianTruth: Number.isFinite(median) ? median : NaN,
    epochShare: n ? sum(3) / n / c.gridEpochs : NaN,
    duplicateShare: trials ? sum(4) / trials : 0,
    failedShare: trials ? sum(7) / trials : 0,
    prunedShare: trials ? sum(6) / trials : 0,
    trialsPerSeed: n ? trials / n : 0,
  };
}

/** The difference of two strategies' within-1-pp rates in percentage points, with its 95% interval. */
export function rateDifferencePp(c: Comparison, a: StoredStrategyResults, b: StoredStrategyResults) {
  const x = summarise(c, a);
  const y = summarise(c, b);
  const d = independentDifference(x.within, x.seeds, y.within, y.seeds);
  return { value: d.estimate * 100, lower: d.lower * 100, upper: d.upper * 100 };
}
