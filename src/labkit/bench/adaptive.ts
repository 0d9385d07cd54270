/**
 * The adaptive stopping rule. After `warmup` untimed runs, timed runs continue until
 *   - at least `minRuns` runs are done AND the 95% CI of the median has a relative half-width ≤ `targetRelHalfWidth`
 *     ("converged"), or
 *   - the time budget (`budgetMs`, counted from the first warm-up run, warm-up included) is spent ("budget"), or
 *   - `maxRuns` timed runs are done ("max-runs"), or
 *   - the signal is aborted ("cancelled").
 * The budget never cuts a run short and never stops before `minRuns` unless `hardBudgetMs` (default 4 × budget) is
 * exceeded: a slow backend still gets its minimum number of runs when that is affordable.
 *
 * The clock is injectable, so the rule is tested with a fake clock; in the page it is performance.now().
 */
import { summarize, type Summary } from '../stats/samples.ts';

export type Clock = () => number;

export const defaultClock: Clock = () => performance.now();

export interface AdaptiveOptions {
  warmup?: number;
  minRuns?: number;
  maxRuns?: number;
  /** Target relative half-width of the 95% CI of the median (0.02 = ±2%). */
  targetRelHalfWidth?: number;
  /** Soft time budget in ms (warm-up included). */
  budgetMs?: number;
  /** Absolute cap in ms even when fewer than minRuns are done (default 4 × budgetMs). */
  hardBudgetMs?: number;
  /** Samples per run, for throughput. */
  batchSize?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called after every timed run with the number done so far. */
  onRun?: (done: number, elapsedMs: number) => void;
}

export type StopReason = 'converged' | 'budget' | 'max-runs' | 'cancelled';

export interface AdaptiveResult {
  /** Timed run durations in ms, in the order they ran. */
  samples: number[];
  /** Warm-up durations in ms (not in the statistics). */
  warmupSamples: number[];
  stopReason: StopReason;
  elapsedMs: number;
  summary: Summary;
  options: Required<Omit<AdaptiveOptions, 'clock' | 'signal' | 'onRun' | 'hardBudgetMs'>> & { hardBudgetMs: number };
}

export const ADAPTIVE_DEFAULTS = {
  warmup: 5,
  minRuns: 30,
  maxRuns: 1000,
  targetRelHalfWidth: 0.02,
  budgetMs: 5000,
  batchSize: 1,
};

/** The batch sizes of a sweep, by default. */
export const DEFAULT_SWEEP = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Each batch size of a sweep is timed on its own: fewer runs and a wider target than the steady state. */
export const SWEEP_DEFAULTS = { warmup: 3, minRuns: 10, maxRuns: 500, targetRelHalfWidth: 0.05, budgetMs: 1000 };

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Decides, after a timed run, whether to stop. Pure: exported for tests and for callers with their own loop. */
export function shouldStop(
  samples: readonly number[],
  elapsedMs: number,
  o: { minRuns: number; maxRuns: number; targetRelHalfWidth: number; budgetMs: number; hardBudgetMs: number },
): StopReason | null {
  const n = samples.length;
  if (n >= o.maxRuns) return 'max-runs';
  if (elapsedMs >= o.hardBudgetMs) return 'budget';
  if (n < o.minRuns) return null;
  if (summarize(samples).relHalfWidth <= o.targetRelHalfWidth) return 'converged';
  if (elapsedMs >= o.budgetMs) return 'budget';
  return null;
}

/** The options with their defaults filled in; the hard budget defaults to four times the soft one. */
function resolveOptions(opts: AdaptiveOptions): AdaptiveResult['options'] {
  const o = {
    warmup: opts.warmup ?? ADAPTIVE_DEFAULTS.warmup,
    minRuns: opts.minRuns ?? ADAPTIVE_DEFAULTS.minRuns,
    maxRuns: opts.maxRuns ?? ADAPTIVE_DEFAULTS.maxRuns,
    targetRelHalfWidth: opts.targetRelHalfWidth ?? ADAPTIVE_DEFAULTS.targetRelHalfWidth,
    budgetMs: opts.budgetMs ?? ADAPTIVE_DEFAULTS.budgetMs,
    batchSize: opts.batchSize ?? ADAPTIVE_DEFAULTS.batchSize,
    hardBudgetMs: opts.hardBudgetMs ?? 4 * (opts.budgetMs ?? ADAPTIVE_DEFAULTS.budgetMs),
  };
  if (o.minRuns > o.maxRuns) throw new RangeError(`minRuns (${o.minRuns}) > maxRuns (${o.maxRuns})`);
  return o;
}

