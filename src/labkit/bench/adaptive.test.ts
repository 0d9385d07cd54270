import { describe, expect, it } from 'vitest';
import { runAdaptive, runInterleaved, shouldStop } from './adaptive.ts';
import { measureTimerResolution, formatResolution } from './timer.ts';

/** A fake clock: time only moves when a "run" advances it. */
function fakeClock() {
  let now = 1000;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('adaptive stopping rule (fake clock)', () => {
  it('stops at minRuns when every run takes the same time (CI width 0)', async () => {
    const c = fakeClock();
    const r = await runAdaptive(() => c.advance(2), { clock: c.clock, warmup: 5, minRuns: 30, targetRelHalfWidth: 0.02, budgetMs: 10_000 });
    expect(r.stopReason).toBe('converged');
    expect(r.samples).toHaveLength(30);
    expect(r.warmupSamples).toHaveLength(5);
    expect(r.summary.median).toBe(2);
    expect(r.summary.throughput).toBe(500);
    expect(r.elapsedMs).toBe(35 * 2);
  });

  it('warm-up runs are not in the statistics', async () => {
    const c = fakeClock();
    let i = 0;
    // The first 3 runs are slow (compilation); then 1 ms.
    const r = await runAdaptive(() => c.advance(i++ < 3 ? 100 : 1), { clock: c.clock, warmup: 3, minRuns: 30, budgetMs: 10_000 });
    expect(r.warmupSamples).toEqual([100, 100, 100]);
    expect(r.summary.max).toBe(1);
  });

  it('keeps running past minRuns while the interval is too wide, then converges', async () => {
    const c = fakeClock();
    let i = 0;
    // Alternating 1 ms and 3 ms: the CI of the median spans [1, 3] until the sample is large
    // enough… it never narrows, so with a generous budget only max-runs stops it.
    const r = await runAdaptive(() => c.advance(i++ % 2 ? 3 : 1), { clock: c.clock, warmup: 0, minRuns: 30, maxRuns: 200, targetRelHalfWidth: 0.02, budgetMs: 1e9 });
    expect(r.stopReason).toBe('max-runs');
    expect(r.samples).toHaveLength(200);
  });

  it('converges once a noisy start is outweighed', async () => {
    const c = fakeClock();
    let i = 0;
    // 10 noisy runs (5 or 9 ms), then a stable 1 ms. The CI's upper end is x(n − j + 1); it drops to 1 ms only when
    // n − j + 1 ≤ n − 10, i.e. j ≥ 11, and the first n with 1 − 2·P(B ≤ 10) ≥ 0.95 is 33 (coverage 0.9649; n = 32
    // gives 0.9499). So exactly 33 timed runs.
    const r = await runAdaptive(() => c.advance(i < 10 ? (i++ % 2 ? 9 : 5) : (i++, 1)), { clock: c.clock, warmup: 0, minRuns: 10, maxRuns: 1000, targetRelHalfWidth: 0.02, budgetMs: 1e9 });
    expect(r.stopReason).toBe('converged');
    expect(r.samples).toHaveLength(33);
    expect(r.summary.ci.upper).toBe(1);
    expect(r.summary.ci.upperRank).toBe(23);
  });

  it('stops on the time budget (after minRuns) when the interval stays wide', async () => {
    const c = fakeClock();
    let i = 0;
    const r = await runAdaptive(() => c.advance(i++ % 2 ? 30 : 10), { clock: c.clock, warmup: 2, minRuns: 30, targetRelHalfWidth: 0.02, budgetMs: 1000 });
    expect(r.stopReason).toBe('budget');
    // 2 warm-up (40 ms) + timed runs alternating 10/30 ms: budget hit only after minRuns
    expect(r.samples.length).toBeGreaterThanOrEqual(30);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(r.elapsedMs).toBeLessThan(1000 + 30);
  });

  it('the budget does not cut below minRuns unless the hard budget is spent', async () => {
    const c = fakeClock();
    let i = 0;
    const slow = await runAdaptive(() => c.advance(i++ % 2 ? 120 : 100), { clock: c.clock, warmup: 0, minRuns: 30, budgetMs: 1000, hardBudgetMs: 1e9 });
    expect(slow.samples).toHaveLength(30);
    expect(slow.stopReason).toBe('budget');
    const c2 = fakeClock();
    const capped = await runAdaptive(() => c2.advance(100), { clock: c2.clock, warmup: 0, minRuns: 30, budgetMs: 1000, hardBudgetMs: 2000 });
    expect(capped.stopReason).toBe('budget');
    expect(capped.samples).toHaveLength(20);
  });

  it('cancels between runs', async () => {
    const c = fakeClock();
    const ac = new AbortController();
    const r = await runAdaptive(
      () => {
        c.advance(1);
      },
      { clock: c.clock, warmup: 1, minRuns: 30, signal: ac.signal, onRun: (n) => n === 7 && ac.abort() },
    );
    expect(r.stopReason).toBe('cancelled');
    expect(r.samples).toHaveLength(7);
  });

  it('shouldStop is pure', () => {
    const o = { minRuns: 3, maxRuns: 5, targetRelHalfWidth: 0.1, budgetMs: 100, hardBudgetMs: 400 };
    expect(shouldStop([1, 1], 0, o)).toBeNull();
    expect(shouldStop([1, 1, 1], 0, o)).toBe('converged');
    expect(shouldStop([1, 5, 9], 50, o)).toBeNull();
    expect(shouldStop([1, 5, 9], 100, o)).toBe('budget');
    expect(shouldStop([1, 5, 9, 1, 5], 0, o)).toBe('max-runs');
    expect(shouldStop([1], 400, o)).toBe('budget');
  });
});

describe('timer resolution', () => {
  it('finds the smallest step of a coarse fake clock', () => {
    let reads = 0;
    // A 5 µs clock read every 1 µs: steps of 0.005 ms.
    const clock = () => Math.floor(reads++ / 5) * 0.005;
    const r = measureTimerResolution({ clock, steps: 50 });
    expect(r.stepMs).toBeCloseTo(0.005, 12);
    expect(r.steps).toBe(50);
    expect(formatResolution(r.stepMs)).toBe('5 µs');
    expect(formatResolution(0.1)).toBe('100 µs');
  });
  it('gives up on a frozen clock', () => {
    const r = measureTimerResolution({ clock: () => 1, maxReads: 1000 });
    expect(r.steps).toBe(0);
    expect(Number.isNaN(r.stepMs)).toBe(true);
  });
  it('measures the real clock in Node (finer than 1 ms)', () => {
    const r = measureTimerResolution({ steps: 20 });
    expect(r.stepMs).toBeGreaterThan(0);
    expect(r.stepMs).toBeLessThan(1);
  });
});

describe('interleaved runs (fake clock)', () => {
  it('alternates candidates in a rotating order and stops when all have converged', async () => {
    const c = fakeClock();
    const order: string[] = [];
    const r = await runInterleaved(
      [
        () => (order.push('a'), c.advance(2)),
        () => (order.push('b'), c.advance(1)),
      ],
      { clock: c.clock, warmup: 1, minRuns: 30, budgetMs: 1e9 },
    );
    expect(order.slice(0, 6)).toEqual(['a', 'b', 'a', 'b', 'b', 'a']); // warm-up a b, then round 0: a b, round 1: b a
    expect(r.map((x) => x.samples.length)).toEqual([30, 30]);
    expect(r.map((x) => x.stopReason)).toEqual(['converged', 'converged']);
    expect(r[0].summary.median).toBe(2);
    expect(r[1].summary.median).toBe(1);
  });

  it('a drift affects both candidates alike', async () => {
    const c = fakeClock();
    let t = 0;
    // Every run is slower than the last (drift): sequential measurement would favour the one measured first.
    const slowdown = (base: number) => () => c.advance(base * (1 + t++ * 0.001));
    const r = await runInterleaved([slowdown(1), slowdown(1)], { clock: c.clock, warmup: 0, minRuns: 30, maxRuns: 100, budgetMs: 1e9 });
    const ratio = r[0].summary.median / r[1].summary.median;
    expect(Math.abs(ratio - 1)).toBeLessThan(0.005);
  });

  it('stops on the budget, which scales with the number of candidates', async () => {
    const c = fakeClock();
    let i = 0;
    const noisy = () => c.advance(i++ % 2 ? 30 : 10);
    const r = await runInterleaved([noisy, noisy], { clock: c.clock, warmup: 0, minRuns: 30, budgetMs: 1000 });
    expect(r[0].stopReason).toBe('budget');
    expect(r[0].samples.length).toBeGreaterThanOrEqual(30);
    expect(r[0].elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(r[0].elapsedMs).toBeLessThan(2000 + 2 * 30 + 1);
  });
});
