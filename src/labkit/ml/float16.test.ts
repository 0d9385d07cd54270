import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16, float16BitsToFloat32, float32ToFloat16Bits } from './float16.ts';

const bits = (v: number) => float32ToFloat16Bits(v);

describe('IEEE float16 encoding', () => {
  it('encodes exact values to their bit patterns', () => {
    expect(bits(1)).toBe(0x3c00);
    expect(bits(-2)).toBe(0xc000);
    expect(bits(0.5)).toBe(0x3800);
    expect(bits(65504)).toBe(0x7bff); // largest finite half
    expect(bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(bits(1023 * 2 ** -24)).toBe(0x03ff); // largest subnormal
    expect(bits(0)).toBe(0x0000);
    expect(bits(-0)).toBe(0x8000);
    expect(bits(Infinity)).toBe(0x7c00);
    expect(bits(-Infinity)).toBe(0xfc00);
  });

  it('rounds to nearest, ties to even', () => {
    expect(bits(0.1)).toBe(0x2e66); // 0.0999755859375
    expect(bits(1 + 2 ** -11)).toBe(0x3c00); // halfway between 0x3c00 and 0x3c01: even wins
    expect(bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway between 0x3c01 and 0x3c02: even wins
    expect(bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just above halfway rounds up
    expect(bits(2 ** -25)).toBe(0x0000); // halfway between 0 and the smallest subnormal: even (0)
    expect(bits(3 * 2 ** -25)).toBe(0x0002); // halfway between subnormals 1 and 2: even (2)
    expect(bits(2 ** -25 + 2 ** -35)).toBe(0x0001);
    expect(bits(2 ** -14 - 2 ** -25)).toBe(0x0400); // rounds up out of the subnormals into the smallest normal
  });

  it('overflows to infinity from 65520 up, keeps 65519 finite', () => {
    expect(bits(65519)).toBe(0x7bff);
    expect(bits(65520)).toBe(0x7c00); // halfway to 2^16: ties to even = Infinity
    expect(bits(1e6)).toBe(0x7c00);
    expect(bits(-1e6)).toBe(0xfc00);
  });

  it('keeps NaN a NaN', () => {
    const h = bits(NaN);
    expect(h & 0x7c00).toBe(0x7c00);
    expect(h & 0x03ff).not.toBe(0);
    expect(float16BitsToFloat32(h)).toBeNaN();
  });

  it('decodes every finite half exactly and round-trips it', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const decoded = decodeFloat16(all);
    const again = encodeFloat16(decoded);
    for (let i = 0; i < 65536; i++) {
      const exp = (i >> 10) & 0x1f;
      if (exp === 31 && (i & 0x3ff)) continue; // NaNs
      if (again[i] !== i) throw new Error(`0x${i.toString(16)} → ${decoded[i]} → 0x${again[i].toString(16)}`);
    }
    expect(float16BitsToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16BitsToFloat32(0x7bff)).toBe(65504);
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
  });
});
