// A typical mistake: the sum is updated with the mean from before this value, and the counter never resets.
export function pageHinkley(values, options = {}) {
  const { delta = 0.005, threshold = 50, minInstances = 30, alpha = 1 - 0.0001 } = options;
  if (!(threshold > 0)) throw new Error('threshold');
  if (!(delta >= 0)) throw new Error('delta');
  const alarms = [];
  let count = 1, mean = 0, sum = 0;
  for (let t = 0; t < values.length; t++) {
    const x = values[t];
    sum = Math.max(0, alpha * sum + (x - mean - delta));
    mean += (x - mean) / count;
    count++;
    if (count >= minInstances && sum >= threshold) {
      alarms.push(t);
      mean = 0;
      sum = 0;
    }
  }
  return alarms;
}
