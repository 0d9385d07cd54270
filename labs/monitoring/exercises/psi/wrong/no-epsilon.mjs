// A typical mistake: empty bins are skipped instead of counted with a share of 0.0001, so PSI misses the mass that moved.
function q(s, p) {
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}
export function psi(reference, current, bins = 10) {
  if (!Number.isInteger(bins) || bins < 2) throw new Error('bins');
  if (!reference.length || !current.length) throw new Error('empty');
  for (const v of [...reference, ...current]) if (!Number.isFinite(v)) throw new Error('not finite');
  const s = Float64Array.from(reference).sort();
  const edges = [];
  for (let k = 1; k < bins; k++) {
    const e = q(s, k / bins);
    if (!edges.length || e > edges[edges.length - 1]) edges.push(e);
  }
  const bin = (x) => edges.filter((e) => e < x).length;
  const r = new Array(edges.length + 1).fill(0);
  const c = new Array(edges.length + 1).fill(0);
  for (const x of reference) r[bin(x)]++;
  for (const x of current) c[bin(x)]++;
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    if (!r[i] || !c[i]) continue;
    const a = r[i] / reference.length;
    const b = c[i] / current.length;
    total += (b - a) * Math.log(b / a);
  }
  return total;
}
