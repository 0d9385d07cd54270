// A typical mistake: h = (n + 1)·p − 1 (type 6, Excel's PERCENTILE.EXC), not (n − 1)·p.
export function quantileSorted(sorted, p) {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be in [0, 1]');
  const h = Math.min(n - 1, Math.max(0, (n + 1) * p - 1));
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
