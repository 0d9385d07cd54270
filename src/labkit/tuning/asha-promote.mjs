/**
 * Successive halving's rule at one rung, as Optuna's SuccessiveHalvingPruner (asynchronous successive halving,
 * ASHA) applies it: a trial that reached the rung goes on only if its value is among the best 1/η of all values
 * recorded at that rung so far, its own included.
 *
 * value       the trial's value at this rung
 * others      the values other trials recorded at this rung before (in any order)
 * eta         the reduction factor η (Optuna's `reduction_factor`), a whole number ≥ 2
 * direction   'minimize' or 'maximize'
 * returns     true to promote the trial to the next rung, false to prune it
 *
 * With n values in all, the best ⌊n/η⌋ go on. While fewer than η trials have reached the rung, ⌊n/η⌋ is 0, and a
 * trial goes on only if it is the best so far: Optuna cannot pause a trial and resume it later, as synchronous
 * successive halving would, so it decides at once.
 */
export function promotable(value, others, eta, direction) {
  const all = [...others, value].sort((a, b) => a - b);
  const keep = Math.max(1, Math.floor(all.length / eta));
  return direction === 'maximize' ? value >= all[all.length - keep] : value <= all[keep - 1];
}
