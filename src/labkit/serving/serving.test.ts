import { describe, expect, it } from 'vitest';
import golden from './fixtures/numpy-quantiles.json';
import { quantileSorted } from '../stats/samples.ts';
import { mulberry32 } from '../ml/random.ts';
import { latencyPercentiles, minSamples, percentileSorted, quantileRanks } from './percentiles.ts';
import { arrivalTimes, checkLoadSpec, latencies, runLoad, sendLag, VirtualClock, type LoadSpec, type Send } from './load.ts';
import { afterStall, batchCost, batchingServer, queueServer } from './simulate.ts';
import { nextFlush } from './batcher.mjs';
import { canaryVerdict } from './canary.mjs';
import { DEFAULT_PLAN, fnv1a, route, routeRequest, runRollout, simulatedVersion, trafficOf, upperZ } from './canary.ts';

describe('percentiles', () => {
  it("match NumPy's default (linear) quantile on golden data", () => {
    for (const c of golden.cases) {
      const sorted = [...c.samples].sort((a, b) => a - b);
      c.p.forEach((p, i) => expect(quantileSorted(sorted, p), `${c.name} p=${p}`).toBeCloseTo(c.quantiles[i]!, 9));
    }
  });

  it("take the interval ranks SciPy's binomial gives", () => {
    for (const r of golden.ranks) {
      const mine = quantileRanks(r.n, r.p);
      if (r.lower === null) expect(mine, `n=${r.n} p=${r.p}`).toBeNull();
      else {
        expect(mine, `n=${r.n} p=${r.p}`).toMatchObject({ lower: r.lower, upper: r.upper });
        expect(mine!.coverage).toBeCloseTo(r.coverage!, 6);
      }
    }
  });

  it('refuse p99 below 1,000 samples and p95 below 200, saying how many are needed', () => {
    expect([minSamples(0.5), minSamples(0.95), minSamples(0.99)]).toEqual([100, 200, 1000]);
    const xs = Array.from({ length: 999 }, (_, i) => i);
    const p99 = percentileSorted(xs, 0.99);
    expect(p99.value).toBeNull();
    expect(p99.refused).toMatch(/1000 samples.*999/);
    const [p50, p95, p99b] = latencyPercentiles(Array.from({ length: 1000 }, (_, i) => 1000 - i));
    expect(p50!.value).toBeCloseTo(500.5, 9);
    expect(p95!.lower! <= p95!.value! && p95!.value! <= p95!.upper!).toBe(true);
    expect(p99b!.value).not.toBeNull();
  });
});

describe('load generators in virtual time', () => {
  const constantServer = (clock: VirtualClock, ms: number): Send => queueServer(clock, () => ms);

  it('an open model at a constant rate sends on schedule; a closed user waits for each answer', async () => {
    const clock = new VirtualClock();
    const open = runLoad({ model: 'open', arrivals: 'constant', rate: 100, durationMs: 1000, maxInFlight: 1000, seed: 1 }, constantServer(clock, 2), clock, mulberry32(1));
    clock.run();
    const o = await open;
    expect(o.samples).toHaveLength(100);
    expect(Math.max(...sendLag(o.samples))).toBe(0);
    expect(latencies(o.samples, 'sent').every((l) => l === 2)).toBe(true);

    const clock2 = new VirtualClock();
    const closed = runLoad({ model: 'closed', users: 1, durationMs: 1000, ratePerUser: 0 }, constantServer(clock2, 4), clock2, mulberry32(1));
    clock2.run();
    expect((await closed).samples).toHaveLength(250);
  });

  it('Poisson arrivals are seeded and average the rate', () => {
    const spec = { model: 'open', arrivals: 'poisson', rate: 50, durationMs: 100_000, maxInFlight: 10, seed: 3 } as const;
    const a = arrivalTimes(spec, mulberry32(3));
    expect(arrivalTimes(spec, mulberry32(3))).toEqual(a);
    expect(a.length).toBeGreaterThan(4800);
    expect(a.length).toBeLessThan(5200);
  });

  it('coordinated omission: a planted stall hides from the closed model and shows in the open one', async () => {
    const stall = { everyMs: 10_000, forMs: 1000 };
    const run = async (spec: LoadSpec) => {
      const clock = new VirtualClock();
      const r = runLoad(spec, queueServer(clock, () => 2, stall), clock, mulberry32(7));
      clock.run();
      return r;
    };
    const closed = await run({ model: 'closed', users: 1, durationMs: 60_000, ratePerUser: 50 });
    const open = await run({ model: 'open', arrivals: 'constant', rate: 50, durationMs: 60_000, maxInFlight: 10_000, seed: 7 });
    const p99 = (xs: number[]) => percentileSorted([...xs].sort((a, b) => a - b), 0.99).value!;
    const closedP99 = p99(latencies(closed.samples, 'sent'));
    const openP99 = p99(latencies(open.samples, 'intended'));
    expect(closed.samples.length).toBeLessThan(open.samples.length);
    expect(openP99).toBeGreaterThan(10 * closedP99);
  });

  it('a server that never answers times out instead of hanging; bad specs are refused by field', async () => {
    const clock = new VirtualClock();
    const never: Send = () => undefined;
    const r = runLoad({ model: 'open', arrivals: 'constant', rate: 10, durationMs: 1000, maxInFlight: 3, seed: 1 }, never, clock, mulberry32(1), 500);
    clock.run();
    const result = await r;
    expect(result.timedOut).toBe(3);
    expect(result.dropped).toBe(7);
    expect(result.samples.every((s) => !s.ok)).toBe(true);
    expect(checkLoadSpec({ model: 'closed', users: 0, durationMs: 1000, ratePerUser: 0 })).toMatch(/^users/);
    expect(checkLoadSpec({ model: 'open', arrivals: 'poisson', rate: -5, durationMs: 1000, maxInFlight: 1, seed: 1 })).toMatch(/^rate/);
    await expect(runLoad({ model: 'closed', users: 1, durationMs: -1, ratePerUser: 0 }, never, clock, mulberry32(1))).rejects.toThrow(/duration/);
  });

  it('a stall pauses work in progress', () => {
    const stall = { everyMs: 100, forMs: 10 };
    expect(afterStall(95, stall)).toBe(100);
    expect(afterStall(50, stall)).toBe(50);
    const clock = new VirtualClock();
    const done: number[] = [];
    const send = queueServer(clock, () => 20, stall);
    clock.at(80, () => send(0, () => done.push(clock.now())));
    clock.run();
    expect(done).toEqual([110]); // 10 ms of work before the stall, 10 ms after it
  });
});

