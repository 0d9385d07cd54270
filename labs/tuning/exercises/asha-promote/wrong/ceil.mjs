// Wrong: rounds n/η up, so too many trials go on.
export function promotable(value, others, eta, direction) {
  const all = [...others, value].sort((a, b) => a - b);
  const keep = Math.ceil(all.length / eta);
  return direction === 'maximize' ? value >= all[all.length - keep] : value <= all[keep - 1];
}
