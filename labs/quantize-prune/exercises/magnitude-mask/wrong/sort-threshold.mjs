// A typical mistake: every weight at or above the threshold is kept, so ties keep too many.
export function magnitudeMask(values, sparsity) {
  if (!(sparsity >= 0 && sparsity < 1)) throw new Error('bad sparsity');
  const n = values.length;
  const keep = Math.max(Math.round(n * (1 - sparsity)), 1);
  const sorted = Array.from(values, Math.abs).sort((a, b) => b - a);
  const threshold = sorted[keep - 1];
  const mask = Uint8Array.from(values, (v) => (Math.abs(v) >= threshold ? 1 : 0));
  return { mask, threshold, zeros: n - keep };
}
