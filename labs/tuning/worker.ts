/// <reference lib="webworker" />
/**
 * The tuning lab's coordinator worker: it runs the student's study file (objective, direction, grid), the samplers
 * and the pruners, off the page's main thread and without network access. Replay studies and comparisons run here
 * entirely; a live study trains in a pool of trainer workers (trainer.ts) that this worker starts, one per spare
 * core. Trial updates stream to the page as progress messages that start with "@" (JSON), so the dashboard fills
 * while the study runs.
 */
import trainerUrl from './trainer.ts?worker&url';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { WorkerClient, type JobContext, type WorkerLike } from '../../src/labkit/lab/worker-rpc.ts';
import { serveSandboxed } from '../../src/labkit/lab/sandbox-worker.ts';
import type { TfjsInfo, TfjsSetup } from '../../src/labkit/ml/worker-env.ts';
import { describeDistribution } from '../../src/labkit/tuning/distributions.ts';
import type { PromoteRule } from '../../src/labkit/tuning/pruners.ts';
import type { RandomDraw } from '../../src/labkit/tuning/samplers.ts';
import type { FrozenTrial } from '../../src/labkit/tuning/study.ts';
import { benchmark } from './benchmark.ts';
import { liveStudy, type TrainerPool } from './live.ts';
import { VALIDATION_IMAGES } from './config.ts';
import { loadStudyModule, StudyFileError } from './objective.ts';
import { bestTrialOf, comparisonRecord, sourceKey, studyRecord, toJsonNumber, type Comparison, type StoredStudy } from './records.ts';
import { compareStrategies, replayStudy, runOf } from './replay.ts';
import type { Strategy, StudentCode } from './strategy.ts';
import type { TrainerApi } from './trainer.ts';

/** The Worker constructor from before the lockdown, which takes it away from the student's code. */
let Spawn: typeof Worker;
let code: StudentCode = {};

export interface StudyRequest {
  id: string;
  createdAt: string;
  source: string;
  strategy: Strategy;
  seed: number;
  /** Replay: trials that blocked the worker in an earlier run of this study (they fail at once this time). */
  skip?: number[];
}

/** A trial as it streams to the page while a study runs. */
export interface TrialUpdate {
  number: number;
  state: FrozenTrial['state'];
  params: FrozenTrial['params'];
  intermediate: [number, ReturnType<typeof toJsonNumber>][];
  value: ReturnType<typeof toJsonNumber> | null;
  start: number;
  end: number | null;
  worker: number;
  reason?: string;
}

const using = () => Object.keys(code) as ('sampleRandom' | 'promotable')[];

const update = (t: FrozenTrial): TrialUpdate => ({
  number: t.number,
  state: t.state,
  params: { ...t.params },
  intermediate: t.intermediate.map(([s, v]) => [s, toJsonNumber(v)]),
  value: t.value === null ? null : toJsonNumber(t.value),
  start: t.start,
  end: t.end,
  worker: t.worker,
  ...(t.reason ? { reason: t.reason } : {}),
});

async function loadModule(source: string) {
  try {
    return await loadStudyModule(source);
  } catch (error) {
    if (error instanceof StudyFileError) throw Object.assign(new Error(error.message), { name: 'StudyFileError' });
    throw error;
  }
}

interface Pool {
  size: number;
  clients: WorkerClient<TrainerApi>[];
  info: TfjsInfo | null;
  setup: TfjsSetup;
}
/** A pool of trainer workers, kept between live studies while the number of workers stays the same. */
let pool: Pool | null = null;

