/**
 * Weight quantization.
 *
 * `quantizeAffine` reproduces tensorflowjs_converter's `quantize_weights` (tfjs-converter/python/tensorflowjs/
 * quantization.py) for --quantize_uint8 / --quantize_uint16:
 *   - per tensor: min and max of the values; if they are equal (a constant tensor) every value becomes 0 with
 *     scale 1 and min = that constant, so dequantizing gives the constant back exactly;
 *   - otherwise scale = (max − min) / qmax with qmax = 255 or 65535, and when min ≤ 0 ≤ max the range is nudged so 0
 *     is exactly representable: zeroPoint = round(−min / scale), min' = −zeroPoint · scale, max' = qmax · scale + min'
 *     (if 0 is outside the range it is not nudged);
 *   - q = round((clip(x, min', max') − min') / scale), rounding half to even like numpy.
 * tfjs dequantizes at load time as q · scale + min (tfjs-core io_utils), which `dequantizeAffine` mirrors.
 * Arithmetic is done in float64 (JS numbers), as the converter's min/scale are float64.
 *
 * The experiments (`int8PerChannel`, `fakeQuantize`) go past what the tfjs weights format can store: it has no int8
 * dtype and one scale per tensor, so they are only evaluated in the page and never exported.
 */
import { encodeFloat16, decodeFloat16 } from './float16.ts';
import { quantizeAffine as referenceQuantizeAffine, roundHalfEven } from './affine.mjs';

export type AffineDtype = 'uint8' | 'uint16';
export type QuantDtype = AffineDtype | 'float16';
export type WeightDtype = QuantDtype | 'float32';

export const QMAX: Record<AffineDtype, number> = { uint8: 255, uint16: 65535 };
export const BYTES_PER_VALUE: Record<WeightDtype, number> = { uint8: 1, uint16: 2, float16: 2, float32: 4 };

export { affineRange } from './affine.mjs';
export { roundHalfEven };

export interface AffineRange {
  scale: number;
  /** The nudged minimum: the value that q = 0 stands for. */
  min: number;
  max: number;
}

export interface AffineQuantized {
  dtype: AffineDtype;
  q: Uint8Array | Uint16Array;
  scale: number;
  min: number;
}

/** A quantizer with the converter's semantics: the reference (affine.mjs), or a student's own from the coding track. */
export type AffineQuantizer = (values: ArrayLike<number>, dtype: AffineDtype) => { q: Uint8Array | Uint16Array; scale: number; min: number };

export function quantizeAffine(values: ArrayLike<number>, dtype: AffineDtype, quantizer: AffineQuantizer = referenceQuantizeAffine): AffineQuantized {
  const { q, scale, min } = quantizer(values, dtype);
  return { dtype, q, scale, min };
}

/** What tf.io.decodeWeights does with a uint8/uint16 weight: q · scale + min, stored as float32. */
export function dequantizeAffine(q: ArrayLike<number>, scale: number, min: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i] * scale + min;
  return out;
}

/** Quantizes then dequantizes: the float32 values a loaded model will hold. */
export function roundTrip(values: Float32Array, dtype: WeightDtype): Float32Array {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'float16') return decodeFloat16(encodeFloat16(values));
  const a = quantizeAffine(values, dtype);
  return dequantizeAffine(a.q, a.scale, a.min);
}


// ---------------------------------------------------------------------------------------------------------------
// Experiments, not exportable as tfjs artifacts.

/**
 * Symmetric int8 per-channel weight quantization, as TFLite does for conv/dense kernels: one scale per output channel
 * (the last axis), scale_c = max|w_c| / 127, q = clamp(round(w / scale_c), −127, 127), zero point 0.
 */
export function int8PerChannel(values: Float32Array, shape: readonly number[]): { q: Int8Array; scales: Float32Array; dequantized: Float32Array } {
  const channels = shape[shape.length - 1];
  const scales = new Float32Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    const a = Math.abs(values[i]);
    if (a > scales[c]) scales[c] = a;
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
  const q = new Int8Array(values.length);
  const dequantized = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = scales[i % channels];
    const v = Math.max(-127, Math.min(127, roundHalfEven(values[i] / s)));
    q[i] = v;
    dequantized[i] = v * s;
  }
  return { q, scales, dequantized };
}

/** Asymmetric 8-bit activation quantization parameters from an observed range (nudged so 0 is exact). */
export function activationParams(min: number, max: number): { scale: number; zeroPoint: number; qmin: number; qmax: number } {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (hi === lo) return { scale: 1, zeroPoint: -128, qmin: -128, qmax: 127 };
  const scale = (hi - lo) / 255;
  const zeroPoint = Math.max(-128, Math.min(127, roundHalfEven(-128 - lo / scale)));
  return { scale, zeroPoint, qmin: -128, qmax: 127 };
}

/** x → (clamp(round(x / s) + z, qmin, qmax) − z) · s, elementwise, in place on a copy. */
export function fakeQuantize(values: Float32Array, p: { scale: number; zeroPoint: number; qmin: number; qmax: number }): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = Math.max(p.qmin, Math.min(p.qmax, roundHalfEven(values[i] / p.scale) + p.zeroPoint));
    out[i] = (q - p.zeroPoint) * p.scale;
  }
  return out;
}
