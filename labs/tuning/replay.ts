/**
 * Replay studies: the student's objective runs for real, but `train(config)` looks each epoch up in the benchmark
 * instead of training, and "takes" the epoch's measured time on a simulated clock. Several workers are simulated
 * faithfully (asynchronous successive halving sees trials arrive at rungs in the order they would), and the same
 * seed gives the same study, byte for byte, on every machine. `compareStrategies` replays each strategy over many
 * seeds and keeps, per seed, what the strategy chose and what that cost.
 */
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { duplicateCount } from '../../src/labkit/tuning/samplers.ts';
import { runStudy, SimulatedClock, Study, TrialPruned, type FrozenTrial, type Trial } from '../../src/labkit/tuning/study.ts';
import { Benchmark } from './benchmark.ts';
import type { MlpConfig } from './config.ts';
import type { StudyModule } from './objective.ts';
import { configAt } from './space.ts';
import { makePruner, makeSampler, type Strategy, type StudentCode } from './strategy.ts';

/** What a trial trained: the configuration (its benchmark index in a replay), the seed, and the epochs run. */
export interface TrialRun {
  config: MlpConfig;
  /** Replay: the configuration's index in the benchmark. */
  index?: number;
  seed: number;
  epochs: number;
}

/** One epoch on one worker, for the timeline. */
export interface EpochSpan {
  trial: number;
  worker: number;
  start: number;
  end: number;
}

/** What the objective gets beside the trial. */
export interface ObjectiveContext {
  /** Starts training a configuration; `run.epoch()` trains one more epoch and resolves with the validation error. */
  train(config: MlpConfig, options?: { seed?: number }): { epoch(): Promise<number>; readonly epochs: number; readonly config: MlpConfig };
  TrialPruned: typeof TrialPruned;
  maxEpochs: number;
  /** Replay only: the measured value of a field nearest to x (on a log scale for lr). */
  nearest(field: keyof MlpConfig, x: number): number;
  mode: 'replay' | 'live';
}

export interface StudyRun {
  study: Study;
  runs: Map<FrozenTrial, TrialRun[]>;
  timeline: EpochSpan[];
  epochs: number;
}

export const REPLAY_STUCK_MS = 3000;

export interface ReplayOptions {
  module: StudyModule;
  strategy: Strategy;
  seed: number;
  benchmark: Benchmark;
  code?: StudentCode;
  signal?: AbortSignal;
  name?: string;
  onTrial?: (trial: FrozenTrial) => void;
  onActive?: (trial: FrozenTrial) => void;
  /** Trials that blocked the worker in an earlier run of this study: they fail at once this time. */
  skip?: ReadonlySet<number>;
  /** How long a trial may make no move before it fails (default REPLAY_STUCK_MS). */
  stuckMs?: number;
}

/** Why a skipped trial failed. */
export const BLOCKED_REASON = 'the objective never returned and blocked the worker (a loop that never ends?), so the study was replayed from its seed without running this trial again';

