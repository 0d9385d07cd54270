// A typical mistake: ten equal-width bins between the reference's minimum and maximum instead of its deciles.
export function psi(reference, current, bins = 10) {
  if (!Number.isInteger(bins) || bins < 2) throw new Error('bins');
  if (!reference.length || !current.length) throw new Error('empty');
  for (const v of [...reference, ...current]) if (!Number.isFinite(v)) throw new Error('not finite');
  const lo = Math.min(...reference);
  const hi = Math.max(...reference);
  const bin = (x) => Math.max(0, Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo || 1)) * bins)));
  const r = new Array(bins).fill(0);
  const c = new Array(bins).fill(0);
  for (const x of reference) r[bin(x)]++;
  for (const x of current) c[bin(x)]++;
  let total = 0;
  for (let i = 0; i < bins; i++) {
    const a = r[i] / reference.length || 0.0001;
    const b = c[i] / current.length || 0.0001;
    total += (b - a) * Math.log(b / a);
  }
  return total;
}
