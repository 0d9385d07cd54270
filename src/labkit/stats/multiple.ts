/**
 * Testing many features at once. With k independent tests at level α, the chance that at least one fires on data
 * that did not drift is 1 − (1 − α)^k (64% for 20 features at α = 0.05), so a monitor corrects for the number of tests:
 *
 * - Bonferroni: test each feature at α / k; the family-wise false-alarm rate stays at most α, whatever the
 *   dependence between the features.
 * - Benjamini–Hochberg: reject the features whose p-values are at most the largest p(i) ≤ (i / k)·α; it bounds the
 *   expected share of false discoveries among the flagged features (for independent or positively dependent tests),
 *   and flags more than Bonferroni when several features really drifted. `adjustedBH` gives the adjusted p-values
 *   (scipy.stats.false_discovery_control(p, method='bh')).
 */

export type Correction = 'none' | 'bonferroni' | 'bh';

function checkP(pvalues: readonly number[]): void {
  for (const [i, p] of pvalues.entries()) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i + 1} is ${p}; p-values lie in [0, 1]`);
}

/** Benjamini–Hochberg adjusted p-values, in the input order. */
export function adjustedBH(pvalues: readonly number[]): number[] {
  checkP(pvalues);
  const k = pvalues.length;
  const order = pvalues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(k);
  let running = 1;
  for (let r = k - 1; r >= 0; r--) {
    const [p, i] = order[r]!;
    running = Math.min(running, (p * k) / (r + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Which tests reject at family level `alpha` under the correction. */
export function rejections(pvalues: readonly number[], alpha: number, correction: Correction): boolean[] {
  checkP(pvalues);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie between 0 and 1, got ${alpha}`);
  const k = pvalues.length;
  if (correction === 'none') return pvalues.map((p) => p <= alpha);
  if (correction === 'bonferroni') return pvalues.map((p) => p <= alpha / k);
  return adjustedBH(pvalues).map((p) => p <= alpha);
}

/** The chance that at least one of k independent tests at level α fires when nothing changed. */
export const familyWiseRate = (alpha: number, k: number) => 1 - (1 - alpha) ** k;
