/**
 * The Monte Carlo experiments behind the criteria, all on the simulated stream with fixed seeds (a rerun gives the
 * same counts): false alarms of a window detector on no-drift windows, its power on windows after the sudden drift,
 * a calibration sweep over window sizes, and Page-Hinkley's false alarms and delays on the error stream.
 */
import { throwIfCancelled } from '../../src/labkit/lab/worker-rpc.ts';
import { CHANGE_AT, DAY, type ScenarioId } from './scenarios.ts';
import { windowAt, type PoolIndex } from './stream.ts';
import { errorStream, phAlarms, prepareReference, scoreWindow, MONITORED, type DetectorConfig, type Monitored, type PhConfig, type Reference, type Statistics } from './detect.ts';
import type { PoolCache } from './pool.ts';

export const REFERENCE_SIZE = 5000;
export const WINDOWS = 200;
export const STABLE_EVENTS = 20_000;
export const PH_RUNS = 200;
/** Concept runs: this many stable events before the change, and at most this many after it. */
export const PH_BEFORE = 2000;
export const PH_AFTER = 3000;

export interface Env {
  pool: PoolCache;
  index: PoolIndex;
  stats: Statistics;
  signal?: AbortSignal;
  progress?: (fraction: number, message: string) => void;
}

/** Lets the worker read a Cancel between steps of a long loop. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let referenceCache: { pool: PoolCache; ref: Reference } | null = null;

/** The reference sample: 5,000 requests of day 1 (no drift), the same for every experiment. */
export async function reference(env: Env): Promise<Reference> {
  if (referenceCache?.pool === env.pool) return referenceCache.ref;
  const served = await env.pool.serve(windowAt('stable', DAY / 2, REFERENCE_SIZE, env.index, 1), env.signal);
  referenceCache = { pool: env.pool, ref: prepareReference(served) };
  return referenceCache.ref;
}

export interface WindowRun {
  windows: number;
  alarms: number;
  /** Windows in which each feature was flagged. */
  flagged: Partial<Record<Monitored, number>>;
}

/** Runs `windows` windows of the scenario at time t through the detector. */
export async function runWindows(env: Env, config: DetectorConfig, scenario: ScenarioId, t: number, windows: number, seed: number, label: string): Promise<WindowRun> {
  const ref = await reference(env);
  const out: WindowRun = { windows, alarms: 0, flagged: {} };
  let last = performance.now();
  for (let w = 0; w < windows; w++) {
    if (env.signal) throwIfCancelled(env.signal);
    const served = await env.pool.serve(windowAt(scenario, t, config.window, env.index, seed + 7919 * w), env.signal);
    const { alarm, scores } = scoreWindow(config, ref, served, env.stats);
    if (alarm) out.alarms++;
    for (const s of scores) if (s.flagged) out.flagged[s.feature] = (out.flagged[s.feature] ?? 0) + 1;
    if (performance.now() - last > 40) {
      env.progress?.((w + 1) / windows, `${label}: window ${w + 1} of ${windows}`);
      await breathe();
      last = performance.now();
    }
  }
  return out;
}

/** False alarms on no-drift windows (day 2 of the stable stream). */
export const falseAlarms = (env: Env, config: DetectorConfig, windows = WINDOWS, seed = 101) => runWindows(env, config, 'stable', DAY + 12 * 3600, windows, seed, 'no-drift windows');

/** Detections on windows just after the sudden drift. */
export const power = (env: Env, config: DetectorConfig, windows = WINDOWS, seed = 202) => runWindows(env, config, 'sudden', CHANGE_AT + 60, windows, seed, 'drifted windows');

export interface SweepRow {
  window: number;
  feature: Monitored | 'any';
  windows: number;
  alarms: number;
}

/** False alarms of one test and threshold at several window sizes, per feature and for all features together. */
export async function sweep(env: Env, config: DetectorConfig, sizes: number[], seed = 303): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const [k, window] of sizes.entries()) {
    const run = await runWindows({ ...env, progress: (f, m) => env.progress?.((k + f) / sizes.length, `window ${window}: ${m}`) }, { ...config, window }, 'stable', DAY + 12 * 3600, WINDOWS, seed + k, `window ${window}`);
    rows.push({ window, feature: 'any', windows: run.windows, alarms: run.alarms });
    for (const f of MONITORED.filter((m) => config.features.includes(m))) rows.push({ window, feature: f, windows: run.windows, alarms: run.flagged[f] ?? 0 });
  }
  return rows;
}

export interface ConceptRun {
  runs: number;
  /** Runs with an alarm within 20,000 stable events. */
  stableAlarms: number;
  /** Per change run: events after the change until the first alarm, or null when none came within PH_AFTER. */
  delays: (number | null)[];
  /** Change runs whose first alarm came before the change. */
  early: number;
}

/** Page-Hinkley on the error stream: false alarms on stable streams, and delays after the concept change. */
export async function concept(env: Env, ph: PhConfig, runs = PH_RUNS, seed = 404): Promise<ConceptRun> {
  const out: ConceptRun = { runs, stableAlarms: 0, delays: [], early: 0 };
  let last = performance.now();
  const tick = async (done: number, message: string) => {
    if (env.signal) throwIfCancelled(env.signal);
    if (performance.now() - last > 40) {
      env.progress?.(done / (2 * runs), message);
      await breathe();
      last = performance.now();
    }
  };
  for (let r = 0; r < runs; r++) {
    const errors = errorStream(await env.pool.serve(windowAt('stable', DAY, STABLE_EVENTS, env.index, seed + r), env.signal));
    if (phAlarms(errors, ph, env.stats).length) out.stableAlarms++;
    await tick(r + 1, `stable error streams: run ${r + 1} of ${runs}`);
  }
  for (let r = 0; r < runs; r++) {
    const before = errorStream(await env.pool.serve(windowAt('concept', CHANGE_AT - 1, PH_BEFORE, env.index, seed + 10_000 + r), env.signal));
    const after = errorStream(await env.pool.serve(windowAt('concept', CHANGE_AT, PH_AFTER, env.index, seed + 20_000 + r), env.signal));
    const stream = new Uint8Array(before.length + after.length);
    stream.set(before);
    stream.set(after, before.length);
    const first = phAlarms(stream, ph, env.stats)[0];
    if (first !== undefined && first < before.length) out.early++;
    else out.delays.push(first === undefined ? null : first - before.length + 1);
    await tick(runs + r + 1, `concept change: run ${r + 1} of ${runs}`);
  }
  return out;
}
