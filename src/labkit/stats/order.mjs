// Order statistics of a sample: the type-7 quantile, and the distribution-free confidence interval of the median.
// Plain JavaScript on purpose: the speed lab shows this very file as the reference of its coding exercises and runs it
// beside the student's own functions. src/labkit/stats/samples.ts re-exports it for the rest of the code.
//
// - Type 7 (Hyndman & Fan 1996; the default of R, NumPy and Excel's PERCENTILE.INC): for sorted x[0..n−1] and p in
//   [0, 1], h = (n − 1)·p and q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
// - The median's interval: each sample falls below the true median with probability ½, so the number below it is
//   B ~ Binomial(n, ½), and [x(j), x(n−j+1)] (1-based ranks) covers the median with probability 1 − 2·P(B ≤ j − 1)
//   (Conover 1999, §3.2). The largest j whose coverage is still at least the level gives the narrowest symmetric
//   interval that keeps its promise. Below n = 6 no pair reaches 95%: the interval is then [min, max] and `coverage`
//   says how much it really covers.

/**
 * The type-7 quantile of an ascending sample; NaN for an empty one.
 * @param {ArrayLike<number>} sorted ascending
 * @param {number} p in [0, 1]
 * @returns {number}
 */
export function quantileSorted(sorted, p) {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * ln(k!) for k = 0..n.
 * @param {number} n
 * @returns {Float64Array}
 */
function logFactorials(n) {
  const out = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
}

/**
 * P(B ≤ k) for B ~ Binomial(n, ½), summed in log space so that no term underflows for large n.
 * @param {number} n
 * @param {number} k
 * @returns {number}
 */
export function binomialHalfCdf(n, k) {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const lf = logFactorials(n);
  const ln2n = n * Math.LN2;
  let s = 0;
  for (let i = 0; i <= k; i++) s += Math.exp(lf[n] - lf[i] - lf[n - i] - ln2n);
  return Math.min(1, s);
}

/**
 * @typedef {object} MedianCI
 * @property {number} lower x(lowerRank)
 * @property {number} upper x(upperRank)
 * @property {number} lowerRank 1-based rank of the lower end (0 for an empty sample)
 * @property {number} upperRank 1-based rank of the upper end, n − lowerRank + 1
 * @property {number} coverage the exact probability that [x(lowerRank), x(upperRank)] covers the median
 * @property {number} level the level asked for
 */

/**
 * The distribution-free confidence interval of the median of an ascending sample.
 * @param {ArrayLike<number>} sorted ascending
 * @param {number} [level] the coverage asked for (default 0.95)
 * @returns {MedianCI}
 */
export function medianCISorted(sorted, level = 0.95) {
  const n = sorted.length;
  if (n === 0) return { lower: NaN, upper: NaN, lowerRank: 0, upperRank: 0, coverage: 0, level };
  const lf = logFactorials(n);
  const ln2n = n * Math.LN2;
  // coverage(j) = 1 − 2·P(B ≤ j − 1) falls as j grows: keep the largest j ≥ 1 whose coverage is ≥ level.
  // P(B ≤ j − 1) is accumulated one term at a time, so the search is O(n).
  let cdf = Math.exp(-ln2n); // P(B ≤ 0)
  let j = 1;
  let coverage = n === 1 ? 0 : 1 - 2 * cdf;
  for (let candidate = 2; candidate <= Math.floor(n / 2); candidate++) {
    cdf += Math.exp(lf[n] - lf[candidate - 1] - lf[n - candidate + 1] - ln2n); // + P(B = candidate − 1)
    const c = 1 - 2 * cdf;
    if (c < level) break;
    j = candidate;
    coverage = c;
  }
  const k = n - j + 1;
  return { lower: sorted[j - 1], upper: sorted[k - 1], lowerRank: j, upperRank: k, coverage, level };
}
