/**
 * Studies as Optuna runs them, and the samplers on known functions: define-by-run semantics, every kind of bad
 * input as a failed trial with its reason (the study goes on), grid and de-duplicated TPE, simulated parallel
 * workers, the Hyperband schedule of the paper, TPE and the GP sampler on a quadratic and on Branin, and the journal.
 */
import { describe, expect, it } from 'vitest';
import { GPSampler } from './gp.ts';
import { hyperbandSchedule } from './hyperband.ts';
import { journalLines } from './journal.ts';
import { trialsCsv } from './csv.ts';
import { NopPruner, SuccessiveHalvingPruner } from './pruners.ts';
import { duplicateCount, GridSampler, RandomSampler, TPESampler } from './samplers.ts';
import { runStudy, SimulatedClock, Study, TrialPruned, type Objective, type Sampler, type Pruner } from './study.ts';

async function optimize(objective: Objective<unknown>, options: { sampler?: Sampler; pruner?: Pruner; n: number; workers?: number; stuckMs?: number; name?: string; direction?: 'minimize' | 'maximize' }) {
  const study = new Study({ name: options.name ?? 'test', direction: options.direction, sampler: options.sampler ?? new RandomSampler(1), pruner: options.pruner ?? new NopPruner() });
  const clock = new SimulatedClock();
  await runStudy({ study, objective, context: () => clock, nTrials: options.n, workers: options.workers ?? 1, clock, stuckMs: options.stuckMs ?? 1000 });
  return study;
}

describe('define-by-run trials', () => {
  it('a parameter asked twice keeps its value; a report of the same step is ignored', async () => {
    const study = await optimize(
      (trial) => {
        const a = trial.suggestFloat('x', 0, 1);
        expect(trial.suggestFloat('x', 0, 1)).toBe(a);
        trial.report(0.5, 1);
        trial.report(0.9, 1);
        return a;
      },
      { n: 3 },
    );
    expect(study.trials.every((t) => t.state === 'COMPLETE' && t.intermediate.length === 1 && t.intermediate[0]![1] === 0.5)).toBe(true);
  });

  it('bad input fails the trial with a reason that names it, and the study goes on', async () => {
    const cases: [Objective<unknown>, RegExp][] = [
      [(t) => t.suggestFloat('lr', 1, 0.1), /suggestFloat\('lr', 1, 0\.1\): low \(1\) must be smaller than or equal to high \(0\.1\)/],
      [(t) => t.suggestCategorical('opt', []), /suggestCategorical\('opt', …\): choices must contain one or more elements/],
      [(t) => t.suggestFloat('lr', 0, 1, { log: true }), /low must be larger than 0 for a log distribution/],
      [(t) => t.suggestInt('n', 1, 5.5), /low and high must be whole numbers/],
      [() => NaN, /returned NaN/],
      [() => 'high', /returned "high", not a number/],
      [() => {
        throw new RangeError('out of memory, say');
      }, /RangeError: out of memory, say/],
      [(t) => t.report(Number.NaN, -1), /the step must be a whole number of at least 0/],
    ];
    for (const [bad, reason] of cases) {
      let calls = 0;
      const study = await optimize(
        (trial) => {
          calls++;
          return calls === 2 ? (bad as (t: typeof trial) => unknown)(trial) : trial.suggestFloat('x', 0, 1);
        },
        { n: 4 },
      );
      expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
      expect(study.trials[1]!.reason).toMatch(reason);
    }
  });

  it('a parameter that changes kind between trials fails the later trial', async () => {
    const study = await optimize((t) => (t.number === 0 ? t.suggestFloat('h', 1, 2) : t.suggestCategorical('h', [1, 2])), { n: 2 });
    expect(study.trials[1]!.state).toBe('FAIL');
    expect(study.trials[1]!.reason).toMatch(/suggested as float before and as categorical now/);
  });

  it('an objective that never returns fails after the time limit, and the study goes on', async () => {
    const study = await optimize((t) => (t.number === 1 ? new Promise(() => undefined) : t.suggestFloat('x', 0, 1)), { n: 3, stuckMs: 50 });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE']);
    expect(study.trials[1]!.reason).toMatch(/did not return/);
  });

  it('a pruned trial keeps its last intermediate value as its value (Optuna 3.1)', async () => {
    const study = await optimize(
      (t) => {
        t.report(0.7, 1);
        t.report(0.6, 2);
        throw new TrialPruned();
      },
      { n: 1 },
    );
    expect(study.trials[0]).toMatchObject({ state: 'PRUNED', value: 0.6 });
    expect(study.bestTrial).toBeUndefined();
  });

  it('the same seed gives the same trials', async () => {
    const run = async () => (await optimize((t) => t.suggestFloat('x', -5, 5) ** 2 + t.suggestInt('k', 1, 4), { sampler: new TPESampler({ seed: 9 }), n: 25 })).trials.map((t) => t.params);
    expect(await run()).toEqual(await run());
  });
});

