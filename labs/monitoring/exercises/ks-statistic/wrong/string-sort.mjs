// A typical mistake: Array.prototype.sort() compares numbers as strings ("10" < "9").
export function ksStatistic(a, b) {
  if (!a.length || !b.length) throw new Error('empty');
  const x = [...a].sort();
  const y = [...b].sort();
  if (x.some(Number.isNaN) || y.some(Number.isNaN)) throw new Error('NaN');
  let i = 0, j = 0, d = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
