// magnitudeMask(values, sparsity): which weights magnitude pruning keeps.
//   values:   a Float32Array of weights
//   sparsity: the fraction to remove, in [0, 1)
// returns { mask, threshold, zeros }: mask is a Uint8Array (1 = keep, 0 = prune), threshold is |w| of the smallest
// kept weight, zeros is how many weights are pruned.

/** numpy's round: to the nearest integer, and exactly halfway to the even one. */
function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function magnitudeMask(values, sparsity) {
  const n = values.length;
  const keep = Math.max(roundHalfEven(n * (1 - sparsity)), 1);
  const mask = new Uint8Array(n).fill(1);
  // 1. refuse a sparsity outside [0, 1) with an Error
  // 2. find the threshold: the keep-th largest |w| (sorting a copy of the magnitudes is fine)
  // 3. keep every weight with |w| above it, and as many with |w| equal to it as needed, earliest first
  return { mask, threshold: 0, zeros: n - keep };
}
