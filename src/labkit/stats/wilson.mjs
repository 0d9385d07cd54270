// The Wilson score interval for a proportion k/n (Wilson 1927): good coverage near 0 and 1, where the usual
// estimate ± 1.96·SE is too narrow and can leave [0, 1]. Plain JavaScript on purpose: the tour lab shows this very
// file as the reference of its coding exercise.

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * @param {number} k successes @param {number} n trials @param {number} [z] the normal quantile (default 95%)
 * @returns {{ lower: number, upper: number }}
 */
export function wilson(k, n, z = Z95) {
  if (!(n > 0) || k < 0 || k > n) return { lower: NaN, upper: NaN };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
