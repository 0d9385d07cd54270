// A typical mistake: the right ranks, read as 0-based indices, so both ends are one place too high.
export function medianCISorted(sorted, level = 0.95) {
  const n = sorted.length;
  if (n === 0) return { lower: NaN, upper: NaN, lowerRank: 0, upperRank: 0, coverage: 0, level };
  let term = 2 ** -n;
  let cdf = term;
  let j = 1;
  let coverage = n === 1 ? 0 : 1 - 2 * cdf;
  for (let c = 2; c <= Math.floor(n / 2); c++) {
    term *= (n - c + 2) / (c - 1);
    cdf += term;
    if (1 - 2 * cdf < level) break;
    j = c;
    coverage = 1 - 2 * cdf;
  }
  return { lower: sorted[j], upper: sorted[Math.min(n - 1, n - j + 1)], lowerRank: j, upperRank: n - j + 1, coverage, level };
}
