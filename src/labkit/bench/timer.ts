/**
 * Timer resolution: the smallest non-zero step of performance.now(). Browsers coarsen the clock against timing
 * attacks: Chromium gives 5 µs when the page is cross-origin isolated (COOP + COEP) and 100 µs otherwise; Firefox
 * and Safari are coarser still without isolation. Node's clock steps in well under a microsecond.
 */
import type { Clock } from './adaptive.ts';

export interface TimerResolution {
  /** Smallest non-zero difference between consecutive readings, in ms. */
  stepMs: number;
  /** Median of the non-zero steps seen, in ms (a coarse clock with jitter shows it here). */
  typicalStepMs: number;
  /** How many non-zero steps were observed. */
  steps: number;
}

/**
 * Reads the clock in a tight loop until `steps` non-zero steps were seen or `maxMs` of clock time passed
 * (or `maxReads` readings were taken, so a frozen fake clock cannot loop forever).
 */
export function measureTimerResolution(opts: { clock?: Clock; steps?: number; maxMs?: number; maxReads?: number } = {}): TimerResolution {
  const clock = opts.clock ?? (() => performance.now());
  const want = opts.steps ?? 200;
  const maxMs = opts.maxMs ?? 50;
  const maxReads = opts.maxReads ?? 5_000_000;
  const diffs: number[] = [];
  const start = clock();
  let prev = start;
  for (let i = 0; i < maxReads && diffs.length < want; i++) {
    const t = clock();
    if (t !== prev) {
      diffs.push(t - prev);
      prev = t;
      if (t - start > maxMs) break;
    }
  }
  if (diffs.length === 0) return { stepMs: NaN, typicalStepMs: NaN, steps: 0 };
  diffs.sort((a, b) => a - b);
  return { stepMs: diffs[0], typicalStepMs: diffs[diffs.length >> 1], steps: diffs.length };
}

/** "5 µs", "100 µs", "0.1 ms". */
export function formatResolution(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const us = ms * 1000;
  if (us < 1) return `${Math.round(us * 1000)} ns`;
  if (us < 1000) return `${Number(us.toPrecision(3))} µs`;
  return `${Number(ms.toPrecision(3))} ms`;
}
