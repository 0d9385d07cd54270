// wilson(k, n): the Wilson score 95% interval of the proportion k / n, as { lower, upper }.
//   p = k / n, z = 1.959963984540054
//   centre = (p + z² / (2n)) / (1 + z² / n)
//   half   = z · √(p(1 − p) / n + z² / (4n²)) / (1 + z² / n)
//   interval = [centre − half, centre + half], clipped to [0, 1]
// For n ≤ 0, or k below 0 or above n, return { lower: NaN, upper: NaN }.
export function wilson(k, n, z = 1.959963984540054) {
  const p = k / n;
  return { lower: p, upper: p };
}
