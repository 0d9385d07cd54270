/**
 * The difference of two proportions measured on independent samples (two search strategies, each run on its own
 * seeds): Newcombe's hybrid score interval (method 10 of Newcombe 1998, Statistics in Medicine 17:873–890), which
 * combines the two Wilson intervals and keeps good coverage near 0 and 1, where the Wald interval does not.
 * Checked against statsmodels' `confint_proportions_2indep(method='newcomb')` (scripts/oracles/tuning.py).
 */
import { wilson, Z95 } from './proportions.ts';

export interface Difference {
  /** p1 − p2. */
  estimate: number;
  lower: number;
  upper: number;
}

export function independentDifference(k1: number, n1: number, k2: number, n2: number, z = Z95): Difference {
  if (!(n1 > 0 && n2 > 0)) return { estimate: NaN, lower: NaN, upper: NaN };
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const a = wilson(k1, n1, z);
  const b = wilson(k2, n2, z);
  const d = p1 - p2;
  return { estimate: d, lower: d - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2), upper: d + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2) };
}
