// Wrong: keeps ⌊n/η⌋ even when that is 0, so every trial is pruned at the first rungs of a study.
export function promotable(value, others, eta, direction) {
  const all = [...others, value].sort((a, b) => a - b);
  const keep = Math.floor(all.length / eta);
  if (keep === 0) return false;
  return direction === 'maximize' ? value >= all[all.length - keep] : value <= all[keep - 1];
}
