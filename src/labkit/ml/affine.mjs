// Affine (uint8/uint16) weight quantization as tensorflowjs_converter writes it (tfjs-converter
// python/tensorflowjs/quantization.py). Plain JavaScript on purpose: the quantize-and-prune lab shows this very file
// as the reference of its coding exercise, and runs it beside the student's own function.

const QMAX = { uint8: 255, uint16: 65535 };

/** numpy's round: to nearest, ties to even. */
export function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The converter's range: scale = (max − min) / qmax, and when the range holds 0 the minimum is nudged so that 0 falls
 * exactly on a level (zero weights and zero padding must stay exactly zero). Requires min < max.
 * @param {number} min @param {number} max @param {'uint8' | 'uint16'} dtype
 */
export function affineRange(min, max, dtype) {
  const qmax = QMAX[dtype];
  const scale = (max - min) / qmax;
  if (min <= 0 && 0 <= max) {
    const zeroPoint = roundHalfEven((0 - min) / scale);
    const nudgedMin = -zeroPoint * scale;
    return { scale, min: nudgedMin, max: qmax * scale + nudgedMin };
  }
  return { scale, min, max };
}

/**
 * Quantizes one tensor: each value becomes the integer level q with q · scale + min closest to it (clamped to the
 * nudged range). A tensor whose values are all equal is stored as zeros with min = that value and scale = 1.
 * @param {ArrayLike<number>} values @param {'uint8' | 'uint16'} dtype
 * @returns {{ q: Uint8Array | Uint16Array, scale: number, min: number }}
 */
export function quantizeAffine(values, dtype) {
  const n = values.length;
  const q = dtype === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
  if (n === 0) return { q, scale: 1, min: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) throw new Error('cannot quantize a tensor that contains NaN');
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error('cannot quantize a tensor that contains ±Infinity');
  if (lo === hi) return { q, scale: 1, min: lo };
  const r = affineRange(lo, hi, dtype);
  for (let i = 0; i < n; i++) {
    const v = Math.min(Math.max(values[i], r.min), r.max);
    q[i] = roundHalfEven((v - r.min) / r.scale);
  }
  return { q, scale: r.scale, min: r.min };
}