function trainerPool(size: number, setup: TfjsSetup): Pool {
  if (pool && (pool.size !== size || JSON.stringify(pool.setup) !== JSON.stringify(setup))) {
    for (const c of pool.clients) c.dispose();
    pool = null;
  }
  if (!pool) {
    const made: Pool = { size, clients: [], info: null, setup };
    made.clients = Array.from(
      { length: size },
      (_, k) =>
        new WorkerClient<TrainerApi>({
          create: () => new Spawn(trainerUrl, { type: 'module', name: `tuning-trainer-${k + 1}` }) as unknown as WorkerLike,
          setup: async (call) => {
            made.info = await call('init', setup);
          },
          stallMs: 120_000,
        }),
    );
    pool = made;
  }
  return pool;
}

function poolAdapter(p: Pool): TrainerPool {
  const running = new Map<number, { cancel(): void }>();
  const call = <T,>(worker: number, job: { promise: Promise<T>; cancel(): void }) => {
    running.set(worker, job);
    return job.promise.finally(() => running.get(worker) === job && running.delete(worker));
  };
  return {
    size: p.size,
    start: async (worker, config, seed) => {
      await call(worker, p.clients[worker]!.call('start', { config, seed }));
    },
    epoch: (worker) => call(worker, p.clients[worker]!.call('epoch', undefined)),
    cancel: (worker) => running.get(worker)?.cancel(),
  };
}

