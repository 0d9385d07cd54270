/**
 * The serving lab: the student writes a model server on the Open Inference Protocol (V2) that runs in a Web Worker
 * with the edge lab's dense MNIST model, load-tests it from the page in closed and open models, sees coordinated
 * omission, tunes a dynamic batcher and rolls out a canary that rolls itself back. The state keeps every sample and
 * setting, so the report's numbers can be re-derived (verify.ts replays the virtual-time experiments exactly).
 */
import { defineLab, estimate, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { medianCI } from '../../src/labkit/stats/samples.ts';
import { latencyPercentiles, type PercentileEstimate } from '../../src/labkit/serving/percentiles.ts';
import { sampleLatencies, type LoadRecord } from './records.ts';
import { stateSchema, type ServingState, type BatchingRecord, type RolloutRecord, type AbRecord } from './schema.ts';
import { sampleSizePerArm } from '../../src/labkit/serving/abtest.ts';
import { servingReport } from './report.ts';

export type { ServingState, LoadRecord, BatchingRecord, RolloutRecord, AbRecord };

/** The server file in a report bundle's evidence (the same text as `state.server.source`). */
export const SERVER_FILE = 'server.mjs';

/** The budget the batcher's p95 must stay within. */
export const P95_BUDGET_MS = 50;

/** The latest open-model (fixed-rate) load test. */
export function latestFixedRate(state: ServingState): LoadRecord | undefined {
  return state.loadTests.filter((t) => t.spec.model === 'open').at(-1);
}

export function percentilesOf(test: LoadRecord, from: 'sent' | 'intended' = 'intended'): PercentileEstimate[] {
  return latencyPercentiles(sampleLatencies(test, from).filter((_, i) => test.ok[i] === 1));
}

/** The best throughput among the sweep's settings whose p95 is within the budget. */
export function bestWithinBudget(b: BatchingRecord) {
  const within = b.rows.filter((r) => r.p95 <= P95_BUDGET_MS);
  return within.length ? within.reduce((a, r) => (r.throughput > a.throughput ? r : a)) : null;
}

export function chosenRow(b: BatchingRecord) {
  return b.chosen ? b.rows.find((r) => r.maxBatchSize === b.chosen!.maxBatchSize && r.maxQueueDelayMs === b.chosen!.maxQueueDelayMs) ?? null : null;
}

/** A canary (not a shadow) rollout that caught a planted regression of at least 5 pp during its first step at 10%. */
export function caughtAtTen(r: RolloutRecord): boolean {
  return r.plan.mode === 'canary' && r.plan.steps[0] === 10 && r.regressionPp >= 5 && r.result.outcome === 'rolled back' && r.result.looks.at(-1)!.step === 0;
}

/** Whether an A/B test ran with at least the sessions per arm its plan needs. */
export function adequatelyPowered(t: AbRecord): boolean {
  return t.perArm >= sampleSizePerArm(t.plan);
}

/** The median of round trip minus time in the handler, with its distribution-free 95% interval. */
function medianOverhead(times: { roundTripMs: number[]; serverMs: number[] }) {
  const over = times.roundTripMs.map((t, i) => t - times.serverMs[i]!);
  const ci = medianCI(over);
  return estimate(over.length ? [...over].sort((a, b) => a - b)[over.length >> 1]! : NaN, ci.lower, ci.upper);
}

function measure(state: ServingState): Measured {
  const m: Measured = {};
  if (state.contract) m['contract.passedPct'] = { value: (state.contract.outcomes.filter((o) => o.passed).length / state.contract.outcomes.length) * 100 };
  const fixed = latestFixedRate(state);
  if (fixed) {
    const ps = percentilesOf(fixed);
    m['load.percentiles'] = { value: ps.filter((p) => p.value !== null).length };
    const p99 = ps[2]!;
    if (p99.value !== null) m['load.p99Ms'] = estimate(p99.value, p99.lower ?? undefined, p99.upper ?? undefined);
  }
  if (state.overhead) {
    m['path.overheadP50'] = medianOverhead(state.overhead);
    if (state.overhead.serviceWorker) m['path.swOverheadP50'] = medianOverhead(state.overhead.serviceWorker);
  }
  if (state.omission) m['omission.ratio'] = { value: state.omission.result.ratio };
  const batching = state.batching.at(-1);
  if (batching) {
    const c1 = batching.costs.find((c) => c.size === 1);
    const c32 = batching.costs.find((c) => c.size === 32);
    if (c1 && c32) m['batching.ratio32'] = { value: c32.throughput / c1.throughput };
    const chosen = chosenRow(batching);
    const best = bestWithinBudget(batching);
    if (chosen) {
      m['batching.chosenP95'] = { value: chosen.p95 };
      if (best) m['batching.shareOfBest'] = { value: (chosen.throughput / best.throughput) * 100 };
    }
  }
  if (state.rollouts.length) m['canary.rolledBackAt10'] = { value: state.rollouts.some(caughtAtTen) ? 1 : 0 };
  if (state.abTests.length) m['ab.powered'] = { value: state.abTests.some(adequatelyPowered) ? 1 : 0 };
  return m;
}

export const serving = defineLab<ServingState>({
  id: 'serving',
  version: 1,
  quantities: {
    'contract.passedPct': { describe: 'share of the OIP V2 contract cases your server passes (last run)', unit: '%', min: 0, max: 100 },
    'load.percentiles': { describe: 'how many of p50, p95 and p99 the latest fixed-rate load test reports with a 95% interval (p99 needs 1,000 answered requests)', unit: 'percentiles', min: 0, max: 3 },
    'load.p99Ms': { describe: 'p99 latency from the intended send time in the latest fixed-rate load test', unit: 'ms', min: 0, interval: true },
    'path.overheadP50': { describe: 'median overhead of the page → worker → page path per request (round trip minus time in your handler)', unit: 'ms', min: 0, interval: true },
    'path.swOverheadP50': { describe: "median overhead of the preview's path per request, page → service worker → worker and back (round trip minus time in your handler), measured interleaved with the straight path", unit: 'ms', min: 0, interval: true },
    'omission.ratio': { describe: 'open-model p99 (from the intended time) over closed-model p99 (from the actual send) with the planted stall', unit: '×', min: 0 },
    'batching.ratio32': { describe: 'throughput of back-to-back batches of 32 over batches of 1 on the dense model, as measured in your browser', unit: '×', min: 0 },
    'batching.chosenP95': { describe: 'p95 latency of the batcher settings you chose, at the saturating load', unit: 'ms', min: 0 },
    'batching.shareOfBest': { describe: 'throughput of your chosen batcher settings as a share of the best settings whose p95 is within 50 ms', unit: '%', min: 0, max: 200 },
    'ab.powered': { describe: 'an A/B test on the simulated conversion rate ran with at least the sessions per arm its plan (lift, α, power) needs (1 = yes)', unit: 'test', min: 0, max: 1 },
    'canary.rolledBackAt10': { describe: 'a canary at 10% with a planted error regression of at least 5 pp was rolled back during its first step (1 = yes)', unit: 'rollout', min: 0, max: 1 },
  },
  empty: () => ({ server: null, contract: null, loadTests: [], overhead: null, omission: null, batching: [], rollouts: [], abTests: [] }),
  parse: (value) => parseWith(stateSchema)(value),
  measure,
  merge(stored, mine) {
    const byId = <T extends { id: string }>(a: T[], b: T[]) => [...new Map([...a, ...b].map((x) => [x.id, x])).values()].sort((x, y) => ('at' in x && 'at' in y ? String(x.at).localeCompare(String(y.at)) : 0));
    const later = <T extends { at: string } | null>(a: T, b: T) => (!a ? b : !b ? a : a.at > b.at ? a : b);
    return {
      server: later(stored.server, mine.server),
      contract: later(stored.contract, mine.contract),
      loadTests: byId(stored.loadTests, mine.loadTests).slice(-MAX_LOAD_TESTS),
      overhead: later(stored.overhead, mine.overhead),
      omission: later(stored.omission, mine.omission),
      batching: byId(stored.batching, mine.batching),
      rollouts: byId(stored.rollouts, mine.rollouts),
      abTests: byId(stored.abTests, mine.abTests),
    };
  },
  markRestored(state, at) {
    const mark = <T extends { restoredAt?: string } | null>(x: T): T => (x ? { ...x, restoredAt: x.restoredAt ?? at } : x);
    return {
      server: mark(state.server),
      contract: mark(state.contract),
      loadTests: state.loadTests.map(mark),
      overhead: mark(state.overhead),
      omission: mark(state.omission),
      batching: state.batching.map(mark),
      rollouts: state.rollouts.map(mark),
      abTests: state.abTests.map(mark),
    };
  },
  report: servingReport,
  evidence: async (state) => (state.server ? [{ path: SERVER_FILE, content: state.server.source }] : []),
});

/** Load tests kept in the state (each keeps every sample). */
export const MAX_LOAD_TESTS = 6;
export default serving;
