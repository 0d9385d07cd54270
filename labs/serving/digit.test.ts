/** The preview's digit preparation (MNIST's: fit 20 × 20, centre of mass at the centre) and its reading of answers. */
import { describe, expect, it } from 'vitest';
import { SIDE, toMnist, topClass } from './digit.ts';
import { handlerMs } from './preview.ts';

/** A `w` × `h` drawing with ink in the rectangle [x0, x1) × [y0, y1). */
function drawing(w: number, h: number, x0: number, y0: number, x1: number, y1: number) {
  const ink = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * w + x] = 1;
  return ink;
}

const box = (img: Float32Array) => {
  const rows = [...Array(SIDE).keys()].filter((y) => img.subarray(y * SIDE, (y + 1) * SIDE).some((v) => v > 0));
  const cols = [...Array(SIDE).keys()].filter((x) => rows.some((y) => img[y * SIDE + x]! > 0));
  return { top: rows[0]!, bottom: rows.at(-1)!, left: cols[0]!, right: cols.at(-1)! };
};

describe('toMnist', () => {
  it('returns null for an empty pad', () => {
    expect(toMnist(new Float32Array(196 * 196), 196, 196)).toBeNull();
  });

  it('scales a stroke in a corner to 20 pixels on its long side and moves its centre of mass to the centre', () => {
    const img = toMnist(drawing(196, 196, 10, 10, 30, 90), 196, 196)!;
    expect(img).toHaveLength(784);
    const b = box(img);
    expect(b.bottom - b.top + 1).toBe(20);
    let mass = 0;
    let mx = 0;
    let my = 0;
    img.forEach((v, i) => {
      mass += v;
      mx += v * (i % SIDE);
      my += v * Math.floor(i / SIDE);
    });
    expect(Math.abs(mx / mass - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(my / mass - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
    expect(Math.min(...img)).toBeGreaterThanOrEqual(0);
  });

  it('keeps the ink: a full-width bar covers 20 × (its height scaled) pixels of ink', () => {
    const img = toMnist(drawing(100, 100, 0, 45, 100, 55), 100, 100)!;
    const total = img.reduce((a, v) => a + v, 0);
    expect(total).toBeCloseTo(20 * 2, 0);
  });
});

describe('reading an answer', () => {
  it('finds the most probable digit', () => {
    const data = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.6, 0.08, 0.04];
    expect(topClass({ outputs: [{ name: 'probabilities', data }] })).toEqual({ digit: 7, probabilities: data });
  });

  it('says what is missing from an answer it cannot read', () => {
    expect(() => topClass({ outputs: [] })).toThrow(/ten probabilities/);
    expect(() => topClass(null)).toThrow(/ten probabilities/);
  });

  it("reads the handler's time from Server-Timing, among other metrics", () => {
    expect(handlerMs('handler;dur=1.234')).toBe(1.234);
    expect(handlerMs('db;dur=3, handler;desc="your fetch";dur=0.5')).toBe(0.5);
    expect(handlerMs('db;dur=3')).toBeNull();
    expect(handlerMs(null)).toBeNull();
  });
});
