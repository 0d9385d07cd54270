// The Page-Hinkley test for an increase in the mean of a stream (Page 1954), in the form River's
// drift.PageHinkley uses: a running mean x̄_t, a cumulative sum S_t = max(0, α·S_{t−1} + x_t − x̄_t − δ), and an alarm
// when S_t ≥ λ once at least `minInstances` values were seen; after an alarm the detector starts afresh. On a stream
// of 0/1 errors it notices when the error rate goes up. Plain JavaScript on purpose: the monitoring lab shows this
// very file as the reference of its coding exercise, and runs it (or the student's own function) on the error stream.

/**
 * The positions (0-based) at which the detector raises an alarm.
 * @param {ArrayLike<number>} values
 * @param {{ delta?: number, threshold?: number, minInstances?: number, alpha?: number }} [options]
 */
export function pageHinkley(values, options = {}) {
  const { delta = 0.005, threshold = 50, minInstances = 30, alpha = 1 - 0.0001 } = options;
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError('threshold (λ) must be a number above 0');
  if (!(delta >= 0) || !Number.isFinite(delta)) throw new RangeError('delta (δ) must be a number of at least 0');
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError('alpha must lie in (0, 1]');
  if (!Number.isInteger(minInstances) || minInstances < 1) throw new RangeError('minInstances must be a whole number of at least 1');
  const alarms = [];
  let count = 1;
  let mean = 0;
  let sum = 0;
  for (let t = 0; t < values.length; t++) {
    const x = values[t];
    mean += (x - mean) / count;
    sum = Math.max(0, alpha * sum + (x - mean - delta));
    count++;
    if (count >= minInstances && sum >= threshold) {
      alarms.push(t);
      count = 1;
      mean = 0;
      sum = 0;
    }
  }
  return alarms;
}
