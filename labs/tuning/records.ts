/**
 * What the tuning lab keeps of its studies and comparisons (plain JSON, in the lab state), and how an engine study
 * becomes such a record. A trial keeps everything Optuna would (parameters, intermediate values, state, value,
 * times, attributes) plus what the lab needs to judge it honestly: which configuration and seed it trained.
 */
import { z } from '../../src/labkit/zod.ts';
import type { Distribution } from '../../src/labkit/tuning/distributions.ts';
import type { JournalStudy, JournalTrial } from '../../src/labkit/tuning/journal.ts';
import type { FrozenTrial, JsonValue, Study } from '../../src/labkit/tuning/study.ts';
import type { StrategyResults, TrialRun } from './replay.ts';
import { PRUNERS, SAMPLERS, type Strategy } from './strategy.ts';

/** JSON has no NaN or ±Infinity: they are kept as strings. */
const jsonNumber = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
export type JsonNumber = z.infer<typeof jsonNumber>;
export const toJsonNumber = (x: number): JsonNumber => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity');
export const fromJsonNumber = (x: JsonNumber): number => (typeof x === 'number' ? x : Number(x));

const choice = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
const distributionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('float'), low: z.number(), high: z.number(), log: z.boolean(), step: z.number().positive().nullable() }),
  z.object({ kind: z.literal('int'), low: z.number().int(), high: z.number().int(), log: z.boolean(), step: z.number().int().positive() }),
  z.object({ kind: z.literal('categorical'), choices: z.array(choice).min(1).max(1000) }),
]);
const json: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string().max(2000), z.number(), z.boolean(), z.null(), z.array(json).max(100), z.record(z.string(), json)]));

const mlpConfig = z.object({ lr: z.number().positive(), hidden: z.number().int().positive(), batch: z.number().int().positive(), l2: z.number().min(0) });
const runSchema = z.object({ config: mlpConfig, index: z.number().int().min(0).optional(), seed: z.number().int(), epochs: z.number().int().min(0) });

