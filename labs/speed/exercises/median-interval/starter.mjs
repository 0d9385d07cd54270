// medianCISorted(sorted, level = 0.95): a distribution-free interval for the median of sorted timings.
//   sorted: an array of n numbers in ascending order (do not change it)
// returns { lower, upper, lowerRank, upperRank, coverage, level }
//   lower = sorted[j - 1] and upper = sorted[n - j] for the largest j >= 1 with coverage(j) >= level,
//   coverage(j) = 1 - 2 * P(B <= j - 1), B ~ Binomial(n, 1/2); ranks count from 1.

export function medianCISorted(sorted, level = 0.95) {
  const n = sorted.length;
  if (n === 0) return { lower: NaN, upper: NaN, lowerRank: 0, upperRank: 0, coverage: 0, level };
  // P(B = 0) = 2^-n, and P(B = i + 1) = P(B = i) * (n - i) / (i + 1): add them up to get P(B <= j - 1).
  // Start with j = 1 (coverage 1 - 2 * P(B <= 0), or 0 when n = 1), then try j = 2, 3, … up to n / 2
  // and keep the last j whose coverage is still >= level.
  const j = 1;
  const coverage = 0;
  return { lower: sorted[j - 1], upper: sorted[n - j], lowerRank: j, upperRank: n - j + 1, coverage, level };
}
