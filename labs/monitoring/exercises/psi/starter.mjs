// psi(reference, current, bins = 10): the population stability index on bins cut at the reference's quantiles.

export function psi(reference, current, bins = 10) {
  // 1. check the inputs (bins a whole number >= 2, samples not empty, every value finite)
  // 2. edges: the reference's type-7 quantiles at k / bins for k = 1 .. bins - 1, without repeats
  // 3. count each sample per bin: x goes into bin i when edges[i - 1] < x <= edges[i]
  // 4. shares; a share of 0 becomes 0.0001
  // 5. sum (c - r) * ln(c / r) over the bins
  return 0;
}
