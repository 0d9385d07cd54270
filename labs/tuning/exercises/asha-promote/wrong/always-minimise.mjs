// Wrong: ignores the direction, so a study that maximises accuracy keeps its worst trials.
export function promotable(value, others, eta) {
  const all = [...others, value].sort((a, b) => a - b);
  const keep = Math.max(1, Math.floor(all.length / eta));
  return value <= all[keep - 1];
}
