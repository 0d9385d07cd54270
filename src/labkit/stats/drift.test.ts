/** The drift statistics against SciPy (fixtures/drift.json, made offline by scripts/oracles/monitoring-stats.py). */
import { describe, expect, it } from 'vitest';
import golden from './fixtures/drift.json';
import { ks2samp, ksExactPvalue, ksStatistic } from './ks.ts';
import { chi2Contingency, chi2Sf } from './chi2.ts';
import { jensenShannon, normedWasserstein, wasserstein } from './distances.ts';
import { psi } from './psi.mjs';
import { adjustedBH, familyWiseRate, rejections } from './multiple.ts';
import { pageHinkley } from './page-hinkley.mjs';
import { mulberry32 } from '../ml/random.ts';

/** The oracle's samples: sums of four mulberry32 values (see the script), drawn here the same way. */
interface Spec {
  seed: number;
  n: number;
  shift: number;
  scale: number;
  step: number;
}
function draw(s: Spec): Float64Array {
  const r = mulberry32(s.seed);
  return Float64Array.from({ length: s.n }, () => {
    const x = (r() + r() + r() + r() - 2) * s.scale + s.shift;
    return s.step ? Math.floor(x / s.step) * s.step : x;
  });
}
const relClose = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300) || Math.abs(a - b) <= 1e-300;

describe('drift statistics equal SciPy', () => {
  it(`two-sample KS: statistic exactly and p-value to 1e-9 on ${golden.ks.length} golden cases`, () => {
    expect(golden.ks.length).toBeGreaterThanOrEqual(50);
    for (const g of golden.ks) {
      const r = ks2samp(draw(g.a), draw(g.b));
      const what = `n=${g.a.n} m=${g.b.n} seed=${g.a.seed}`;
      expect(r.statistic, what).toBe(g.statistic);
      expect(Math.abs(r.pvalue - g.pvalue), `${what}: p ${r.pvalue} vs ${g.pvalue}`).toBeLessThanOrEqual(1e-9 * Math.max(g.pvalue, 1e-6));
    }
  });

  it(`chi-square test of homogeneity: statistic and p-value to 1e-9 on ${golden.chi2Contingency.length} golden tables`, () => {
    expect(golden.chi2Contingency.length).toBeGreaterThanOrEqual(50);
    for (const g of golden.chi2Contingency) {
      const r = chi2Contingency(g.table);
      expect(r.dof).toBe(g.dof);
      expect(relClose(r.statistic, g.statistic, 1e-9), `${JSON.stringify(g.table)}: ${r.statistic} vs ${g.statistic}`).toBe(true);
      expect(relClose(r.pvalue, g.pvalue, 1e-9), `${JSON.stringify(g.table)}: p ${r.pvalue} vs ${g.pvalue}`).toBe(true);
    }
  });

  it(`chi-square survival function to 1e-9 on ${golden.chi2Sf.length} golden points`, () => {
    for (const g of golden.chi2Sf) expect(relClose(chi2Sf(g.x, g.k), g.sf, 1e-9), `x=${g.x} k=${g.k}: ${chi2Sf(g.x, g.k)} vs ${g.sf}`).toBe(true);
  });

  it(`Jensen–Shannon distance to 1e-9 on ${golden.jensenShannon.length} golden cases`, () => {
    expect(golden.jensenShannon.length).toBeGreaterThanOrEqual(50);
    for (const g of golden.jensenShannon) expect(Math.abs(jensenShannon(g.p, g.q) - g.distance), JSON.stringify(g)).toBeLessThanOrEqual(1e-9);
  });

  it(`Wasserstein distance and its normed form to 1e-9 on ${golden.wasserstein.length} golden cases`, () => {
    expect(golden.wasserstein.length).toBeGreaterThanOrEqual(50);
    for (const g of golden.wasserstein) {
      const u = draw(g.a);
      const v = draw(g.b);
      expect(relClose(wasserstein(u, v), g.distance, 1e-9), `seed ${g.a.seed}: ${wasserstein(u, v)} vs ${g.distance}`).toBe(true);
      if (g.normed === null) expect(() => normedWasserstein(u, v)).toThrow(/no spread/);
      else expect(relClose(normedWasserstein(u, v), g.normed, 1e-9)).toBe(true);
    }
  });

  it(`PSI on reference-quantile bins equals the numpy reference on ${golden.psi.length} golden cases`, () => {
    for (const g of golden.psi) expect(relClose(psi(draw(g.a), draw(g.b), g.bins), g.psi, 1e-9), `seed ${g.a.seed} bins ${g.bins}`).toBe(true);
  });

  it(`Benjamini–Hochberg adjusted p-values on ${golden.bh.length} golden cases`, () => {
    for (const g of golden.bh) {
      const mine = adjustedBH(g.p);
      g.adjusted.forEach((p, i) => expect(Math.abs(mine[i]! - p)).toBeLessThanOrEqual(1e-12));
    }
  });
});

describe('drift statistics: definitions and bad input', () => {
  it('KS puts the statistic on the lcm grid and refuses what SciPy would approximate', () => {
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(ksExactPvalue(0, 10, 20).pvalue).toBe(1);
    expect(() => ksExactPvalue(0.1, 20_000, 10)).toThrow(/at most 10,000/);
    expect(() => ksStatistic([], [1])).toThrow(/at least one/);
    expect(() => ksStatistic([NaN], [1])).toThrow(/NaN/);
  });

  it('chi-square names an empty category and a malformed row', () => {
    expect(() => chi2Contingency([[1, 0], [2, 0]])).toThrow(/column 2 is zero/);
    expect(() => chi2Contingency([[1, 2], [3]])).toThrow(/row 2 has 1/);
    expect(() => chi2Contingency([[1, -2], [3, 4]])).toThrow(/row 1 holds -2/);
  });

  it('PSI is 0 on the same sample and refuses non-numbers', () => {
    const a = draw({ seed: 5, n: 1000, shift: 0, scale: 1, step: 0 });
    expect(psi(a, a)).toBe(0);
    expect(() => psi(a, [1, NaN])).toThrow(/value 1 is NaN/);
    expect(() => psi(a, a, 1)).toThrow(/bins/);
  });

  it('multiple-testing corrections keep the family-wise rate and name a bad p-value', () => {
    expect(familyWiseRate(0.05, 20)).toBeCloseTo(0.6415, 4);
    expect(rejections([0.01, 0.02, 0.2], 0.05, 'none')).toEqual([true, true, false]);
    expect(rejections([0.01, 0.02, 0.2], 0.05, 'bonferroni')).toEqual([true, false, false]);
    expect(rejections([0.01, 0.02, 0.2], 0.05, 'bh')).toEqual([true, true, false]);
    expect(() => rejections([0.5, 1.5], 0.05, 'bh')).toThrow(/p-value 2 is 1.5/);
    expect(() => rejections([0.5], 0, 'none')).toThrow(/alpha/);
  });

  it('Page-Hinkley stays quiet on a stable stream and fires soon after the mean rises', () => {
    const r = mulberry32(3);
    const stable = Array.from({ length: 4000 }, () => (r() < 0.03 ? 1 : 0));
    const shifted = [...stable, ...Array.from({ length: 2000 }, () => (r() < 0.13 ? 1 : 0))];
    expect(pageHinkley(stable, { threshold: 30 })).toEqual([]);
    const alarms = pageHinkley(shifted, { threshold: 30 });
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms[0]!).toBeGreaterThan(4000);
    expect(alarms[0]! - 4000).toBeLessThan(1000);
    expect(() => pageHinkley([0], { threshold: Number.NaN })).toThrow(/threshold/);
  });
});
