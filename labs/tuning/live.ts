/**
 * Live studies: the student's objective runs in the coordinator, and `train(config)` really trains, one epoch per
 * `run.epoch()`, on the trial's own worker of a pool (in the page: Web Workers with tfjs on one thread each). The
 * engine's run loop keeps every worker busy: when a trial ends, the next one starts on the worker it freed. A worker
 * that crashes fails the trial it was training, with the reason; a trial that makes no progress for two minutes is
 * stopped; the study goes on either way.
 */
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { RealClock, runStudy, Study, touch, TrialPruned, type FrozenTrial, type Trial } from '../../src/labkit/tuning/study.ts';
import { checkConfig, type MlpConfig } from './config.ts';
import type { StudyModule } from './objective.ts';
import type { EpochSpan, ObjectiveContext, StudyRun, TrialRun } from './replay.ts';
import { makePruner, makeSampler, type Strategy, type StudentCode } from './strategy.ts';

export const LIVE_STUCK_MS = 120_000;
export const LIVE_EPOCHS = 9;

/** Where live trials train: one slot per worker. */
export interface TrainerPool {
  readonly size: number;
  start(worker: number, config: MlpConfig, seed: number): Promise<void>;
  epoch(worker: number): Promise<{ error: number; ms: number }>;
  /** Stops whatever the worker is doing (a trial given up, a cancelled study). */
  cancel(worker: number): void;
}

export interface LiveOptions {
  module: StudyModule;
  strategy: Strategy;
  seed: number;
  pool: TrainerPool;
  code?: StudentCode;
  signal?: AbortSignal;
  name?: string;
  stuckMs?: number;
  /** Called once with the study before it runs, so a caller can watch its trials. */
  onStudy?: (study: Study) => void;
}

export async function liveStudy(o: LiveOptions): Promise<StudyRun> {
  const study = new Study({ name: o.name ?? `live-${o.seed}`, direction: o.module.direction, sampler: makeSampler(o.strategy.sampler, o.seed, o.module.grid, o.code), pruner: makePruner(o.strategy.pruner, o.code) });
  const clock = new RealClock();
  const seeds = mulberry32((o.seed ^ 0x2545f491) >>> 0);
  const runs = new Map<FrozenTrial, TrialRun[]>();
  const timeline: EpochSpan[] = [];
  /** The run each worker is training now: a run whose network was replaced cannot go on. */
  const current = new Map<number, TrialRun>();
  let epochs = 0;

  o.onStudy?.(study);
  const context = (trial: Trial): ObjectiveContext => ({
    TrialPruned,
    maxEpochs: LIVE_EPOCHS,
    mode: 'live',
    nearest: (_field, x) => x,
    train(config, options = {}) {
      checkConfig(config);
      const record: TrialRun = { config: { lr: config.lr, hidden: config.hidden, batch: config.batch, l2: config.l2 }, seed: options.seed ?? Math.floor(seeds() * 2 ** 31), epochs: 0 };
      const list = runs.get(trial.frozen) ?? [];
      list.push(record);
      runs.set(trial.frozen, list);
      if (trial.frozen.state === 'RUNNING') {
        trial.frozen.userAttrs.config = `lr=${Number(config.lr.toPrecision(3))} hidden=${config.hidden} batch=${config.batch} l2=${config.l2}`;
        trial.frozen.userAttrs.seed = record.seed;
      }
      let started: Promise<void> | null = null;
      return {
        config: record.config,
        get epochs() {
          return record.epochs;
        },
        async epoch() {
          const worker = trial.frozen.worker;
          if (record.epochs >= LIVE_EPOCHS) throw new RangeError(`a live trial trains at most ${LIVE_EPOCHS} epochs, as the benchmark did`);
          if (!started) {
            current.set(worker, record);
            started = o.pool.start(worker, record.config, record.seed);
          }
          if (current.get(worker) !== record) throw new Error('in a live study a trial trains one network at a time on its worker: finish one run before you start the next');
          await started;
          const start = clock.now();
          touch(trial.frozen, start);
          let result: { error: number; ms: number };
          try {
            result = await o.pool.epoch(worker);
          } catch (error) {
            throw new Error(`the worker training this trial failed: ${error instanceof Error ? error.message : String(error)}`);
          }
          if (trial.frozen.state !== 'RUNNING') throw new Error('this trial was stopped');
          record.epochs++;
          epochs++;
          const span = { trial: trial.number, worker, start, end: clock.now() };
          touch(trial.frozen, span.end);
          timeline.push(span);
          return result.error;
        },
      };
    },
  });

  await runStudy({
    study,
    objective: o.module.objective,
    context,
    nTrials: o.strategy.trials,
    workers: Math.min(o.strategy.workers, o.pool.size),
    clock,
    stuckMs: o.stuckMs ?? LIVE_STUCK_MS,
    signal: o.signal,
    onAbandon: (t) => o.pool.cancel(t.worker),
  });
  return { study, runs, timeline, epochs };
}
