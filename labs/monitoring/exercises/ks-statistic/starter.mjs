// ksStatistic(a, b): the two-sample Kolmogorov–Smirnov statistic.
//   a, b: arrays (or typed arrays) of numbers
// returns D = max over x of |F_a(x) − F_b(x)|, with F(x) = share of the sample that is <= x.

export function ksStatistic(a, b) {
  // 1. refuse an empty sample or a NaN (throw an Error)
  // 2. sort copies of both samples numerically
  // 3. walk both sorted samples together; at each distinct value, count how many values of each sample are <= it
  // 4. keep the largest |i / a.length − j / b.length|
  return 0;
}
