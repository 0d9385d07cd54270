/**
 * Distances between two distributions, as SciPy computes them:
 *
 * - `jensenShannon(p, q)` = scipy.spatial.distance.jensenshannon(p, q): both vectors are normalised to sum to 1, and
 *   the result is the square root of the Jensen–Shannon divergence in nats (natural log), between 0 and √ln 2.
 * - `wasserstein(u, v)` = scipy.stats.wasserstein_distance(u, v): the area between the two empirical CDFs.
 * - `normedWasserstein(reference, current)`: the Wasserstein distance divided by the reference's standard deviation
 *   (population, ddof = 0), the unit-free form Evidently uses for numerical columns.
 */

/** x·ln(x/y) with SciPy's `rel_entr` conventions (0 when x = 0; +∞ when y = 0 < x). */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalised(v: ArrayLike<number>, what: string): Float64Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${what}[${i}] is ${x}; weights must be finite and not negative`);
    sum += x;
  }
  if (!(sum > 0)) throw new RangeError(`${what} sums to 0: there is no distribution to compare`);
  return Float64Array.from(v, (x) => x / sum);
}

export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError(`p has ${p.length} entries and q has ${q.length}: compare the same bins`);
  const a = normalised(p, 'p');
  const b = normalised(q, 'q');
  let left = 0;
  let right = 0;
  for (let i = 0; i < a.length; i++) {
    const m = (a[i]! + b[i]!) / 2;
    left += relEntr(a[i]!, m);
    right += relEntr(b[i]!, m);
  }
  return Math.sqrt(Math.max(0, (left + right) / 2));
}

function finiteSorted(values: ArrayLike<number>, what: string): Float64Array {
  if (values.length === 0) throw new RangeError(`${what} is empty`);
  const s = Float64Array.from(values).sort();
  if (!Number.isFinite(s[0]!) || !Number.isFinite(s[s.length - 1]!)) throw new RangeError(`${what} holds a value that is not a finite number`);
  return s;
}

export function wasserstein(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const a = finiteSorted(u, 'the first sample');
  const b = finiteSorted(v, 'the second sample');
  // Walk the merged values; between consecutive values both ECDFs are constant.
  let i = 0;
  let j = 0;
  let area = 0;
  let previous = Math.min(a[0]!, b[0]!);
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    area += Math.abs(i / a.length - j / b.length) * (next - previous);
    while (i < a.length && a[i]! <= next) i++;
    while (j < b.length && b[j]! <= next) j++;
    previous = next;
  }
  return area;
}

/** Population standard deviation (ddof = 0), as numpy's np.std. */
export function populationStd(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

export function normedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const sd = populationStd(reference);
  if (!(sd > 0)) throw new RangeError('the reference has no spread (standard deviation 0), so a normed distance is undefined');
  return wasserstein(reference, current) / sd;
}
