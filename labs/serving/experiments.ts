/**
 * The lab's experiments in virtual time, from what the student measured on their own server:
 *
 * - coordinated omission: the service times of their fixed-rate load test, replayed by a one-worker server with a
 *   planted stall (1 s every 10 s), load-tested for 60 s by one closed-model user paced at 50 requests/s and by an
 *   open model at 50 requests/s;
 * - batching: the measured cost of each batch size, behind a dynamic batcher, under Poisson arrivals, for a grid of
 *   (max batch size, max queue delay).
 * Virtual time makes a minute-long test take a fraction of a second and gives the same answer on every replay.
 */
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { latencies, runLoad, VirtualClock, type LoadSpec } from '../../src/labkit/serving/load.ts';
import { percentileSorted } from '../../src/labkit/serving/percentiles.ts';
import { batchCost, batchingServer, queueServer, type FlushRule, type Stall } from '../../src/labkit/serving/simulate.ts';
import { nextFlush } from '../../src/labkit/serving/batcher.mjs';
import type { BatchCost } from '../../src/labkit/serving/batch-cost.ts';
import { runRollout, trafficOf, type RolloutPlan, type RolloutResult, type Verdict } from '../../src/labkit/serving/canary.ts';

export const PLANTED_STALL: Stall = { everyMs: 10_000, forMs: 1_000 };

export interface OmissionResult {
  stall: Stall;
  closed: { samples: number; p99: number; p99Intended: number };
  open: { samples: number; p99: number; p99Sent: number };
  /** open p99 (from the intended time) / closed p99 (from the actual send). */
  ratio: number;
}

const p99 = (xs: number[]) => percentileSorted([...xs].sort((a, b) => a - b), 0.99).value ?? NaN;

export async function coordinatedOmission(serviceMs: readonly number[], seed: number, stall: Stall = PLANTED_STALL): Promise<OmissionResult> {
  if (serviceMs.length < 10) throw new RangeError('run a load test first: the experiment replays its service times');
  const run = async (spec: LoadSpec) => {
    const clock = new VirtualClock();
    const pick = mulberry32(seed);
    const r = runLoad(spec, queueServer(clock, () => serviceMs[Math.floor(pick() * serviceMs.length)]!, stall), clock, mulberry32(seed + 1), 60_000);
    clock.run();
    return r;
  };
  const closed = await run({ model: 'closed', users: 1, durationMs: 60_000, ratePerUser: 50 });
  const open = await run({ model: 'open', arrivals: 'constant', rate: 50, durationMs: 60_000, maxInFlight: 100_000, seed });
  const c = { samples: closed.samples.length, p99: p99(latencies(closed.samples, 'sent')), p99Intended: p99(latencies(closed.samples, 'intended')) };
  const o = { samples: open.samples.length, p99: p99(latencies(open.samples, 'intended')), p99Sent: p99(latencies(open.samples, 'sent')) };
  return { stall, closed: c, open: o, ratio: o.p99 / c.p99 };
}

export interface BatchingRow {
  maxBatchSize: number;
  maxQueueDelayMs: number;
  rate: number;
  /** Answered requests per second over the test. */
  throughput: number;
  p50: number;
  p95: number;
  meanBatch: number;
}

export async function batchingRun(costs: readonly BatchCost[], rate: number, maxBatchSize: number, maxQueueDelayMs: number, seed: number, flush: FlushRule = nextFlush, durationMs = Math.min(1_000, (10_000 / rate) * 1_000)): Promise<BatchingRow> {
  const clock = new VirtualClock();
  const server = batchingServer(clock, batchCost(costs), { maxBatchSize, maxQueueDelayMs }, flush);
  const r = runLoad({ model: 'open', arrivals: 'poisson', rate, durationMs, maxInFlight: 1_000_000, seed }, server, clock, mulberry32(seed), 600_000);
  clock.run();
  const res = await r;
  const lat = latencies(res.samples, 'intended').sort((a, b) => a - b);
  const end = Math.max(durationMs, ...res.samples.map((s) => s.done));
  const q = (p: number) => percentileSorted(lat, p).value ?? NaN;
  return {
    maxBatchSize,
    maxQueueDelayMs,
    rate,
    throughput: (res.samples.filter((s) => s.ok).length / end) * 1000,
    p50: q(0.5),
    p95: q(0.95),
    meanBatch: server.batches.length ? server.batches.reduce((a, b) => a + b, 0) / server.batches.length : 0,
  };
}

export const BATCH_SIZES = [1, 2, 4, 8, 16, 32] as const;
export const QUEUE_DELAYS = [0, 2, 5, 10] as const;

/** Every (max batch size, max queue delay) at one arrival rate. */
export async function batchingSweep(costs: readonly BatchCost[], rate: number, seed: number, flush: FlushRule = nextFlush): Promise<BatchingRow[]> {
  const rows: BatchingRow[] = [];
  for (const size of BATCH_SIZES) for (const delay of QUEUE_DELAYS) rows.push(await batchingRun(costs, rate, size, delay, seed, flush));
  return rows;
}

/** The lab's saturating load: 80% of the best back-to-back throughput, far beyond what batch 1 sustains. */
export function saturatingRate(costs: readonly BatchCost[]): number {
  return Math.round(0.8 * Math.max(...costs.map((c) => c.throughput)));
}

/**
 * A rollout on simulated traffic: 20,000 seeded users (and `testerPct` % of requests from testers who send
 * `x-version: canary`), errors planted at the given rates, latencies drawn from the service times of the student's
 * load test.
 */
export function simulatedRollout(plan: RolloutPlan, baselineErrorPct: number, regressionPp: number, serviceMs: readonly number[], seed: number, verdict?: Verdict, testerPct = 0): RolloutResult {
  if (!serviceMs.length) throw new Error('run a load test first: the rollout draws latencies from it');
  if (!(baselineErrorPct >= 0 && regressionPp >= 0 && baselineErrorPct + regressionPp <= 100)) throw new RangeError('error rates must stay within 0–100%');
  const random = mulberry32(seed);
  const version = (errorPct: number) => () => ({ ok: random() * 100 >= errorPct, ms: serviceMs[Math.floor(random() * serviceMs.length)]! });
  const baseline = version(baselineErrorPct);
  const canary = version(baselineErrorPct + regressionPp);
  return runRollout(plan, trafficOf(20_000, random, testerPct), (v) => (v === 'canary' ? canary() : baseline()), verdict);
}