export async function replayStudy(o: ReplayOptions): Promise<StudyRun> {
  const { benchmark } = o;
  const study = new Study({ name: o.name ?? `replay-${o.seed}`, direction: o.module.direction, sampler: makeSampler(o.strategy.sampler, o.seed, o.module.grid, o.code), pruner: makePruner(o.strategy.pruner, o.code) });
  const clock = new SimulatedClock();
  const seeds = mulberry32((o.seed ^ 0x2545f491) >>> 0);
  const runs = new Map<FrozenTrial, TrialRun[]>();
  const timeline: EpochSpan[] = [];
  let epochs = 0;

  const context = (trial: Trial): ObjectiveContext => ({
    TrialPruned,
    maxEpochs: benchmark.epochs,
    mode: 'replay',
    nearest: (field, x) => benchmark.nearest(field, x),
    train(config, options = {}) {
      const index = benchmark.indexOf(config);
      let seed: number;
      if (options.seed === undefined) seed = Math.floor(seeds() * benchmark.seeds);
      else {
        seed = benchmark.data.seeds.indexOf(options.seed);
        if (seed < 0) throw new RangeError(`train(config, { seed: ${options.seed} }): the benchmark trained seeds ${benchmark.data.seeds.join(', ')}`);
      }
      const record: TrialRun = { config: configAt(index), index, seed: benchmark.data.seeds[seed]!, epochs: 0 };
      const list = runs.get(trial.frozen) ?? [];
      list.push(record);
      runs.set(trial.frozen, list);
      if (trial.frozen.state === 'RUNNING') {
        trial.frozen.userAttrs.config = benchmark.describe(index);
        trial.frozen.userAttrs.seed = record.seed;
      }
      const measured = benchmark.run(index, seed);
      return {
        config: record.config,
        get epochs() {
          return record.epochs;
        },
        async epoch() {
          if (record.epochs >= benchmark.epochs) throw new RangeError(`the benchmark trained ${benchmark.epochs} epochs; run.epoch() was called a ${record.epochs + 1}th time`);
          const start = clock.now();
          await clock.wait(trial.frozen, measured.msPerEpoch);
          if (trial.frozen.state !== 'RUNNING') throw new Error('this trial was stopped');
          record.epochs++;
          epochs++;
          timeline.push({ trial: trial.number, worker: trial.frozen.worker, start, end: clock.now() });
          return measured.validationWrong[record.epochs - 1]! / benchmark.data.data.validation;
        },
      };
    },
  });

  await runStudy({ study, objective: o.module.objective, context, nTrials: o.strategy.trials, workers: o.strategy.workers, clock, stuckMs: o.stuckMs ?? REPLAY_STUCK_MS, signal: o.signal, onTrial: o.onTrial, onActive: o.onActive, skip: o.skip, skipReason: BLOCKED_REASON });
  return { study, runs, timeline, epochs };
}

/** The run a trial's result rests on: the last one it trained. */
export const runOf = (run: StudyRun, trial: FrozenTrial): TrialRun | undefined => run.runs.get(trial)?.at(-1);

/** Per seed: [chosen config index (−1: none), its true error (null: none), best value, epochs, duplicates, complete, pruned, failed]. */
export type SeedResult = [number, number | null, number | null, number, number, number, number, number];

export interface StrategyResults {
  strategy: Strategy;
  results: SeedResult[];
  /** The first failure's reason, when every trial of some seed failed. */
  failure?: string;
}

export async function compareStrategies(o: {
  module: StudyModule;
  strategies: Strategy[];
  firstSeed: number;
  seeds: number;
  benchmark: Benchmark;
  code?: StudentCode;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}): Promise<StrategyResults[]> {
  const out: StrategyResults[] = [];
  const total = o.strategies.length * o.seeds;
  let done = 0;
  for (const strategy of o.strategies) {
    const results: SeedResult[] = [];
    let failure: string | undefined;
    for (let k = 0; k < o.seeds; k++) {
      if (o.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
      const seed = o.firstSeed + k;
      const run = await replayStudy({ module: o.module, strategy, seed, benchmark: o.benchmark, code: o.code, signal: o.signal });
      const best = run.study.bestTrial;
      const chosen = best ? runOf(run, best)?.index : undefined;
      const count = (s: string) => run.study.trials.filter((t) => t.state === s).length;
      if (!best && !failure) failure = run.study.trials.find((t) => t.state === 'FAIL')?.reason ?? 'no trial completed';
      results.push([chosen ?? -1, chosen === undefined ? null : o.benchmark.truths[chosen]!, best?.value ?? null, run.epochs, duplicateCount(run.study.trials), count('COMPLETE'), count('PRUNED'), count('FAIL')]);
      done++;
      o.onProgress?.(done, total);
      // Let the worker answer a cancel between seeds.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    out.push({ strategy, results, ...(failure ? { failure } : {}) });
  }
  return out;
}
