// A typical mistake: stepping one value at a time, so a tie is compared halfway through its copies.
export function ksStatistic(a, b) {
  if (!a.length || !b.length) throw new Error('empty');
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  if (Number.isNaN(x[x.length - 1]) || Number.isNaN(y[y.length - 1])) throw new Error('NaN');
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    if (x[i] <= y[j]) i++;
    else j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
