// Wrong: counts only the other trials in n, so the rung keeps too few.
export function promotable(value, others, eta, direction) {
  const all = [...others, value].sort((a, b) => a - b);
  const keep = Math.max(1, Math.floor(others.length / eta));
  return direction === 'maximize' ? value >= all[all.length - keep] : value <= all[keep - 1];
}
