// The two-sample Kolmogorov–Smirnov statistic, as scipy.stats.ks_2samp computes it: the largest distance between the
// two empirical CDFs, each evaluated at every observed value with "≤" (numpy's searchsorted side='right'), so tied
// values are handled as SciPy handles them. Plain JavaScript on purpose: the monitoring lab shows this very file as
// the reference of its coding exercise, and uses it (or the student's own function) in every KS test it runs.

/** Sorted copy as a Float64Array (numbers compare numerically, not as strings). */
function sorted(values) {
  return Float64Array.from(values).sort();
}

/**
 * D = max over x of |F_a(x) − F_b(x)|, computed on integer counts so that the result is exactly k / (n_a · n_b).
 * @param {ArrayLike<number>} a @param {ArrayLike<number>} b
 */
export function ksStatistic(a, b) {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new RangeError('both samples need at least one value');
  const x = sorted(a);
  const y = sorted(b);
  if (Number.isNaN(x[n - 1]) || Number.isNaN(y[m - 1])) throw new RangeError('a sample holds NaN');
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < n || j < m) {
    // The next distinct value, and both ECDFs just after it (every copy of it counted).
    const v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n && x[i] <= v) i++;
    while (j < m && y[j] <= v) j++;
    // i/n − j/m on a common denominator: |i·m − j·n| / (n·m), an exact integer numerator.
    const gap = Math.abs(i * m - j * n);
    if (gap > largest) largest = gap;
  }
  return largest / (n * m);
}
