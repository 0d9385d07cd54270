/**
 * The tuning engine against Optuna 3.1 itself (golden cases from scripts/oracles/tuning.py): pruning decisions on 40
 * recorded learning curves, Parzen estimators, distributions as Optuna serialises them, Python's float format, the
 * normal functions, CRC-32; and Newcombe's interval against statsmodels.
 */
import { describe, expect, it } from 'vitest';
import golden from './fixtures/optuna.json';
import { categoricalDistribution, distributionToJson, floatDistribution, intDistribution, type Distribution } from './distributions.ts';
import { logGaussMass, logNdtr, truncnormPpf } from './normal.ts';
import { ParzenEstimator } from './parzen.ts';
import { crc32, HyperbandPruner, MedianPruner, SuccessiveHalvingPruner } from './pruners.ts';
import { pyFloat } from './pyjson.ts';
import { RandomSampler } from './samplers.ts';
import { runStudy, SimulatedClock, Study, TrialPruned, type Direction, type Pruner } from './study.ts';
import { independentDifference } from '../stats/independent.ts';

const num = (v: number | string) => (typeof v === 'string' ? Number(v) : v);

const PRUNERS: Record<string, () => Pruner> = {
  'median-default': () => new MedianPruner(),
  'median-custom': () => new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 2, intervalSteps: 2 }),
  'median-min-trials': () => new MedianPruner({ nStartupTrials: 1, nMinTrials: 3 }),
  'asha-lab': () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
  'asha-default': () => new SuccessiveHalvingPruner(),
  'asha-bootstrap': () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 2 }),
  'asha-rate': () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 1 }),
  'hyperband-lab': () => new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 }),
  'hyperband-auto': () => new HyperbandPruner(),
};

describe('pruners decide as Optuna 3.1 does', () => {
  const curves = golden.curves.map((c) => c.map(num));
  for (const c of golden.pruners) {
    it(`${c.pruner}, ${c.direction}`, async () => {
      const sign = c.direction === 'minimize' ? 1 : -1;
      const study = new Study({ name: 'golden', direction: c.direction as Direction, sampler: new RandomSampler(1), pruner: PRUNERS[c.pruner]!() });
      await runStudy({
        study,
        nTrials: curves.length,
        workers: 1,
        clock: new SimulatedClock(),
        stuckMs: 1000,
        context: () => ({}),
        objective: (trial) => {
          const curve = curves[trial.number]!;
          for (let step = 1; step <= curve.length; step++) {
            trial.report(sign * curve[step - 1]!, step);
            if (trial.shouldPrune()) throw new TrialPruned();
          }
          return Number.isNaN(curve.at(-1)!) ? 1e9 : sign * curve.at(-1)!;
        },
      });
      const mine = study.trials.map((t) => `${t.state}@${t.intermediate.at(-1)![0]}`);
      const theirs = c.trials.map((t) => `${t.state}@${t.lastStep}`);
      expect(mine).toEqual(theirs);
      const rungs = study.trials.map((t) => Object.fromEntries(Object.entries(t.systemAttrs).filter(([k]) => k.startsWith('completed_rung_')).map(([k, v]) => [k, String(v)])));
      expect(rungs).toEqual(c.trials.map((t) => Object.fromEntries(Object.entries(t.rungs).map(([k, v]) => [k, String(num(v as number | string))]))));
    });
  }
});

function distributionOf(d: { kind: string; low?: number; high?: number; log?: boolean; step?: number | null; choices?: unknown[] }): Distribution {
  if (d.kind === 'categorical') return categoricalDistribution('x', d.choices);
  if (d.kind === 'float') return floatDistribution('x', d.low!, d.high!, { log: d.log, step: d.step });
  return intDistribution('x', d.low!, d.high!, { log: d.log, step: d.step ?? 1 });
}

describe("Optuna's Parzen estimator (with the corrected density, optuna/optuna#5109)", () => {
  for (const [i, c] of golden.parzen.entries()) {
    it(`case ${i + 1}: ${c.distribution.kind}${c.distribution.log ? ' log' : ''}${c.distribution.step ? ` step ${c.distribution.step}` : ''}, ${c.below.length} good and ${c.above.length} other observations`, () => {
      const d = distributionOf(c.distribution);
      const l = new ParzenEstimator(c.below, d);
      const g = new ParzenEstimator(c.above, d);
      if (c.belowMus) {
        expect(l.mus.length).toBe(c.belowMus.length);
        l.mus.forEach((m, k) => expect(m).toBeCloseTo(c.belowMus![k]!, 12));
        l.sigmas.forEach((s, k) => expect(s).toBeCloseTo(c.belowSigmas![k]!, 12));
      }
      const ll = l.logPdf(c.candidates);
      const lg = g.logPdf(c.candidates);
      ll.forEach((v, k) => expect(v).toBeCloseTo(c.logL[k]!, 9));
      ll.forEach((v, k) => expect(v - lg[k]!).toBeCloseTo(c.logLMinusLogG[k]!, 9));
    });
  }
  it('samples stay in the range and on the grid', () => {
    const d = floatDistribution('x', -3, -0.5, { step: 0.5 });
    const pe = new ParzenEstimator([-2, -2.5, -1], d);
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (const x of pe.sample(rand, 500)) expect([-3, -2.5, -2, -1.5, -1, -0.5]).toContain(x);
  });
});

describe('distributions and numbers as Optuna writes them', () => {
  it('distribution_to_json, including a high lowered onto the step grid', () => {
    for (const c of golden.distributions) {
      const o = (c as { options?: { log?: boolean; step?: number } }).options ?? {};
      const d =
        c.kind === 'categorical'
          ? categoricalDistribution('x', (c as { choices: unknown[] }).choices)
          : c.kind === 'float'
            ? floatDistribution('x', c.low!, c.high!, o)
            : intDistribution('x', c.low!, c.high!, o);
      expect(distributionToJson(d)).toBe(c.json);
    }
  });
  it("floats in Python's repr", () => {
    for (const c of golden.floats) expect(pyFloat(c.value)).toBe(c.json);
  });
  it('log Φ, Gaussian masses and truncated-normal quantiles', () => {
    for (const c of golden.normal) {
      if ('logNdtr' in c) expect(logNdtr(c.logNdtr![0]!)).toBeCloseTo(c.logNdtr![1]!, 10);
      if ('logGaussMass' in c) expect(logGaussMass(c.logGaussMass![0]!, c.logGaussMass![1]!)).toBeCloseTo(c.logGaussMass![2]!, 10);
      if ('ppf' in c) expect(truncnormPpf(c.ppf![0]!, c.ppf![1]!, c.ppf![2]!)).toBeCloseTo(c.ppf![3]!, 9);
    }
  });
  it("CRC-32 as Python's binascii (Hyperband's bracket of a trial)", () => {
    for (const c of golden.crc32) expect(crc32(c.text)).toBe(c.crc32);
  });
  it("Newcombe's interval for two independent proportions, as statsmodels", () => {
    for (const c of golden.newcombe) {
      const d = independentDifference(c.k1, c.n1, c.k2, c.n2);
      expect(d.lower).toBeCloseTo(c.lower, 10);
      expect(d.upper).toBeCloseTo(c.upper, 10);
    }
  });
});
