import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, disjoint, median, medianCI, quantile, relativeHalfWidth, summarize, throughput } from './samples.ts';

describe('percentiles (type 7, linear interpolation)', () => {
  const x = [15, 20, 35, 40, 50]; // sorted already; NIST/Wikipedia example
  it('interpolates between order statistics', () => {
    // h = (n − 1)·p
    expect(quantile(x, 0)).toBe(15);
    expect(quantile(x, 1)).toBe(50);
    expect(quantile(x, 0.5)).toBe(35);
    expect(quantile(x, 0.4)).toBeCloseTo(29, 12); // h = 1.6 → 20 + 0.6·15
    expect(quantile(x, 0.25)).toBe(20); // h = 1
    expect(quantile(x, 0.75)).toBe(40); // h = 3
    expect(quantile(x, 0.95)).toBeCloseTo(48, 12); // h = 3.8 → 40 + 0.8·10
  });
  it('does not depend on input order', () => {
    expect(quantile([50, 15, 40, 35, 20], 0.4)).toBeCloseTo(29, 12);
  });
  it('median of even and odd counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(Number.isNaN(median([]))).toBe(true);
  });
  it('matches NumPy on 1..10', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // numpy.percentile(range(1, 11), [25, 75, 95, 99]) = 3.25, 7.75, 9.55, 9.91
    expect(quantile(v, 0.25)).toBeCloseTo(3.25, 12);
    expect(quantile(v, 0.75)).toBeCloseTo(7.75, 12);
    expect(quantile(v, 0.95)).toBeCloseTo(9.55, 12);
    expect(quantile(v, 0.99)).toBeCloseTo(9.91, 12);
  });
  it('rejects p outside [0, 1]', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe('binomial CDF for p = ½', () => {
  it('matches hand-computed values', () => {
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 14); // (1 + 10) / 2^10
    expect(binomialHalfCdf(10, 2)).toBeCloseTo(56 / 1024, 14); // (1 + 10 + 45) / 2^10
    expect(binomialHalfCdf(10, 10)).toBe(1);
    expect(binomialHalfCdf(10, -1)).toBe(0);
    // n = 30: P(B ≤ 9) = 0.021387… (sum of C(30, i) for i ≤ 9 = 22964087, / 2^30)
    expect(binomialHalfCdf(30, 9)).toBeCloseTo(22964087 / 2 ** 30, 12);
  });
  it('stays finite for large n', () => {
    expect(binomialHalfCdf(5000, 2500)).toBeGreaterThan(0.5);
    expect(binomialHalfCdf(5000, 2400)).toBeLessThan(0.01);
  });
});

describe('confidence interval of the median (order statistics)', () => {
  it('n = 10: ranks 2 and 9, coverage 1 − 22/1024', () => {
    const x = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    const ci = medianCI(x);
    expect(ci.lowerRank).toBe(2);
    expect(ci.upperRank).toBe(9);
    expect(ci.lower).toBe(2);
    expect(ci.upper).toBe(9);
    expect(ci.coverage).toBeCloseTo(1 - 22 / 1024, 14);
  });
  it('n = 30: ranks 10 and 21 (coverage ≈ 0.9572)', () => {
    const x = Array.from({ length: 30 }, (_, i) => (i * 7) % 30); // a permutation of 0..29
    const ci = medianCI(x);
    expect([ci.lowerRank, ci.upperRank]).toEqual([10, 21]);
    expect([ci.lower, ci.upper]).toEqual([9, 20]);
    expect(ci.coverage).toBeCloseTo(1 - 2 * (22964087 / 2 ** 30), 12);
    expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
  });
  it('n = 100: ranks 40 and 61', () => {
    const ci = medianCI(Array.from({ length: 100 }, (_, i) => i + 1));
    expect([ci.lowerRank, ci.upperRank]).toEqual([40, 61]);
    expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
  });
  it('too few samples: [min, max] with the coverage it really has', () => {
    const ci = medianCI([3, 1, 2, 5, 4]);
    expect([ci.lower, ci.upper]).toEqual([1, 5]);
    expect(ci.coverage).toBeCloseTo(1 - 2 / 32, 14); // 0.9375 < 0.95
  });
  it('the interval always contains the sample median', () => {
    for (const n of [6, 7, 15, 31, 64, 257]) {
      const x = Array.from({ length: n }, (_, i) => Math.sin(i) * 10 + i / 7);
      const ci = medianCI(x);
      const m = median(x);
      expect(ci.lower).toBeLessThanOrEqual(m);
      expect(ci.upper).toBeGreaterThanOrEqual(m);
      expect(ci.lowerRank + ci.upperRank).toBe(n + 1);
    }
  });
});

describe('summary', () => {
  it('reports min, IQR, p95, throughput and the relative half-width', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const s = summarize(x, 8);
    expect(s.n).toBe(10);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.median).toBe(5.5);
    expect(s.mean).toBe(5.5);
    expect(s.iqr).toBeCloseTo(4.5, 12);
    expect(s.p95).toBeCloseTo(9.55, 12);
    expect([s.ci.lower, s.ci.upper]).toEqual([2, 9]);
    expect(s.relHalfWidth).toBeCloseTo(3.5 / 5.5, 12);
    expect(s.throughput).toBeCloseTo((8 / 5.5) * 1000, 9); // 8 samples per 5.5 ms
  });
  it('throughput and helpers', () => {
    expect(throughput(32, 4)).toBe(8000);
    expect(relativeHalfWidth({ lower: 9, upper: 11 }, 10)).toBeCloseTo(0.1, 12);
    expect(disjoint({ lower: 1, upper: 2 }, { lower: 2.5, upper: 3 })).toBe(true);
    expect(disjoint({ lower: 1, upper: 2.6 }, { lower: 2.5, upper: 3 })).toBe(false);
  });
});