/** Runs `runOnce` (which must finish its work, e.g. `await t.data()`) adaptively and returns the timings. */
export async function runAdaptive(runOnce: () => unknown | Promise<unknown>, opts: AdaptiveOptions = {}): Promise<AdaptiveResult> {
  const clock = opts.clock ?? defaultClock;
  const o = resolveOptions(opts);
  const start = clock();
  const warmupSamples: number[] = [];
  const samples: number[] = [];
  let stopReason: StopReason | null = null;
  for (let i = 0; i < o.warmup; i++) {
    if (opts.signal?.aborted) {
      stopReason = 'cancelled';
      break;
    }
    const t0 = clock();
    await runOnce();
    warmupSamples.push(clock() - t0);
  }
  while (stopReason === null) {
    if (opts.signal?.aborted) {
      stopReason = 'cancelled';
      break;
    }
    const t0 = clock();
    await runOnce();
    const t1 = clock();
    samples.push(t1 - t0);
    opts.onRun?.(samples.length, t1 - start);
    stopReason = shouldStop(samples, t1 - start, o);
  }
  return { samples, warmupSamples, stopReason, elapsedMs: clock() - start, summary: summarize(samples, o.batchSize), options: o };
}

/**
 * The same stopping rule for several things measured side by side (e.g. a baseline and its pruned variant):
 * runs are interleaved round by round, in a rotating order, so slow drift (JIT warm-up, CPU frequency, other tabs,
 * thermal throttling) affects every candidate alike instead of favouring whichever ran last. Stops when every
 * candidate has converged, or when the budget (`budgetMs` per candidate, so the total scales with their number)
 * is spent and each has at least `minRuns`, or at `maxRuns` rounds, or on abort. Each result's stopReason is
 * 'converged' when that candidate's own interval met the target.
 */
export async function runInterleaved(runners: (() => unknown | Promise<unknown>)[], opts: AdaptiveOptions = {}): Promise<AdaptiveResult[]> {
  const clock = opts.clock ?? defaultClock;
  const k = runners.length;
  const o = resolveOptions(opts);
  const start = clock();
  const warm: number[][] = runners.map(() => []);
  const samples: number[][] = runners.map(() => []);
  let reason: StopReason | null = null;
  for (let w = 0; w < o.warmup && reason === null; w++) {
    for (let i = 0; i < k; i++) {
      if (opts.signal?.aborted) {
        reason = 'cancelled';
        break;
      }
      const t0 = clock();
      await runners[i]();
      warm[i].push(clock() - t0);
    }
  }
  const converged = (s: number[]) => s.length >= o.minRuns && summarize(s).relHalfWidth <= o.targetRelHalfWidth;
  for (let round = 0; reason === null; round++) {
    for (let j = 0; j < k; j++) {
      if (opts.signal?.aborted) {
        reason = 'cancelled';
        break;
      }
      const i = (round + j) % k;
      const t0 = clock();
      await runners[i]();
      samples[i].push(clock() - t0);
    }
    if (reason) break;
    const elapsed = clock() - start;
    opts.onRun?.(round + 1, elapsed);
    const n = round + 1;
    if (n >= o.maxRuns) reason = 'max-runs';
    else if (elapsed >= o.hardBudgetMs * k) reason = 'budget';
    else if (n >= o.minRuns && samples.every(converged)) reason = 'converged';
    else if (n >= o.minRuns && elapsed >= o.budgetMs * k) reason = 'budget';
  }
  const elapsedMs = clock() - start;
  return samples.map((s, i) => ({
    samples: s,
    warmupSamples: warm[i],
    stopReason: reason === 'cancelled' ? 'cancelled' : converged(s) ? 'converged' : reason!,
    elapsedMs,
    summary: summarize(s, o.batchSize),
    options: o,
  }));
}
