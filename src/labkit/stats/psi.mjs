// The population stability index (PSI) on bins cut at the reference's quantiles, with the conventions of Evidently's
// `psi` stattest: a share of 0 becomes 0.0001 so that the logarithm stays finite. Plain JavaScript on purpose: the
// monitoring lab shows this very file as the reference of its coding exercise, and uses it (or the student's own
// function) for every PSI it reports.

/** Type-7 quantile (numpy's default, linear interpolation) of sorted values. */
function quantileSorted(s, p) {
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/**
 * Bin edges: the reference's quantiles at 1/bins, 2/bins, …, (bins − 1)/bins, duplicates removed (a discrete feature
 * can give fewer bins). A value x falls in bin i when edges[i − 1] < x ≤ edges[i] (the first bin is x ≤ edges[0], the
 * last x > the last edge).
 * @param {ArrayLike<number>} reference @param {number} bins
 */
export function psiEdges(reference, bins) {
  const s = Float64Array.from(reference).sort();
  const edges = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(s, k / bins);
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  return edges;
}

/** How many values fall in each bin (edges.length + 1 bins). @param {ArrayLike<number>} values @param {number[]} edges */
export function binCountsAt(values, edges) {
  const counts = new Array(edges.length + 1).fill(0);
  for (let v = 0; v < values.length; v++) {
    const x = values[v];
    // Binary search: the number of edges strictly below x.
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}

export const PSI_EMPTY_SHARE = 0.0001;

/**
 * PSI = Σ (c_i − r_i) · ln(c_i / r_i) over the bins, where r_i and c_i are the reference's and the current window's
 * shares of bin i (0 replaced by 0.0001).
 * @param {ArrayLike<number>} reference @param {ArrayLike<number>} current @param {number} [bins]
 */
export function psi(reference, current, bins = 10) {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError('bins must be a whole number of at least 2');
  if (reference.length === 0 || current.length === 0) throw new RangeError('both samples need at least one value');
  for (const sample of [reference, current]) {
    for (let i = 0; i < sample.length; i++) if (!Number.isFinite(sample[i])) throw new RangeError(`value ${i} is ${sample[i]}, not a finite number`);
  }
  const edges = psiEdges(reference, bins);
  const r = binCountsAt(reference, edges);
  const c = binCountsAt(current, edges);
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    const rs = r[i] / reference.length || PSI_EMPTY_SHARE;
    const cs = c[i] / current.length || PSI_EMPTY_SHARE;
    total += (cs - rs) * Math.log(cs / rs);
  }
  return total;
}
