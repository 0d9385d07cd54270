// A typical mistake: the right formula, but p = 1.5 quietly returns a number instead of an error.
export function quantileSorted(sorted, p) {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.min(n - 1, Math.max(0, Math.floor(h)));
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
