import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { runLoad, VirtualClock } from '../../src/labkit/serving/load.ts';
import { queueServer } from '../../src/labkit/serving/simulate.ts';
import { DEFAULT_PLAN } from '../../src/labkit/serving/canary.ts';
import { StateError } from '../../src/labkit/lab/define.ts';
import serving, { MAX_LOAD_TESTS, type ServingState } from './lab.ts';
import { loadRecord, serviceTimes } from './records.ts';
import { batchingSweep, coordinatedOmission, simulatedRollout } from './experiments.ts';
import { verify } from './verify.ts';
import { runAbTest } from '../../src/labkit/serving/abtest.ts';

/** A fixed-rate load test in virtual time against a server whose service time is about 1 ms. */
async function fakeLoadTest(id: string, requests = 1200) {
  const clock = new VirtualClock();
  const random = mulberry32(5);
  const service: number[] = [];
  const serviceMs = () => {
    const ms = 0.6 + random() * 0.8;
    service.push(ms);
    return ms;
  };
  const run = runLoad({ model: 'open', arrivals: 'poisson', rate: 200, durationMs: (requests / 200) * 1000, maxInFlight: 64, seed: 1 }, queueServer(clock, serviceMs), clock, mulberry32(1));
  clock.run();
  return loadRecord(id, '2026-12-01T00:00:00Z', await run, service, {}, 'p(95)<50, rate<0.01');
}

const AB_PLAN = { baseline: 0.1, mde: 0.02, alpha: 0.05, power: 0.8 };
const COSTS = [1, 2, 4, 8, 16, 32].map((size) => ({ size, ms: 0.05 + 0.008 * size, throughput: (size / (0.05 + 0.008 * size)) * 1000 }));

async function buildState(): Promise<ServingState> {
  const test = await fakeLoadTest('t1');
  const omission = await coordinatedOmission(serviceTimes(test), 3);
  const rows = await batchingSweep(COSTS, 20_000, 4);
  const best = rows.filter((r) => r.p95 <= 50).reduce((a, r) => (r.throughput > a.throughput ? r : a));
  const result = simulatedRollout(DEFAULT_PLAN, 1, 5, serviceTimes(test), 9, undefined, 5);
  return {
    server: { at: '2026-12-01T00:00:00Z', source: 'export default { fetch() {} }' },
    contract: { at: '2026-12-01T00:00:00Z', route: 'service worker', outcomes: [{ name: 'a', passed: true }, { name: 'b', passed: true }] },
    loadTests: [test],
    overhead: {
      at: '2026-12-01T00:00:00Z',
      roundTripMs: [1.2, 1.4, 1.1, 1.3, 1.25, 1.5, 1.2, 1.3, 1.1, 1.2],
      serverMs: [0.5, 0.6, 0.5, 0.5, 0.55, 0.6, 0.5, 0.5, 0.5, 0.5],
      serviceWorker: { roundTripMs: [9, 11, 10, 12, 10.5, 9.5, 10, 13, 10, 11], serverMs: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] },
    },
    omission: { at: '2026-12-01T00:00:00Z', loadTest: 't1', seed: 3, result: omission },
    batching: [{ id: 'b1', at: '2026-12-01T00:00:00Z', costs: COSTS, rate: 20_000, seed: 4, rows, chosen: { maxBatchSize: best.maxBatchSize, maxQueueDelayMs: best.maxQueueDelayMs }, flushBy: 'reference' }],
    abTests: [{ id: 'a1', at: '2026-12-01T00:00:00Z', plan: AB_PLAN, perArm: 3841, trueLift: 0.02, seed: 6, result: runAbTest(AB_PLAN, 3841, 0.02, mulberry32(6)) }],
    rollouts: [{ id: 'r1', at: '2026-12-01T00:00:00Z', plan: DEFAULT_PLAN, baselineErrorPct: 1, regressionPp: 5, testerPct: 5, seed: 9, loadTest: 't1', verdictBy: 'reference', result }],
  };
}

let built: Promise<ServingState> | null = null;
/** The complete state, built once; each test gets its own copy. */
async function fullState(): Promise<ServingState> {
  built ??= buildState();
  return structuredClone(await built);
}