describe('samplers', () => {
  it('grid search runs every point of the grid once, then stops', async () => {
    const grid = { a: [1, 2, 3], b: ['x', 'y'] };
    const study = await optimize((t) => t.suggestCategorical('a', [1, 2, 3]) + (t.suggestCategorical('b', ['x', 'y']) === 'x' ? 0 : 10), { sampler: new GridSampler(grid, 4), n: 100 });
    expect(study.trials.length).toBe(6);
    expect(duplicateCount(study.trials)).toBe(0);
  });

  it('grid search fails a trial that asks for a parameter the grid lacks', async () => {
    const study = await optimize((t) => t.suggestFloat('lr', 0, 1), { sampler: new GridSampler({ a: [1] }, 1), n: 1 });
    expect(study.trials[0]!.reason).toMatch(/'lr' is not in the grid/);
  });

  it('plain TPE repeats configurations in a small discrete space; de-duplicated TPE does not', async () => {
    const objective: Objective<unknown> = (t) => {
      const a = t.suggestCategorical('a', [0, 1, 2, 3]);
      const b = t.suggestFloat('b', -1, 1, { step: 0.5 });
      return (a - 2) ** 2 + b * b;
    };
    const plain = await optimize(objective, { sampler: new TPESampler({ seed: 3 }), n: 20 });
    const dedup = await optimize(objective, { sampler: new TPESampler({ seed: 3, dedup: true }), n: 20 });
    expect(duplicateCount(plain.trials)).toBeGreaterThan(3);
    expect(duplicateCount(dedup.trials)).toBe(0);
    expect(dedup.bestTrial!.value).toBe(0);
  });

  it('simulated workers run trials side by side and stay deterministic', async () => {
    const run = async () => {
      const study = new Study({ name: 'par', sampler: new RandomSampler(5), pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }) });
      const clock = new SimulatedClock();
      await runStudy({
        study,
        clock,
        nTrials: 12,
        workers: 3,
        stuckMs: 1000,
        context: () => undefined,
        objective: async (t) => {
          const x = t.suggestFloat('x', 0, 1);
          for (let step = 1; step <= 9; step++) {
            await clock.wait(t.frozen, 100 + Math.round(x * 50));
            t.report(x + 1 / step, step);
            if (t.shouldPrune()) throw new TrialPruned();
          }
          return x;
        },
      });
      return study.trials;
    };
    const trials = await run();
    expect(new Set(trials.map((t) => t.worker))).toEqual(new Set([0, 1, 2]));
    expect(trials.slice(0, 3).every((t) => t.start === 0)).toBe(true);
    expect(trials.some((t) => t.state === 'PRUNED')).toBe(true);
    expect(JSON.stringify(await run())).toBe(JSON.stringify(trials));
  });
});

describe('the Hyperband schedule', () => {
  it('equals the paper for R = 81, η = 3: 143 configurations, 1,902 epochs', () => {
    const s = hyperbandSchedule(81, 3);
    expect(s.brackets.map((b) => b.rungs.map((r) => [r.configurations, r.resource]))).toEqual([
      [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]],
      [[34, 3], [11, 9], [3, 27], [1, 81]],
      [[15, 9], [5, 27], [1, 81]],
      [[8, 27], [2, 81]],
      [[5, 81]],
    ]);
    expect(s.configurations).toBe(143);
    expect(s.cost).toBe(1902);
  });
  it('gives the lab’s own R = 9, η = 3, and refuses a bad R', () => {
    expect(hyperbandSchedule(9, 3).brackets.map((b) => b.rungs[0])).toEqual([{ configurations: 9, resource: 1 }, { configurations: 5, resource: 3 }, { configurations: 3, resource: 9 }]);
    expect(() => hyperbandSchedule(0, 3)).toThrow(/R must be a whole number/);
  });
});

