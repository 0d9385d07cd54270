// A typical mistake: ranks from the normal approximation, n/2 ± 1.96·√n/2, which is not the exact binomial.
export function medianCISorted(sorted, level = 0.95) {
  const n = sorted.length;
  if (n === 0) return { lower: NaN, upper: NaN, lowerRank: 0, upperRank: 0, coverage: 0, level };
  const j = Math.max(1, Math.floor(n / 2 - (1.96 * Math.sqrt(n)) / 2));
  return { lower: sorted[j - 1], upper: sorted[n - j], lowerRank: j, upperRank: n - j + 1, coverage: level, level };
}
