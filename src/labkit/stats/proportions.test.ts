import { describe, expect, it } from 'vitest';
import golden from './fixtures/proportions.json';
import { mcnemarExact, pairedCounts, pairedDifference, wilson } from './proportions.ts';

/** A small seeded generator (mulberry32), so the simulations are the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('proportions', () => {
  it(`Wilson intervals equal SciPy's on ${golden.wilson.length} golden cases`, () => {
    for (const g of golden.wilson) {
      const ci = wilson(g.k, g.n);
      expect(ci.lower, `${g.k}/${g.n}`).toBeCloseTo(g.lower, 12);
      expect(ci.upper, `${g.k}/${g.n}`).toBeCloseTo(g.upper, 12);
    }
  });

  it(`exact McNemar p-values equal SciPy's binomial test on ${golden.mcnemar.length} golden cases`, () => {
    for (const g of golden.mcnemar) expect(mcnemarExact(g.onlyA, g.onlyB), `${g.onlyA}/${g.onlyB}`).toBeCloseTo(g.p, 10);
  });

  it('counts paired outcomes and refuses outcomes on different items', () => {
    expect(pairedCounts([true, true, false, false, true], [true, false, true, false, true])).toEqual({ both: 2, onlyA: 1, onlyB: 1, neither: 1 });
    expect(() => pairedCounts([true], [true, false])).toThrow(/same items/);
  });

  it('gives an interval for a paired difference that contains the estimate and is narrow when the models agree', () => {
    const few = pairedDifference({ both: 4880, onlyA: 6, onlyB: 2, neither: 112 });
    expect(few.estimate).toBeCloseTo(4 / 5000, 12);
    expect(few.lower).toBeLessThan(few.estimate);
    expect(few.upper).toBeGreaterThan(few.estimate);
    expect(few.upper - few.lower).toBeLessThan(0.004);
    const many = pairedDifference({ both: 4700, onlyA: 106, onlyB: 102, neither: 92 });
    expect(many.upper - many.lower, 'more disagreements, more uncertainty').toBeGreaterThan(few.upper - few.lower);
    const none = pairedDifference({ both: 4890, onlyA: 0, onlyB: 0, neither: 110 });
    expect(none.estimate).toBe(0);
    expect(none.lower).toBeLessThanOrEqual(0);
    expect(none.upper).toBeGreaterThanOrEqual(0);
  });

  it('covers the true paired difference in about 95% of simulated test sets', () => {
    const random = rng(11);
    // True probabilities of (both right, only A right, only B right, neither), like two MNIST models.
    for (const [pBoth, pA, pB] of [
      [0.96, 0.012, 0.006],
      [0.9, 0.03, 0.03],
      [0.97, 0.004, 0.001],
    ]) {
      const truth = pA - pB;
      let covered = 0;
      const trials = 1000;
      for (let t = 0; t < trials; t++) {
        const counts = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
        for (let i = 0; i < 2000; i++) {
          const u = random();
          if (u < pBoth) counts.both++;
          else if (u < pBoth + pA) counts.onlyA++;
          else if (u < pBoth + pA + pB) counts.onlyB++;
          else counts.neither++;
        }
        const d = pairedDifference(counts);
        if (d.lower <= truth && truth <= d.upper) covered++;
      }
      expect(covered / trials, `coverage for ${pA} vs ${pB}`).toBeGreaterThan(0.925);
    }
  });
});
