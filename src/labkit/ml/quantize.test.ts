import { describe, expect, it } from 'vitest';
import { affineRange, dequantizeAffine, int8PerChannel, quantizeAffine, roundHalfEven, roundTrip } from './quantize.ts';

// Cases worked by hand from tensorflowjs_converter's quantize_weights; powers of two keep the arithmetic exact.
describe('affine quantization (tensorflowjs_converter arithmetic)', () => {
  it('rounds half to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 126.5, 127.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 126, 128, 2, 3]);
  });

  it('uint8, range already aligned: scale 1/16, zero point 16', () => {
    const x = new Float32Array([-1, 0, 0.5, 14.9375, 0.03125, 0.09375]);
    const a = quantizeAffine(x, 'uint8');
    expect(a.scale).toBe(1 / 16); // (14.9375 − (−1)) / 255
    expect(a.min).toBe(-1); // −round(16) · scale
    // 0.03125 is q = 16.5 → 16 (even), 0.09375 is q = 17.5 → 18 (even)
    expect(Array.from(a.q)).toEqual([0, 16, 24, 255, 16, 18]);
    expect(Array.from(dequantizeAffine(a.q, a.scale, a.min))).toEqual([-1, 0, 0.5, 14.9375, 0, 0.125]);
  });

  it('nudges the range so that 0 is exact (zero point 63.75 → 64)', () => {
    const x = new Float32Array([-0.25, 0, 0.75]);
    const a = quantizeAffine(x, 'uint8');
    expect(a.scale).toBeCloseTo(1 / 255, 15);
    expect(a.min).toBeCloseTo(-64 / 255, 15);
    expect(Array.from(a.q)).toEqual([0, 64, 255]); // −0.25 → 0.25 steps → 0; 0.75 is clipped to the nudged max 191/255
    expect(dequantizeAffine(a.q, a.scale, a.min)[1]).toBe(0); // zero survives exactly
  });

  it('nudges with ties to even: zero point 126.5 → 126, not 127', () => {
    const r = affineRange(-126.5 / 16, -126.5 / 16 + 255 / 16, 'uint8');
    expect(r.scale).toBe(1 / 16);
    expect(r.min).toBe(-126 / 16);
    expect(r.max).toBe(129 / 16);
  });

  it('uint16: scale = range / 65535, zero point 32767.5 → 32768', () => {
    const a = quantizeAffine(new Float32Array([-1, 0, 1]), 'uint16');
    expect(a.scale).toBe(2 / 65535);
    expect(a.min).toBe((-32768 * 2) / 65535);
    expect(Array.from(a.q)).toEqual([0, 32768, 65535]);
    expect(a.q).toBeInstanceOf(Uint16Array);
  });

  it('all-zero tensor: every q is 0, scale 1, min 0', () => {
    const a = quantizeAffine(new Float32Array(5), 'uint8');
    expect(Array.from(a.q)).toEqual([0, 0, 0, 0, 0]);
    expect(a.scale).toBe(1);
    expect(a.min).toBe(0);
  });

  it('constant tensor and single value: q = 0, min = the value, dequantizes exactly', () => {
    const c = new Float32Array([0.7, 0.7, 0.7]);
    const a = quantizeAffine(c, 'uint8');
    expect(Array.from(a.q)).toEqual([0, 0, 0]);
    expect(a.scale).toBe(1);
    expect(a.min).toBe(c[0]);
    expect(Array.from(dequantizeAffine(a.q, a.scale, a.min))).toEqual(Array.from(c));
    const s = quantizeAffine(new Float32Array([-3]), 'uint16');
    expect([s.q[0], s.scale, s.min]).toEqual([0, 1, -3]);
  });

  it('all-positive tensor: no nudging, min stays the data minimum (0 not representable)', () => {
    const x = new Float32Array([0.5, 1.5, 0.5 + 255 / 64]);
    const a = quantizeAffine(x, 'uint8');
    expect(a.min).toBe(0.5);
    expect(a.scale).toBe(1 / 64);
    expect(Array.from(a.q)).toEqual([0, 64, 255]);
  });

  it('all-negative tensor: no nudging either', () => {
    const a = quantizeAffine(new Float32Array([-2, -1]), 'uint8');
    expect(a.min).toBe(-2);
    expect(a.scale).toBe(1 / 255);
    expect(Array.from(a.q)).toEqual([0, 255]);
  });

  it('rejects NaN and infinities', () => {
    expect(() => quantizeAffine(new Float32Array([1, NaN]), 'uint8')).toThrow(/NaN/);
    expect(() => quantizeAffine(new Float32Array([1, Infinity]), 'uint8')).toThrow(/Infinity/);
  });

  it('round-trip error is at most half a step', () => {
    const x = new Float32Array(1000).map((_, i) => Math.sin(i * 12.9898) * 0.3);
    for (const dt of ['uint8', 'uint16'] as const) {
      const a = quantizeAffine(x, dt);
      const y = roundTrip(x, dt);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
      expect(worst).toBeLessThanOrEqual(a.scale / 2 + 1e-7 + a.scale); // clipping at the nudged edge costs ≤ 1 step
    }
  });
});

describe('int8 per-channel (experiment)', () => {
  it('uses one symmetric scale per output channel, range ±127', () => {
    // shape [2, 2]: channel 0 = {127, −63.5} (scale 1), channel 1 = {31.75, 15.875} (scale 0.25)
    const r = int8PerChannel(new Float32Array([127, 31.75, -63.5, 15.875]), [2, 2]);
    expect(Array.from(r.scales)).toEqual([1, 0.25]);
    expect(Array.from(r.q)).toEqual([127, 127, -64, 64]); // −63.5 → −64 and 63.5 → 64 (ties to even)
    expect(Array.from(r.dequantized)).toEqual([127, 31.75, -64, 16]);
  });
});
