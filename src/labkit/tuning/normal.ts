/**
 * The normal distribution's functions the samplers need, to double precision: erf and erfc (FreeBSD's s_erf.c, the
 * code Optuna's TPE uses), Φ and log Φ (Optuna's `_log_ndtr`, with its asymptotic series far in the left tail), the
 * log of a Gaussian mass over an interval, the truncated normal's log density and quantile (Optuna's
 * `_truncnorm`), and the scaled complementary error function erfcx for a stable log expected improvement.
 */

const erx = 8.45062911510467529297e-1;
const efx = 1.28379167095512586316e-1;
const pp = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const qq = [3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
const pa = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const qa = [1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
const ra = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const sa = [1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
const rb = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const sb = [3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

/** c0 + z·(c1 + z·(c2 + …)). */
function poly(c: readonly number[], z: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = c[i]! + z * r;
  return r;
}
/** 1 + z·(c0 + z·(c1 + …)). */
const poly1 = (c: readonly number[], z: number) => 1 + z * poly(c, z);

const word = new Float64Array(1);
const words = new Uint32Array(word.buffer);
/** x with the low 32 bits of its mantissa cleared (SET_LOW_WORD(z, 0)), for the tail's extra precision. */
function clearLowWord(x: number): number {
  word[0] = x;
  words[0] = 0; // little-endian: the low word comes first
  return word[0];
}

/** erfc(a) for a ≥ 1.25 (the tail rational approximations of s_erf.c). */
function erfcTail(a: number): number {
  if (a >= 28) return 0;
  const s = 1 / (a * a);
  const [R, S] = a < 1 / 0.35 ? [poly(ra, s), poly1(sa, s)] : [poly(rb, s), poly1(sb, s)];
  const z = clearLowWord(a);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + R / S)) / a;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -28) return x + efx * x;
    const z = x * x;
    return x + x * (poly(pp, z) / poly1(qq, z));
  }
  if (a < 1.25) {
    const s = a - 1;
    const r = erx + poly(pa, s) / poly1(qa, s);
    return x >= 0 ? r : -r;
  }
  if (a >= 6) return Math.sign(x);
  const r = 1 - erfcTail(a);
  return x >= 0 ? r : -r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = x * (poly(pp, z) / poly1(qq, z));
    return x < 0.25 ? 1 - (x + y) : 0.5 - (x - 0.5 + y);
  }
  if (a < 1.25) {
    const s = a - 1;
    const PQ = poly(pa, s) / poly1(qa, s);
    return x >= 0 ? 1 - erx - PQ : 1 + erx + PQ;
  }
  const tail = erfcTail(a);
  return x > 0 ? tail : 2 - tail;
}

/** Φ(a), the standard normal CDF (Optuna's `_ndtr_single`). */
export function ndtr(a: number): number {
  const x = a / Math.SQRT2;
  if (x < -Math.SQRT1_2) return 0.5 * erfc(-x);
  if (x < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a), accurate far into both tails (Optuna's `_log_ndtr_single`). */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  const logLhs = -0.5 * a * a - Math.log(-a) - 0.5 * Math.log(2 * Math.PI);
  let last = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / (a * a);
  let sign = 1;
  for (let i = 1; Math.abs(last - rhs) > Number.EPSILON; i++) {
    last = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLhs + Math.log(rhs);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
export const normLogPdf = (x: number) => -(x * x) / 2 - LOG_SQRT_2PI;
export const normPdf = (x: number) => Math.exp(normLogPdf(x));

/** log(e^p − e^q) for p ≥ q. */
const logDiff = (p: number, q: number) => p + Math.log1p(-Math.exp(q - p));
/** log(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/** log P(a < Z < b) for a standard normal Z (Optuna's `_log_gauss_mass`). */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** Log density at x of a normal (loc, scale) truncated to [low, high] (in x's units). */
export function truncnormLogPdf(x: number, low: number, high: number, loc: number, scale: number): number {
  const a = (low - loc) / scale;
  const b = (high - loc) / scale;
  if (a === b) return NaN;
  const z = (x - loc) / scale;
  if (z < a || z > b) return -Infinity;
  return normLogPdf(z) - logGaussMass(a, b) - Math.log(scale);
}

/** The inverse of log Φ by bisection (Optuna's `_ndtri_exp`). */
function ndtriExp(y: number): number {
  let a = -100;
  let b = 100;
  if (logNdtr(a) > y) [a, b] = [b, a];
  let m = 0;
  for (let i = 0; i < 100; i++) {
    m = (a + b) / 2;
    if (logNdtr(m) < y) a = m;
    else b = m;
  }
  return m;
}

/** The q-quantile of a standard normal truncated to [a, b] (Optuna's `_truncnorm.ppf`). */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/** A draw from a normal (loc, scale) truncated to [low, high], by inverting the CDF at a uniform draw. */
export function truncnormSample(u: number, low: number, high: number, loc: number, scale: number): number {
  return truncnormPpf(u, (low - loc) / scale, (high - loc) / scale) * scale + loc;
}

/** erfcx(x) = e^{x²}·erfc(x), without overflow for large x (a continued fraction beyond x = 4). */
export function erfcx(x: number): number {
  if (x < 4) return Math.exp(x * x) * erfc(x);
  // Lentz's continued fraction for erfc: e^{x²}·erfc(x) = 1/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))).
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return 1 / (Math.sqrt(Math.PI) * f);
}

/**
 * log EI for minimisation in standardised units: log(σ·h(z)) with z = (best − μ)/σ and h(z) = φ(z) + z·Φ(z),
 * computed as log φ(z) + log(1 + z·Φ(z)/φ(z)) with Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2), which stays finite where EI
 * itself underflows (Ament et al., "Unexpected improvements to expected improvement", 2023).
 */
export function logExpectedImprovement(mu: number, sigma: number, best: number): number {
  if (!(sigma > 0)) return best > mu ? Math.log(best - mu) : -Infinity;
  const z = (best - mu) / sigma;
  const ratio = Math.sqrt(Math.PI / 2) * erfcx(-z / Math.SQRT2);
  return Math.log(sigma) + normLogPdf(z) + Math.log1p(z * ratio);
}
