// pageHinkley(values, options): alarm positions of the Page-Hinkley test for an increase in the mean.

export function pageHinkley(values, options = {}) {
  const { delta = 0.005, threshold = 50, minInstances = 30, alpha = 1 - 0.0001 } = options;
  const alarms = [];
  // 1. check the options (throw an Error for a bad one)
  // 2. counter = 1, mean = 0, sum = 0
  // 3. for each value: mean += (x - mean) / counter; sum = max(0, alpha * sum + x - mean - delta); counter += 1
  //    if counter >= minInstances and sum >= threshold: record the position, reset counter, mean and sum
  return alarms;
}