const trialSchema = z.object({
  number: z.number().int().min(0),
  state: z.enum(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL']),
  params: z.record(z.string(), choice),
  /** A parameter's distribution when it differs from the study's (`space`). */
  distributions: z.record(z.string(), distributionSchema).optional(),
  intermediate: z.array(z.tuple([z.number().int().min(0), jsonNumber])).max(1000),
  value: jsonNumber.nullable(),
  start: z.number().min(0),
  end: z.number().min(0).nullable(),
  worker: z.number().int().min(0).max(64),
  reason: z.string().max(2000).optional(),
  run: runSchema.optional(),
  userAttrs: z.record(z.string(), json).optional(),
  systemAttrs: z.record(z.string(), json).optional(),
});
export type StoredTrial = z.infer<typeof trialSchema>;

const strategySchema = z.object({
  sampler: z.enum(Object.keys(SAMPLERS) as [keyof typeof SAMPLERS]),
  pruner: z.enum(Object.keys(PRUNERS) as [keyof typeof PRUNERS]),
  trials: z.number().int().min(1).max(2000),
  workers: z.number().int().min(1).max(64),
});

export const studySchema = z.object({
  id: z.string().min(1).max(80),
  name: z.string().min(1).max(200),
  mode: z.enum(['replay', 'live']),
  createdAt: z.string(),
  restoredAt: z.string().optional(),
  strategy: strategySchema,
  seed: z.number().int(),
  direction: z.enum(['minimize', 'maximize']),
  /** The key of the study file the study ran (in `sources`). */
  source: z.string().min(1).max(80),
  space: z.record(z.string(), distributionSchema),
  trials: z.array(trialSchema).max(2000),
  /** Epochs trained over all trials. */
  epochs: z.number().int().min(0),
  /** Why the study ended before its budget (cancelled, every grid point run). */
  stopped: z.string().max(500).optional(),
  environment: z.object({ backend: z.string().max(60), tfjs: z.string().max(40), workers: z.number().int().min(1), threadsPerWorker: z.number().int().min(1) }).optional(),
  /** The chosen configuration scored once on the test images, after the study. */
  test: z.object({ trial: z.number().int().min(0), wrong: z.number().int().min(0), images: z.number().int().positive(), epochs: z.number().int().min(1), at: z.string() }).optional(),
  exports: z.array(z.object({ format: z.enum(['journal', 'csv']), at: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(100),
  /** The student's own functions the study used in place of the lab's (coding exercises). */
  studentCode: z.array(z.enum(['sampleRandom', 'promotable'])).optional(),
});
export type StoredStudy = z.infer<typeof studySchema>;

const seedResult = z.tuple([z.number().int().min(-1), z.number().nullable(), jsonNumber.nullable(), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]);

export const comparisonSchema = z.object({
  id: z.string().min(1).max(80),
  createdAt: z.string(),
  restoredAt: z.string().optional(),
  source: z.string().min(1).max(80),
  firstSeed: z.number().int(),
  seeds: z.number().int().min(1).max(2000),
  /** The benchmark's best true error and the epochs of a full grid, when the comparison ran. */
  bestTruth: z.number().min(0).max(1),
  gridEpochs: z.number().int().positive(),
  strategies: z
    .array(z.object({ strategy: strategySchema, results: z.array(seedResult).max(2000), failure: z.string().max(2000).optional() }))
    .min(1)
    .max(12),
  studentCode: z.array(z.enum(['sampleRandom', 'promotable'])).optional(),
});
export type Comparison = z.infer<typeof comparisonSchema>;
export type StoredStrategyResults = Comparison['strategies'][number];

export const stateSchema = z.object({
  studies: z.array(studySchema).max(60),
  comparisons: z.array(comparisonSchema).max(60),
  /** The study files the student ran, by key (a hash of the text). */
  sources: z.record(z.string(), z.string().max(50_000)),
  /** The study file as the student is editing it. */
  draft: z.string().max(50_000).optional(),
});
export type TuningState = z.infer<typeof stateSchema>;

/** A short, stable key for a study file's text (FNV-1a, 64-bit, hex). */
export function sourceKey(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return `s${h.toString(16).padStart(16, '0')}`;
}

function storedTrial(t: FrozenTrial, space: Record<string, Distribution>, run: TrialRun | undefined): StoredTrial {
  const overrides = Object.fromEntries(Object.entries(t.distributions).filter(([n, d]) => JSON.stringify(space[n]) !== JSON.stringify(d)));
  return {
    number: t.number,
    state: t.state,
    params: { ...t.params },
    ...(Object.keys(overrides).length ? { distributions: overrides } : {}),
    intermediate: t.intermediate.map(([s, v]) => [s, toJsonNumber(v)]),
    value: t.value === null ? null : toJsonNumber(t.value),
    start: t.start,
    end: t.end,
    worker: t.worker,
    ...(t.reason ? { reason: t.reason.slice(0, 2000) } : {}),
    ...(run ? { run: { ...run, config: { ...run.config } } } : {}),
    ...(Object.keys(t.userAttrs).length ? { userAttrs: { ...t.userAttrs } } : {}),
    ...(Object.keys(t.systemAttrs).length ? { systemAttrs: { ...t.systemAttrs } } : {}),
  };
}

/** The first distribution each parameter was suggested with. */
function spaceOf(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  const space: Record<string, Distribution> = {};
  for (const t of trials) for (const [n, d] of Object.entries(t.distributions)) space[n] ??= d;
  return space;
}

export function studyRecord(o: {
  id: string;
  name: string;
  mode: 'replay' | 'live';
  createdAt: string;
  strategy: Strategy;
  seed: number;
  study: Study;
  source: string;
  runs: Map<FrozenTrial, TrialRun[]>;
  epochs: number;
  stopped?: string;
  environment?: StoredStudy['environment'];
  studentCode?: StoredStudy['studentCode'];
}): StoredStudy {
  const space = spaceOf(o.study.trials);
  return {
    id: o.id,
    name: o.name,
    mode: o.mode,
    createdAt: o.createdAt,
    strategy: { ...o.strategy },
    seed: o.seed,
    direction: o.study.direction,
    source: o.source,
    space,
    trials: o.study.trials.map((t) => storedTrial(t, space, o.runs.get(t)?.at(-1))),
    epochs: o.epochs,
    ...(o.stopped ? { stopped: o.stopped } : {}),
    ...(o.environment ? { environment: o.environment } : {}),
    exports: [],
    ...(o.studentCode?.length ? { studentCode: [...o.studentCode] } : {}),
  };
}

export function comparisonRecord(o: { id: string; createdAt: string; source: string; firstSeed: number; seeds: number; bestTruth: number; gridEpochs: number; results: StrategyResults[]; studentCode?: Comparison['studentCode'] }): Comparison {
  return {
    id: o.id,
    createdAt: o.createdAt,
    source: o.source,
    firstSeed: o.firstSeed,
    seeds: o.seeds,
    bestTruth: o.bestTruth,
    gridEpochs: o.gridEpochs,
    strategies: o.results.map((r) => ({
      strategy: { ...r.strategy },
      results: r.results.map(([c, truth, best, ...rest]) => [c, truth, best === null ? null : toJsonNumber(best), ...rest] as StoredStrategyResults['results'][number]),
      ...(r.failure ? { failure: r.failure.slice(0, 2000) } : {}),
    })),
    ...(o.studentCode?.length ? { studentCode: [...o.studentCode] } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading records back

export const distributionsOf = (s: StoredStudy, t: StoredTrial): Record<string, Distribution> =>
  Object.fromEntries(Object.keys(t.params).map((n) => [n, (t.distributions?.[n] ?? s.space[n]) as Distribution]));

export const valueOf = (t: StoredTrial): number | null => (t.value === null ? null : fromJsonNumber(t.value));
export const intermediateOf = (t: StoredTrial): [number, number][] => t.intermediate.map(([s, v]) => [s, fromJsonNumber(v)]);

/** The best complete trial (the first of equals), as Optuna picks it. */
export function bestTrialOf(s: StoredStudy): StoredTrial | undefined {
  let best: StoredTrial | undefined;
  for (const t of s.trials) {
    const v = valueOf(t);
    if (t.state !== 'COMPLETE' || v === null || Number.isNaN(v)) continue;
    const b = best ? valueOf(best)! : undefined;
    if (b === undefined || (s.direction === 'minimize' ? v < b : v > b)) best = t;
  }
  return best;
}

/** Simulated times of a replay start at midnight on 1 January 2000 (UTC), so its journal is the same on every run. */
export const REPLAY_EPOCH = Date.UTC(2000, 0, 1);

export function journalStudy(s: StoredStudy): JournalStudy {
  return {
    name: s.name,
    direction: s.direction,
    startedAt: s.mode === 'replay' ? REPLAY_EPOCH : Date.parse(s.createdAt),
    userAttrs: {
      lab: 'MLOps course, hyperparameter tuning lab',
      mode: s.mode === 'replay' ? 'replay of the lab benchmark (simulated times)' : 'live training in the browser',
      sampler: SAMPLERS[s.strategy.sampler],
      pruner: PRUNERS[s.strategy.pruner],
      workers: s.strategy.workers,
      seed: s.seed,
    },
    trials: s.trials.map(
      (t): JournalTrial => ({
        state: t.state,
        params: t.params,
        distributions: distributionsOf(s, t),
        intermediate: intermediateOf(t),
        value: valueOf(t),
        userAttrs: t.userAttrs ?? {},
        systemAttrs: t.systemAttrs ?? {},
        start: t.start,
        end: t.end,
        worker: t.worker,
        ...(t.reason ? { reason: t.reason } : {}),
      }),
    ),
  };
}