const branin = (x1: number, x2: number) => (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
const BRANIN_MIN = 0.397887;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bestOf(sampler: Sampler, objective: Objective<unknown>, n: number): Promise<number> {
  return (await optimize(objective, { sampler, n })).bestTrial!.value!;
}

describe('samplers on known functions (more seeds in bench/tuning-samplers.mjs)', () => {
  const quadratic: Objective<unknown> = (t) => (t.suggestFloat('x', -10, 10) - 2) ** 2;
  const braninObjective: Objective<unknown> = (t) => branin(t.suggestFloat('x1', -5, 10), t.suggestFloat('x2', 0, 15));
  for (const [name, objective] of [['a 1-D quadratic', quadratic], ['Branin', braninObjective]] as const) {
    it(`${name}: TPE's median best after 50 trials beats random search's after 100`, async () => {
      const tpe: number[] = [];
      const random: number[] = [];
      for (let seed = 0; seed < 15; seed++) {
        tpe.push(await bestOf(new TPESampler({ seed }), objective, 50));
        random.push(await bestOf(new RandomSampler(seed + 1000), objective, 100));
      }
      expect(median(tpe)).toBeLessThan(median(random));
    });
  }
  it('Branin: the GP sampler comes within 0.1 of the minimum in 40 evaluations in at least 4 of 5 seeds', async () => {
    let within = 0;
    for (let seed = 0; seed < 5; seed++) if ((await bestOf(new GPSampler({ seed }), braninObjective, 40)) - BRANIN_MIN <= 0.1) within++;
    expect(within).toBeGreaterThanOrEqual(4);
  }, 30_000);
});

describe('journal and CSV', () => {
  it('the same study gives the same bytes, in Optuna’s operations', async () => {
    const make = async () => {
      const study = await optimize(
        (t) => {
          const x = t.suggestFloat('x', 1e-3, 1, { log: true });
          const h = t.suggestCategorical('h', [16, 32]);
          t.report(x, 1);
          t.setUserAttr('note', 'ünïcode');
          if (t.number === 2) throw new Error('boom');
          return x * h;
        },
        { sampler: new RandomSampler(2), n: 4, name: 'journal-test' },
      );
      return journalLines({ name: study.name, direction: study.direction, startedAt: Date.UTC(2000, 0, 1), userAttrs: { sampler: 'random' }, trials: study.trials });
    };
    const text = await make();
    expect(await make()).toBe(text);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('{"op_code": 0, "worker_id": "mlops-course-tuning-lab-worker-0", "study_name": "journal-test", "directions": [1]}');
    expect(lines.filter((l) => l.startsWith('{"op_code": 4,')).length).toBe(4);
    expect(text).toContain('"user_attr": {"note": "\\u00fcn\\u00efcode"}');
    expect(text).toContain('"state": 3, "values": null');
    expect(text).toContain('"system_attr": {"fail_reason": "boom"}');
  });

  it('CSV has Optuna’s columns and quotes what needs quoting', async () => {
    const study = await optimize((t) => t.suggestFloat('x', 0, 1), { n: 2 });
    const csv = trialsCsv({ name: 's', direction: 'minimize', startedAt: 0, userAttrs: {}, trials: study.trials.map((t) => ({ ...t, reason: 'a, "b"' })) });
    const [header, first] = csv.split('\r\n');
    expect(header).toBe('number,value,datetime_start,datetime_complete,duration,params_x,state,worker,intermediate_values,reason');
    expect(first).toMatch(/^0,0\.\d+,1970-01-01 00:00:00\.000000,1970-01-01 00:00:00\.000000,0 days 00:00:00\.000000,0\.\d+,COMPLETE,0,{},"a, ""b"""$/);
  });
});
