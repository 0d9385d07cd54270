// quantileSorted(sorted, p): the p-quantile of timings sorted from small to large, by linear interpolation.
//   sorted: an array of numbers in ascending order (do not change it)
//   p:      a number from 0 to 1 (0.5 is the median, 0.95 the p95)
// returns a number: NaN for an empty array; throw a RangeError when p is outside [0, 1].

export function quantileSorted(sorted, p) {
  const n = sorted.length;
  // 1. n === 0: return NaN.   p outside [0, 1] (or not a number): throw new RangeError(...)
  // 2. h = (n - 1) * p; lo = Math.floor(h); hi = the next index, but never past the last one
  // 3. return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
  return NaN;
}
