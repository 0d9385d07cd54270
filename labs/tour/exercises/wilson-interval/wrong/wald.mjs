// A typical mistake: the textbook (Wald) interval p ± z·SE, too narrow near 0 and 1.
export function wilson(k, n, z = 1.959963984540054) {
  if (!(n > 0) || k < 0 || k > n) return { lower: NaN, upper: NaN };
  const p = k / n;
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return { lower: Math.max(0, p - half), upper: Math.min(1, p + half) };
}