const api = {
  /** The student's functions from the coding exercises, when they switched them on (only code whose tests pass). */
  code: async (p: { sampleRandom?: string; promotable?: string }) => {
    const next: StudentCode = {};
    if (p.sampleRandom) next.sampleRandom = (await importSource(p.sampleRandom)).sampleRandom as RandomDraw;
    if (p.promotable) next.promotable = (await importSource(p.promotable)).promotable as PromoteRule;
    code = next;
    return { using: Object.keys(next) };
  },

  /** Loads a study file and runs one replayed trial with random search: what it asks for, and whether it works. */
  check: async (p: { source: string }) => {
    const module = await loadModule(p.source);
    const run = await replayStudy({ module, strategy: { sampler: 'random', pruner: 'none', trials: 1, workers: 1 }, seed: 0, benchmark, code: {} });
    const t = run.study.trials[0]!;
    return {
      direction: module.direction,
      grid: module.grid,
      params: Object.entries(t.distributions).map(([name, d]) => ({ name, distribution: describeDistribution(d), value: t.params[name] ?? null })),
      state: t.state,
      value: t.value,
      reason: t.reason ?? null,
      epochs: run.epochs,
    };
  },

  replay: async (p: StudyRequest, ctx: JobContext): Promise<StoredStudy> => {
    const module = await loadModule(p.source);
    let done = 0;
    const run = await replayStudy({
      module,
      strategy: p.strategy,
      seed: p.seed,
      benchmark,
      code,
      signal: ctx.signal,
      name: p.id,
      skip: new Set(p.skip ?? []),
      onTrial: (t) => {
        if (t.state !== 'RUNNING') done++;
        ctx.progress(done / p.strategy.trials, `${done} of ${p.strategy.trials} trials replayed`);
      },
      // The page remembers which trial had the thread, in case its objective never gives it back.
      onActive: (t) => ctx.progress(done / p.strategy.trials, `@active ${t.number}`),
    });
    return studyRecord({ id: p.id, name: p.id, mode: 'replay', createdAt: p.createdAt, strategy: p.strategy, seed: p.seed, study: run.study, source: sourceKey(p.source), runs: run.runs, epochs: run.epochs, studentCode: using(), ...(ctx.signal.aborted ? { stopped: 'cancelled' } : {}) });
  },

  compare: async (p: { id: string; createdAt: string; source: string; strategies: Strategy[]; firstSeed: number; seeds: number }, ctx: JobContext): Promise<Comparison> => {
    const module = await loadModule(p.source);
    const results = await compareStrategies({ module, strategies: p.strategies, firstSeed: p.firstSeed, seeds: p.seeds, benchmark, code, signal: ctx.signal, onProgress: (d, total) => ctx.progress(d / total, `${d} of ${total} replayed studies`) });
    return comparisonRecord({ id: p.id, createdAt: p.createdAt, source: sourceKey(p.source), firstSeed: p.firstSeed, seeds: p.seeds, bestTruth: benchmark.bestTruth, gridEpochs: benchmark.gridEpochs, results, studentCode: using() });
  },

  live: async (p: StudyRequest & { setup: TfjsSetup }, ctx: JobContext): Promise<StoredStudy> => {
    const module = await loadModule(p.source);
    const trainers = trainerPool(p.strategy.workers, p.setup);
    ctx.progress(0, `starting ${p.strategy.workers} training worker${p.strategy.workers > 1 ? 's' : ''}`);
    await Promise.all(trainers.clients.map((c) => c.whenReady()));
    // Every 300 ms, the trials that changed since the last look go to the page.
    const seen = new Map<number, string>();
    let study: { trials: FrozenTrial[] } | null = null;
    const flush = () => {
      if (!study) return;
      const done = study.trials.filter((t) => t.state !== 'RUNNING').length;
      ctx.progress(done / p.strategy.trials, `${done} of ${p.strategy.trials} trials finished, ${study.trials.length - done} running`);
      for (const t of study.trials) {
        const mark = `${t.state}/${t.intermediate.length}`;
        if (seen.get(t.number) === mark) continue;
        seen.set(t.number, mark);
        ctx.progress(done / p.strategy.trials, `@${JSON.stringify(update(t))}`);
      }
    };
    const timer = setInterval(flush, 300);
    let run;
    try {
      run = await liveStudy({ module, strategy: p.strategy, seed: p.seed, pool: poolAdapter(trainers), code, signal: ctx.signal, name: p.id, onStudy: (s) => (study = s) });
    } finally {
      clearInterval(timer);
    }
    flush();
    const info = trainers.info;
    return studyRecord({
      id: p.id,
      name: p.id,
      mode: 'live',
      createdAt: p.createdAt,
      strategy: p.strategy,
      seed: p.seed,
      study: run.study,
      source: sourceKey(p.source),
      runs: run.runs,
      epochs: run.epochs,
      studentCode: using(),
      ...(ctx.signal.aborted ? { stopped: 'cancelled' } : {}),
      environment: { backend: info ? `${info.backend}${info.simd ? ' (SIMD)' : ''}` : 'unknown', tfjs: info?.tfjs ?? 'unknown', workers: trainers.size, threadsPerWorker: 1 },
    });
  },

  /** Scores the study's chosen configuration on the test images, once. */
  test: async (p: { study: StoredStudy; setup?: TfjsSetup }, ctx: JobContext) => {
    const best = bestTrialOf(p.study);
    if (!best?.run) throw new Error('the study has no complete trial that trained a network, so there is nothing to test');
    const { run } = best;
    if (p.study.mode === 'replay') {
      const seed = benchmark.data.seeds.indexOf(run.seed);
      const measured = benchmark.run(run.index!, seed);
      return { trial: best.number, wrong: measured.testWrong[run.epochs - 1]!, images: benchmark.data.data.test, epochs: run.epochs, note: '' };
    }
    if (!p.setup) throw new Error('a live study needs the tfjs setup to retrain its chosen configuration');
    const trainers = trainerPool(pool?.size ?? 1, p.setup);
    const result = await trainers.clients[0]!.call('test', { config: run.config, seed: run.seed, epochs: run.epochs }, { onProgress: (f, m) => ctx.progress(f, m) }).promise;
    const reported = best.intermediate.at(-1)?.[1];
    const again = result.validationWrong.at(-1)! / VALIDATION_IMAGES;
    const note = typeof reported === 'number' && Math.abs(reported - again) > 1e-9 ? `retrained, the validation error was ${again} instead of the trial's ${reported} (the backend is not bit-for-bit repeatable here)` : '';
    return { trial: best.number, wrong: result.wrong, images: result.images, epochs: run.epochs, note };
  },
};
export type TuningApi = typeof api;

Spawn = serveSandboxed(api).Worker;
