/**
 * The chi-square distribution and the chi-square test of homogeneity, as SciPy computes them:
 *
 * - `chi2Sf(x, k)` = scipy.stats.chi2.sf(x, k) = Q(k/2, x/2), the regularized upper incomplete gamma function
 *   (a power series below a + 1, a Lentz continued fraction above, as in Numerical Recipes §6.2, with a Lanczos
 *   log-gamma); relative error about 1e-14 in the range the lab uses.
 * - `chi2Contingency(table)` = scipy.stats.chi2_contingency(table) with its defaults: expected counts from the
 *   margins, Yates' continuity correction only when there is one degree of freedom, p from chi2.sf.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** P(a, x) by its power series (x < a + 1). */
function lowerSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (x ≥ a + 1), modified Lentz. */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** The regularized upper incomplete gamma function Q(a, x). */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`gammaQ needs a > 0 and x ≥ 0, got a=${a}, x=${x}`);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** Survival function of the chi-square distribution with k degrees of freedom: P(X ≥ x). */
export function chi2Sf(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chi-square needs degrees of freedom above 0, got ${k}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammaQ(k / 2, x / 2);
}

export interface Chi2Result {
  statistic: number;
  pvalue: number;
  dof: number;
  expected: number[][];
}

/**
 * scipy.stats.chi2_contingency(table) (correction=True, lambda_=None) for a table of counts with at least two rows
 * and two columns. A row or column whose counts are all zero is an error, as in SciPy (expected frequency 0); the
 * lab drops categories that neither sample has before calling it.
 */
export function chi2Contingency(table: readonly (readonly number[])[]): Chi2Result {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  if (rows < 2 || cols < 2) throw new RangeError('the table needs at least two rows and two columns');
  for (const [i, row] of table.entries()) {
    if (row.length !== cols) throw new RangeError(`row ${i + 1} has ${row.length} counts; the first has ${cols}`);
    for (const v of row) if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`row ${i + 1} holds ${v}; counts must be finite and not negative`);
  }
  const rowSums = table.map((r) => r.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((s, r) => s + r[j]!, 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  const expected = table.map((_, i) => colSums.map((c) => (rowSums[i]! * c) / total));
  for (const [i, row] of expected.entries()) {
    const j = row.findIndex((e) => e === 0);
    if (j >= 0) throw new RangeError(`the expected count in row ${i + 1}, column ${j + 1} is zero: drop empty categories first`);
  }
  const dof = (rows - 1) * (cols - 1);
  let statistic = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const e = expected[i]![j]!;
      let o = table[i]![j]!;
      if (dof === 1) {
        // Yates: move each observed count up to 0.5 towards its expected count.
        const diff = e - o;
        o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((o - e) * (o - e)) / e;
    }
  }
  return { statistic, pvalue: chi2Sf(statistic, dof), dof, expected };
}
