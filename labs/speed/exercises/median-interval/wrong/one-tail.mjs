// A typical mistake: coverage 1 − P(B ≤ j − 1), forgetting the other tail, so the interval is too narrow.
export function medianCISorted(sorted, level = 0.95) {
  const n = sorted.length;
  if (n === 0) return { lower: NaN, upper: NaN, lowerRank: 0, upperRank: 0, coverage: 0, level };
  let term = 2 ** -n;
  let cdf = term;
  let j = 1;
  let coverage = n === 1 ? 0 : 1 - cdf;
  for (let c = 2; c <= Math.floor(n / 2); c++) {
    term *= (n - c + 2) / (c - 1);
    cdf += term;
    if (1 - cdf < level) break;
    j = c;
    coverage = 1 - cdf;
  }
  return { lower: sorted[j - 1], upper: sorted[n - j], lowerRank: j, upperRank: n - j + 1, coverage, level };
}
