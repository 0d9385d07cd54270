/**
 * Math.exp and Math.log as Node 24 computes them, so that a program gives bit-for-bit the same numbers in the
 * offline runtime as under Node, whatever browser runs the worker.
 *
 * Why: Node 24's V8 computes exp and log with fdlibm (Sun's freely distributable libm, 1993), while recent Chromium
 * computes them correctly rounded. The two differ in the last bit for about one argument in ten, which is enough to
 * change a trained model's weights, and with them the pipeline lab's cache keys. The functions below follow
 * fdlibm's algorithms (argument reduction by ln 2, then a minimax polynomial); the unit tests check them against the
 * running Node's Math on millions of arguments. Other Math functions are left to the browser.
 */

const view = new DataView(new ArrayBuffer(8));
const highWord = (x: number) => {
  view.setFloat64(0, x);
  return view.getInt32(0);
};
const lowWord = (x: number) => {
  view.setFloat64(0, x);
  return view.getUint32(4);
};
const withHighWord = (x: number, high: number) => {
  view.setFloat64(0, x);
  view.setInt32(0, high);
  return view.getFloat64(0);
};
const fromWords = (high: number, low: number) => {
  view.setInt32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
};

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const TWO_M1000 = 9.33263618503218878990e-302;
const TWO_1023 = 8.98846567431157953865e307;

export function exp(x: number): number {
  let hx = highWord(x);
  const negative = hx < 0 ? 1 : 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (Number.isNaN(x)) return x;
      return negative ? 0 : x;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  if (x === 1) return Math.E; // V8 returns e exactly here
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = 1 - negative - negative;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const twoPk = k >= -1021 ? fromWords((0x3ff + k) << 20, 0) : fromWords((0x3ff + k + 1000) << 20, 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * TWO_1023 : y * twoPk;
  return y * twoPk * TWO_M1000;
}

const TWO54 = 1.80143985094819840000e16;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

export function log(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
}

/** Give a worker's Math the exp and log of Node 24 (the worker runs one program, so its globals are the program's). */
export function installNodeMath(math: Math): void {
  Object.defineProperty(math, 'exp', { value: exp, writable: true, configurable: true });
  Object.defineProperty(math, 'log', { value: log, writable: true, configurable: true });
}
