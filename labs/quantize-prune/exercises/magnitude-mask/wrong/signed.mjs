// A typical mistake: comparing signed values, so large negative weights are pruned.
export function magnitudeMask(values, sparsity) {
  if (!(sparsity >= 0 && sparsity < 1)) throw new Error('bad sparsity');
  const n = values.length;
  const keep = Math.max(Math.round(n * (1 - sparsity)), 1);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b);
  const mask = new Uint8Array(n);
  for (const i of order.slice(0, keep)) mask[i] = 1;
  return { mask, threshold: values[order[keep - 1]], zeros: n - keep };
}
