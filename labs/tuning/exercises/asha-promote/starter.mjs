/**
 * Successive halving at one rung: does the trial go on to the next rung?
 * value: this trial's value at the rung; others: the values earlier trials recorded there;
 * eta: the reduction factor η; direction: 'minimize' or 'maximize'.
 */
export function promotable(value, others, eta, direction) {
  // TODO: keep the best ⌊n/η⌋ of the n values (the trial's own included); at least the best one
  return true;
}