describe('the serving lab', () => {
  it('measures every criterion from a complete run, and they pass', async () => {
    const m = serving.measure(await fullState());
    expect(m['contract.passedPct']!.value).toBe(100);
    expect(m['load.percentiles']!.value).toBe(3);
    expect(m['load.p99Ms']!.lower).toBeLessThanOrEqual(m['load.p99Ms']!.value);
    expect(m['omission.ratio']!.value).toBeGreaterThanOrEqual(10);
    expect(m['batching.chosenP95']!.value).toBeLessThanOrEqual(50);
    expect(m['batching.shareOfBest']!.value).toBe(100);
    expect(m['batching.ratio32']!.value).toBeGreaterThan(3);
    expect(m['canary.rolledBackAt10']!.value).toBe(1);
    expect(m['ab.powered']!.value).toBe(1);
    expect(serving.measure({ ...serving.empty(), abTests: [{ ...(await fullState()).abTests[0]!, perArm: 3000 }] })['ab.powered']!.value).toBe(0);
    expect(m['path.overheadP50']!.value).toBeCloseTo(0.7, 5);
    // Round trip minus handler time: the median of 8.5, 10.5, 9.5, 11.5, 10, 9, 9.5, 12.5, 9.5, 10.5 (the sixth smallest).
    expect(m['path.swOverheadP50']!.value).toBeCloseTo(10, 5);
  });

  it('refuses p99 from a test of fewer than 1,000 answers', async () => {
    const state = { ...serving.empty(), loadTests: [await fakeLoadTest('short', 400)] };
    expect(serving.measure(state)['load.percentiles']!.value).toBe(2);
    expect(serving.measure(state)['load.p99Ms']).toBeUndefined();
  });

  it('reads state kept before the preview existed: its requests went straight to the worker', async () => {
    const old = JSON.parse(JSON.stringify(await fullState()));
    delete old.contract.route;
    delete old.loadTests[0].route;
    delete old.overhead.serviceWorker;
    const state = serving.parse(old, 1);
    expect(state.contract!.route).toBe('worker');
    expect(state.loadTests[0]!.route).toBe('worker');
    expect(serving.measure(state)['path.swOverheadP50']).toBeUndefined();
  });

  it('survives a round trip; bad state names the field', async () => {
    const state = await fullState();
    expect(serving.parse(JSON.parse(JSON.stringify(state)), 1)).toEqual(state);
    const broken = JSON.parse(JSON.stringify(state));
    broken.loadTests[0].ok[3] = 2;
    expect(() => serving.parse(broken, 1)).toThrow(StateError);
    expect(() => serving.parse(broken, 1)).toThrow(/loadTests\[0\]\.ok\[3\]/);
    broken.loadTests[0].ok[3] = 1;
    broken.loadTests[0].sent.pop();
    expect(() => serving.parse(broken, 1)).toThrow(/different lengths/);
  });

  it('merges two tabs without dropping either and marks imports', async () => {
    const a = await fullState();
    const b = { ...serving.empty(), loadTests: [await fakeLoadTest('t2', 300)] };
    const merged = serving.merge!(a, b);
    expect(merged.loadTests.map((t) => t.id).sort()).toEqual(['t1', 't2']);
    expect(merged.rollouts).toHaveLength(1);
    expect(MAX_LOAD_TESTS).toBeGreaterThan(1);
    expect(serving.markRestored!(a, 'x').loadTests[0]!.restoredAt).toBe('x');
  });

  it('verification replays the virtual-time experiments and catches an edited figure', async () => {
    const state = await fullState();
    const claims = await verify(state, {}, {} as never);
    expect(claims.filter((c) => c.status === 'contradicted')).toEqual([]);
    expect(claims.filter((c) => c.status === 'confirmed')).toHaveLength(4);
    // The contract runs again in the lab's Web Worker, which Node has not: the claim says so and nothing fails.
    expect(claims[0]).toEqual({ claim: 'The server passed 2 of 2 contract cases (fetch through the preview’s service worker)', status: 'not-checkable', detail: "the lab's worker could not start here to run it again: there are no Web Workers here (a browser has them)" });
    state.omission!.result.ratio *= 2;
    state.rollouts[0]!.result.canaryRequests += 100;
    const again = await verify(state, {}, {} as never);
    expect(again.filter((c) => c.status === 'contradicted')).toHaveLength(2);
  });

  it('reports every load test with its percentiles and the rollout decisions', async () => {
    const parts = serving.report!(await fullState());
    const titles = parts.tables!.map((t) => t.title).join('\n');
    expect(titles).toMatch(/Load tests/);
    const load = parts.tables!.find((t) => t.title?.startsWith('Load tests'))!;
    expect(String(load.rows[0]![load.columns.indexOf('thresholds')])).toMatch(/^p\(95\)<50, rate<0.01: passed$/);
    expect(titles).toMatch(/Coordinated omission/);
    expect(titles).toMatch(/Rollout r1.*rolled back/);
    expect(parts.charts!.length).toBeGreaterThanOrEqual(2);
  });
});
