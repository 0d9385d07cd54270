/**
 * Proportions and paired comparisons of two classifiers on the same test set. Framework-free.
 *
 * - `wilson(k, n)`: the Wilson score interval for an accuracy k/n (Wilson 1927); good coverage near 0 and 1, where
 *   the usual ±1.96·SE interval is too narrow.
 * - `pairedDifference(counts)`: the 95% interval for the difference of two accuracies measured on the SAME images,
 *   by Newcombe's method 10 (Newcombe 1998, Statistics in Medicine 17:2635–2650): it combines the two Wilson
 *   intervals with the correlation between the paired outcomes, so images both models get right (or wrong) do not
 *   count as evidence. Two models that disagree on few images get a narrow interval, as they should.
 * - `mcnemarExact(onlyA, onlyB)`: the exact McNemar test: under "no difference" the images only one model gets
 *   right are split between the two like fair coin tosses, so the two-sided p-value is a binomial tail.
 */
import { binomialHalfCdf } from './samples.ts';

export { wilson, Z95 } from './wilson.mjs';
import { wilson, Z95 } from './wilson.mjs';

export interface Interval {
  lower: number;
  upper: number;
}

/** Outcomes of two classifiers on the same items: both right, only A right, only B right, both wrong. */
export interface PairedCounts {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

export function pairedCounts(a: ArrayLike<boolean | number>, b: ArrayLike<boolean | number>): PairedCounts {
  if (a.length !== b.length) throw new RangeError(`paired outcomes need the same items: ${a.length} vs ${b.length}`);
  const c: PairedCounts = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) c.both++;
    else if (a[i]) c.onlyA++;
    else if (b[i]) c.onlyB++;
    else c.neither++;
  }
  return c;
}

export interface Difference extends Interval {
  /** pA − pB */
  estimate: number;
}

/** The 95% interval of accuracy(A) − accuracy(B) from paired outcomes (Newcombe's method 10). */
export function pairedDifference(counts: PairedCounts, z = Z95): Difference {
  const { both: a, onlyA: b, onlyB: c, neither: d } = counts;
  const n = a + b + c + d;
  if (n === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const pA = (a + b) / n;
  const pB = (a + c) / n;
  const wa = wilson(a + b, n, z);
  const wb = wilson(a + c, n, z);
  const product = (a + b) * (c + d) * (a + c) * (b + d);
  const phi = product === 0 ? 0 : (a * d - b * c) / Math.sqrt(product);
  const dl = Math.sqrt(Math.max(0, (pA - wa.lower) ** 2 - 2 * phi * (pA - wa.lower) * (wb.upper - pB) + (wb.upper - pB) ** 2));
  const du = Math.sqrt(Math.max(0, (wa.upper - pA) ** 2 - 2 * phi * (wa.upper - pA) * (pB - wb.lower) + (pB - wb.lower) ** 2));
  const estimate = pA - pB;
  return { estimate, lower: Math.max(-1, estimate - dl), upper: Math.min(1, estimate + du) };
}

/** Two-sided exact McNemar p-value from the discordant counts. */
export function mcnemarExact(onlyA: number, onlyB: number): number {
  const m = onlyA + onlyB;
  if (m === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(m, Math.min(onlyA, onlyB)));
}
