// A subtle mistake: z = 2 instead of 1.96.
export function wilson(k, n) {
  if (!(n > 0) || k < 0 || k > n) return { lower: NaN, upper: NaN };
  const z = 2;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