describe('dynamic batching', () => {
  it('flushes a full batch at once and a partial one when the oldest has waited the delay', () => {
    const o = { maxBatchSize: 8, maxQueueDelayMs: 5 };
    expect(nextFlush(0, 0, 10, o)).toBeNull();
    expect(nextFlush(9, 0, 10, o)).toEqual({ size: 8, atMs: 10 });
    expect(nextFlush(3, 8, 10, o)).toEqual({ size: 3, atMs: 13 });
    expect(nextFlush(3, 2, 10, o)).toEqual({ size: 3, atMs: 10 });
    expect(() => nextFlush(1, 0, 0, { maxBatchSize: 0, maxQueueDelayMs: 1 })).toThrow(/maxBatchSize/);
  });

  it('batches under saturating load raise throughput when a batch costs less per request', async () => {
    const cost = batchCost([{ size: 1, ms: 1 }, { size: 32, ms: 4 }]);
    expect(cost(1)).toBe(1);
    expect(cost(32)).toBe(4);
    const throughput = async (maxBatchSize: number) => {
      const clock = new VirtualClock();
      const server = batchingServer(clock, cost, { maxBatchSize, maxQueueDelayMs: 2 });
      const r = runLoad({ model: 'open', arrivals: 'poisson', rate: 3000, durationMs: 2000, maxInFlight: 100_000, seed: 2 }, server, clock, mulberry32(2), 60_000);
      clock.run();
      const res = await r;
      return res.samples.length / (Math.max(...res.samples.map((s) => s.done)) / 1000);
    };
    expect(await throughput(32)).toBeGreaterThan(2.5 * (await throughput(1)));
  });
});

