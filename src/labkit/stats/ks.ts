/**
 * The two-sample Kolmogorov–Smirnov test with the p-value SciPy's `ks_2samp` gives by default (method 'auto', two-sided):
 * for samples of at most 10,000 values each, the exact probability under "same distribution" that D is at least as
 * large as observed, computed as SciPy does:
 *
 * - equal sizes n: Pr(D ≥ h/n) by the alternating binomial series in the Horner form of `_compute_prob_outside_square`;
 * - unequal sizes: the lattice-path recursion of Hodges (1958) in Viehmann's form for 1 − p
 *   (`_compute_outer_prob_inside_method`, arXiv:2102.08037), on a sliding window of one column.
 *
 * Like SciPy, the statistic is first put on the grid of possible values: h = round(D · lcm(n, m)), D = h / lcm.
 * Above 10,000 values SciPy switches to an asymptotic distribution; this module refuses instead of approximating, and
 * the lab's windows and references stay below that size. The exact p-value assumes continuous data: with ties (a
 * discrete feature) it is conservative, as in SciPy.
 */
import { ksStatistic } from './ks-statistic.mjs';

export { ksStatistic };

/** SciPy's limit for the exact method under method='auto'. */
export const KS_EXACT_MAX = 10_000;

export interface KsResult {
  statistic: number;
  pvalue: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** numpy's round: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Pr(D_{n,n} ≥ h/n) (SciPy `_compute_prob_outside_square`). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** Pr(D_{m,n} ≥ h/lcm) for m ≠ n (SciPy `_compute_outer_prob_inside_method`). */
function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 < n0 ? [n0, m0] : [m0, n0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

/** The exact two-sided p-value for a statistic `d` of samples of sizes n1 and n2; also the statistic on its grid. */
export function ksExactPvalue(d: number, n1: number, n2: number): KsResult {
  if (!(Number.isInteger(n1) && Number.isInteger(n2) && n1 > 0 && n2 > 0)) throw new RangeError('sample sizes must be whole numbers above 0');
  if (Math.max(n1, n2) > KS_EXACT_MAX) throw new RangeError(`the exact KS p-value is computed for samples of at most ${KS_EXACT_MAX.toLocaleString('en')} values (got ${Math.max(n1, n2).toLocaleString('en')})`);
  if (!(d >= 0 && d <= 1)) throw new RangeError(`a KS statistic lies in [0, 1], got ${d}`);
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pvalue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
  return { statistic, pvalue: Math.min(1, Math.max(0, p)) };
}

/**
 * scipy.stats.ks_2samp(a, b) (two-sided, method 'auto'). `statistic` computes D; the lab passes the student's own
 * function here once its tests pass.
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>, statistic: (a: ArrayLike<number>, b: ArrayLike<number>) => number = ksStatistic): KsResult {
  return ksExactPvalue(statistic(a, b), a.length, b.length);
}
