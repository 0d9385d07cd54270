// A typical mistake: the nearest rank (type 1), with no interpolation between neighbours.
export function quantileSorted(sorted, p) {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be in [0, 1]');
  return sorted[Math.max(0, Math.ceil(p * n) - 1)];
}