describe('canary', () => {
  it('routes a share of users, the same user always the same way, and grows monotonically', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c); // the FNV-1a test vector
    let canary = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = route(`user-${i}`, 10);
      if (v === 'canary') {
        canary++;
        expect(route(`user-${i}`, 50)).toBe('canary');
      }
      expect(route(`user-${i}`, 10)).toBe(v);
    }
    expect(canary / 10_000).toBeGreaterThan(0.09);
    expect(canary / 10_000).toBeLessThan(0.11);
  });

  it("the verdict is a one-sided pooled z-test; bad counts are refused", () => {
    expect(upperZ(0.05)).toBeCloseTo(1.6448536, 6);
    const v = canaryVerdict({ requests: 4500, errors: 45 }, { requests: 500, errors: 30 }, { zCritical: 2.7, minRequests: 100 });
    expect(v.decision).toBe('rollback');
    expect(v.z).toBeCloseTo((0.06 - 0.01) / Math.sqrt((75 / 5000) * (1 - 75 / 5000) * (1 / 4500 + 1 / 500)), 9);
    expect(canaryVerdict({ requests: 10, errors: 0 }, { requests: 50, errors: 5 }, { zCritical: 2, minRequests: 100 }).decision).toBe('wait');
    expect(() => canaryVerdict({ requests: 10, errors: 11 }, { requests: 10, errors: 0 }, { zCritical: 2, minRequests: 1 })).toThrow(/baseline/);
  });

  it('rolls back a +5 pp error regression and promotes equal versions (seeded)', () => {
    const rollout = (canaryErrors: number, seed: number) => {
      const random = mulberry32(seed);
      const base = simulatedVersion(0.01, 20, random);
      const canary = simulatedVersion(canaryErrors, 20, random);
      return runRollout(DEFAULT_PLAN, trafficOf(20_000, random), (v) => (v === 'canary' ? canary() : base()));
    };
    const bad = rollout(0.06, 11);
    expect(bad.outcome).toBe('rolled back');
    expect(bad.looks.at(-1)!.share).toBe(10);
    expect(bad.canaryRequests).toBeLessThanOrEqual(500);
    expect(bad.stickinessViolations).toBe(0);
    expect(bad.userFacingCanaryErrors).toBeGreaterThan(0);
    const same = rollout(0.01, 12);
    expect(same.outcome).toBe('promoted');
    expect(same.looks.map((l) => l.share)).toEqual([10, 10, 10, 10, 10, 50, 50, 50, 50, 50, 100, 100, 100, 100, 100]);
  });

  it('in shadow mode every user gets the baseline, the mirrored copies still catch the regression', () => {
    const random = mulberry32(11);
    const base = simulatedVersion(0.01, 20, random);
    const canary = simulatedVersion(0.06, 20, random);
    const served: string[] = [];
    const r = runRollout({ ...DEFAULT_PLAN, mode: 'shadow' }, trafficOf(20_000, random), (v) => {
      served.push(v);
      return v === 'canary' ? canary() : base();
    });
    expect(r.outcome).toBe('rolled back');
    expect(r.userFacingCanaryErrors).toBe(0);
    const look = r.looks.at(-1)!;
    expect(look.baseline.requests).toBe(r.requests); // every request was answered by the baseline
    expect(look.canary.requests).toBe(served.filter((v) => v === 'canary').length);
    expect(() => runRollout({ ...DEFAULT_PLAN, mode: 'mirror' as never }, trafficOf(10, random), () => base())).toThrow(/mode/);
  });

  it('a request with x-version goes where the header says and stays out of the analysis', () => {
    expect(routeRequest({ user: 'u', headers: { 'x-version': 'canary' } }, 0)).toEqual({ version: 'canary', byHeader: true });
    expect(routeRequest({ user: 'u', headers: { 'x-version': 'baseline' } }, 100)).toEqual({ version: 'baseline', byHeader: true });
    expect(routeRequest({ user: 'user-1', headers: { 'x-version': 'other' } }, 10)).toEqual({ version: route('user-1', 10), byHeader: false });
    const random = mulberry32(3);
    const base = simulatedVersion(0.01, 20, random);
    const served: string[] = [];
    const r = runRollout(DEFAULT_PLAN, trafficOf(20_000, random, 20), (v) => {
      served.push(v);
      return base();
    });
    expect(r.headerRequests).toBeGreaterThan(0);
    const analysed = r.looks.at(-1)!;
    expect(analysed.baseline.requests + analysed.canary.requests + r.headerRequests).toBe(served.length);
  });
});

describe('A/B test planned in advance', () => {
  it('sample sizes equal statsmodels’ samplesize_proportions_2indep_onetail', async () => {
    const { sampleSizeExact } = await import('./abtest.ts');
    const golden = (await import('./fixtures/ab-sample-sizes.json')).default;
    for (const c of golden.cases) {
      expect(sampleSizeExact({ baseline: c.baseline, mde: c.diff, alpha: c.alpha, power: c.power }), JSON.stringify(c)).toBeCloseTo(c.n, 4);
    }
  });

  it('runs to the planned size, detects a real lift and refuses bad plans', async () => {
    const { runAbTest, sampleSizePerArm, checkAbPlan } = await import('./abtest.ts');
    const plan = { baseline: 0.1, mde: 0.02, alpha: 0.05, power: 0.8 };
    const n = sampleSizePerArm(plan);
    expect(n).toBe(3841);
    const lift = runAbTest(plan, n, 0.03, mulberry32(4));
    expect(lift.a.sessions).toBe(n);
    expect(lift.b.sessions).toBe(n);
    expect(lift.decision).toBe('B converts better');
    expect(lift.difference.lower).toBeGreaterThan(0);
    expect(checkAbPlan({ ...plan, power: 1 })).toMatch(/^power/);
    expect(() => runAbTest(plan, 5, 0, mulberry32(1))).toThrow(/sessions per arm/);
  });
});

describe('k6-style thresholds', () => {
  it('parse, evaluate, and refuse a percentile the sample cannot support', async () => {
    const { evaluateThresholds, parseThresholds } = await import('./thresholds.ts');
    const ts = parseThresholds('p(95)<200, rate<0.01, med<=5, max<1000, p(99)<500');
    expect(ts.map((t) => t.op)).toEqual(['<', '<', '<=', '<', '<']);
    const durations = Array.from({ length: 200 }, (_, i) => i + 1); // 1..200 ms
    const r = evaluateThresholds(ts, durations, 1, 201);
    expect(r[0]).toMatchObject({ pass: true, value: quantileSorted(durations, 0.95) });
    expect(r[1]).toMatchObject({ pass: true });
    expect(r[2]).toMatchObject({ pass: false, value: 100.5 });
    expect(r[3]).toMatchObject({ pass: true, value: 200 });
    expect(r[4]).toMatchObject({ pass: null, why: 'needs 1000 answered requests, has 200' });
    expect(() => parseThresholds('p95<200')).toThrow(/threshold "p95<200"/);
    expect(() => parseThresholds('p(100)<5')).toThrow(/between 0 and 100/);
  });
});
