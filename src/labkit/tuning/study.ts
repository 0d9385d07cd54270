/**
 * A study and its trials, in Optuna's define-by-run style: the objective receives a `Trial` and asks it for
 * parameters (`trial.suggestFloat('lr', 1e-4, 1e-1, { log: true })`), reports intermediate values
 * (`trial.report(error, epoch)`), asks whether to stop (`trial.shouldPrune()`), and returns the value to optimise.
 * The sampler picks each value; the pruner decides on stopping. Semantics follow Optuna 3.1: a parameter asked twice
 * keeps its value, a repeated report of the same step is ignored, a value of NaN fails the trial, a pruned trial
 * keeps its last intermediate value as its value, and an error inside the objective fails the trial (with the
 * reason) while the study goes on.
 */
import {
  categoricalDistribution,
  checkCompatible,
  contains,
  floatDistribution,
  intDistribution,
  toInternal,
  SuggestError,
  type Distribution,
  type ParamValue,
} from './distributions.ts';

export type Direction = 'minimize' | 'maximize';
export type TrialState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export interface FrozenTrial {
  number: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  /** [step, value] in the order reported (each step once). */
  intermediate: [number, number][];
  value: number | null;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  /** Milliseconds since the study started (simulated time in a replay). */
  start: number;
  end: number | null;
  /** The worker (0-based) that ran the trial. */
  worker: number;
  /** Why the trial failed or was pruned, in words. */
  reason?: string;
}

export const lastStep = (t: FrozenTrial): number | null => (t.intermediate.length ? Math.max(...t.intermediate.map(([s]) => s)) : null);
export const intermediateAt = (t: FrozenTrial, step: number): number | undefined => t.intermediate.find(([s]) => s === step)?.[1];
export const isFinished = (t: FrozenTrial) => t.state !== 'RUNNING';

export interface Sampler {
  readonly name: string;
  /** The parameters to sample jointly before the objective runs (Optuna's relative search space). */
  inferRelativeSearchSpace(study: Study, trial: FrozenTrial): Record<string, Distribution>;
  sampleRelative(study: Study, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue>;
  sampleIndependent(study: Study, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** True when nothing is left to try (a grid whose every point has been run). */
  exhausted?(study: Study): boolean;
}

export interface Pruner {
  readonly name: string;
  prune(study: Study, trial: FrozenTrial): boolean;
}

/** Thrown by an objective (`throw new TrialPruned()`) to stop a trial the pruner gave up on. */
export class TrialPruned extends Error {
  constructor(message = 'pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

export class Study {
  readonly name: string;
  readonly direction: Direction;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly trials: FrozenTrial[] = [];
  /** The first distribution each parameter was suggested with: a parameter keeps its kind across trials. */
  private readonly kinds = new Map<string, Distribution>();
  now: () => number;

  constructor(options: { name: string; direction?: Direction; sampler: Sampler; pruner: Pruner; now?: () => number }) {
    this.name = options.name;
    this.direction = options.direction ?? 'minimize';
    this.sampler = options.sampler;
    this.pruner = options.pruner;
    this.now = options.now ?? (() => 0);
  }

  getTrials(states?: readonly TrialState[]): FrozenTrial[] {
    return states ? this.trials.filter((t) => states.includes(t.state)) : this.trials;
  }

  /** The best complete trial (the first of equals, as Optuna), or undefined. */
  get bestTrial(): FrozenTrial | undefined {
    let best: FrozenTrial | undefined;
    for (const t of this.trials) {
      if (t.state !== 'COMPLETE' || t.value === null) continue;
      if (!best || (this.direction === 'minimize' ? t.value < best.value! : t.value > best.value!)) best = t;
    }
    return best;
  }

  /** Starts a new trial on `worker`: its relative parameters are sampled now, the others when the objective asks. */
  ask(worker = 0): Trial {
    const frozen: FrozenTrial = { number: this.trials.length, state: 'RUNNING', params: {}, distributions: {}, intermediate: [], value: null, userAttrs: {}, systemAttrs: {}, start: this.now(), end: null, worker };
    this.trials.push(frozen);
    const space = this.sampler.inferRelativeSearchSpace(this, frozen);
    const relative = this.sampler.sampleRelative(this, frozen, space);
    return new Trial(this, frozen, space, relative);
  }

  /** Finishes a trial: COMPLETE with a value, PRUNED (keeping its last intermediate value), or FAIL with a reason. */
  tell(trial: FrozenTrial, outcome: { state: 'COMPLETE'; value: number } | { state: 'PRUNED' | 'FAIL'; reason: string }): void {
    if (trial.state !== 'RUNNING') return;
    trial.end = this.now();
    if (outcome.state === 'COMPLETE') {
      trial.state = 'COMPLETE';
      trial.value = outcome.value;
      return;
    }
    trial.state = outcome.state;
    trial.reason = outcome.reason;
    const step = lastStep(trial);
    const last = step === null ? undefined : intermediateAt(trial, step);
    trial.value = outcome.state === 'PRUNED' && last !== undefined && !Number.isNaN(last) ? last : null;
  }

  /** Records a parameter of a running trial, after checking it against the study's earlier use of the name. */
  setParam(trial: FrozenTrial, name: string, value: ParamValue, distribution: Distribution): void {
    const first = this.kinds.get(name);
    if (first) checkCompatible(name, first, distribution);
    else this.kinds.set(name, distribution);
    trial.params[name] = value;
    trial.distributions[name] = distribution;
  }
}

/** The handle an objective receives: define-by-run suggestions, reports and pruning. */
export class Trial {
  private readonly study: Study;
  readonly frozen: FrozenTrial;
  private readonly relativeSpace: Record<string, Distribution>;
  private readonly relativeParams: Record<string, ParamValue>;

  constructor(study: Study, frozen: FrozenTrial, relativeSpace: Record<string, Distribution>, relativeParams: Record<string, ParamValue>) {
    this.study = study;
    this.frozen = frozen;
    this.relativeSpace = relativeSpace;
    this.relativeParams = relativeParams;
  }

  get number(): number {
    return this.frozen.number;
  }
  get params(): Record<string, ParamValue> {
    return { ...this.frozen.params };
  }

  private running(): void {
    if (this.frozen.state !== 'RUNNING') throw new Error(`trial ${this.frozen.number} has already finished (${this.frozen.state.toLowerCase()}); it cannot be changed`);
  }

  private suggest(name: string, distribution: Distribution): ParamValue {
    this.running();
    if (typeof name !== 'string' || !name) throw new SuggestError('a parameter needs a name (a non-empty string)');
    const known = this.frozen.distributions[name];
    if (known) {
      checkCompatible(name, known, distribution);
      return this.frozen.params[name]!;
    }
    let value: ParamValue;
    const relative = this.relativeSpace[name];
    if (Object.hasOwn(this.relativeParams, name) && relative && relative.kind === distribution.kind && contains(distribution, toInternal(distribution, this.relativeParams[name]!))) {
      value = this.relativeParams[name]!;
    } else {
      value = this.study.sampler.sampleIndependent(this.study, this.frozen, name, distribution);
    }
    this.study.setParam(this.frozen, name, value, distribution);
    return value;
  }

  suggestFloat(name: string, low: number, high: number, options: { log?: boolean; step?: number | null } = {}): number {
    return this.suggest(name, floatDistribution(name, low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, intDistribution(name, low, high, options)) as number;
  }

  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /** Reports an intermediate value at a step (a whole number ≥ 0); a step reported before is ignored, as in Optuna. */
  report(value: number, step: number): void {
    this.running();
    if (typeof value !== 'number') throw new TypeError(`trial.report(${JSON.stringify(value)}, ${step}): the value must be a number`);
    if (!Number.isInteger(step) || step < 0) throw new TypeError(`trial.report(value, ${JSON.stringify(step)}): the step must be a whole number of at least 0`);
    if (this.frozen.intermediate.some(([s]) => s === step)) return;
    this.frozen.intermediate.push([step, value]);
  }

  shouldPrune(): boolean {
    this.running();
    return this.study.pruner.prune(this.study, this.frozen);
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.running();
    this.frozen.userAttrs[key] = value;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running a study: trials on `workers` slots at once, in simulated time (replay) or real time (live).

export type Objective<C> = (trial: Trial, context: C) => unknown;

/**
 * Time for a study. A replay study runs in simulated time: work "takes" the measured duration, and the run loop
 * lets one trial move at a time, in the order the simulated clock dictates, so a replay is deterministic for its
 * seed however many workers it simulates. A live study runs in real time.
 */
export interface StudyClock {
  now(): number;
  /** Waits `ms` of this clock's time, on behalf of `trial`. */
  wait(trial: FrozenTrial, ms: number): Promise<void>;
}

export class RealClock implements StudyClock {
  private readonly started = performance.now();
  now(): number {
    return Math.round(performance.now() - this.started);
  }
  async wait(_trial: FrozenTrial, ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

interface Pending {
  at: number;
  seq: number;
  trial: FrozenTrial;
  resolve: () => void;
}

export class SimulatedClock implements StudyClock {
  private time = 0;
  private seq = 0;
  private readonly queue: Pending[] = [];
  /** Each running trial's next move: it waits on the clock again, or its objective settles. */
  private readonly moved = new Map<FrozenTrial, () => void>();

  now(): number {
    return this.time;
  }

  wait(trial: FrozenTrial, ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ at: this.time + Math.max(0, ms), seq: this.seq++, trial, resolve });
      this.moved.get(trial)?.();
    });
  }

  /** Resolves when `trial` next waits on the clock or settles (`settled` resolves), or after `limitMs` of real time. */
  nextMove(trial: FrozenTrial, settled: Promise<unknown>, limitMs: number): Promise<'moved' | 'stuck'> {
    // The trial may already wait on the clock (it called wait() before its first real pause).
    if (this.queue.some((p) => p.trial === trial)) return Promise.resolve('moved');
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('stuck'), limitMs);
      const done = () => {
        clearTimeout(timer);
        this.moved.delete(trial);
        resolve('moved');
      };
      this.moved.set(trial, done);
      void settled.then(done, done);
    });
  }

  private earliest(): number {
    let k = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i]!;
      const b = this.queue[k]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) k = i;
    }
    return k;
  }

  /** The trial whose wait ends next, if any. */
  peek(): FrozenTrial | undefined {
    return this.queue.length ? this.queue[this.earliest()]!.trial : undefined;
  }

  /** Advances to the earliest pending wait and releases it; returns its trial, or undefined when nothing waits. */
  step(): FrozenTrial | undefined {
    if (!this.queue.length) return undefined;
    const [next] = this.queue.splice(this.earliest(), 1);
    this.time = next!.at;
    next!.resolve();
    return next!.trial;
  }

  /** Drops the pending waits of trials that were stopped. */
  forget(trial: FrozenTrial): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.trial === trial) this.queue.splice(i, 1);
  }
}

export interface RunOptions<C> {
  study: Study;
  objective: Objective<C>;
  /** The context the objective gets beside the trial (the lab's `train`, `TrialPruned`, …), one per trial. */
  context: (trial: Trial) => C;
  nTrials: number;
  workers: number;
  clock: StudyClock;
  /**
   * A trial that makes no move for this long (real milliseconds: no clock wait, no return) fails with "did not
   * return". In a replay every move is instant, so a few seconds mean a loop or a promise that never settles.
   */
  stuckMs: number;
  signal?: AbortSignal;
  /** After each change of a trial's state (started, finished). */
  onTrial?: (trial: FrozenTrial) => void;
  /** Runs when a trial is given up (stuck, or the study was stopped): stop whatever it was doing. */
  onAbandon?: (trial: FrozenTrial) => void;
  /** Simulated time: runs before a trial gets control (a watchdog outside can tell which trial hung its thread). */
  onActive?: (trial: FrozenTrial) => void;
  /**
   * Trials (by number) whose objective must not run again: it blocked its thread before, so the study was run again
   * from its seed, and this time the trial fails at once with `skipReason`.
   */
  skip?: ReadonlySet<number>;
  skipReason?: string;
}

const stuckReason = (ms: number) => `the objective did not return or wait for training within ${ms / 1000} s (a loop that never ends, or a promise that never settles?)`;

/** When each running trial last made progress (real time): the live watchdog stops trials silent for too long. */
const lastMoves = new WeakMap<FrozenTrial, number>();
export function touch(trial: FrozenTrial, now: number): void {
  lastMoves.set(trial, now);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return `the objective threw ${JSON.stringify(error) ?? String(error)}`;
}

const isPruned = (error: unknown) => error instanceof TrialPruned || (error instanceof Error && error.name === 'TrialPruned');

/** Runs one trial's objective and tells the study how it ended. */
async function runObjective<C>(study: Study, trial: Trial, objective: Objective<C>, context: C): Promise<void> {
  const frozen = trial.frozen;
  try {
    const value = await objective(trial, context);
    if (frozen.state !== 'RUNNING') return;
    if (typeof value !== 'number') study.tell(frozen, { state: 'FAIL', reason: `the objective returned ${JSON.stringify(value) ?? String(value)}, not a number` });
    else if (Number.isNaN(value)) study.tell(frozen, { state: 'FAIL', reason: 'the objective returned NaN (Optuna does not accept NaN as a value)' });
    else study.tell(frozen, { state: 'COMPLETE', value });
  } catch (error) {
    if (frozen.state !== 'RUNNING') return;
    if (isPruned(error)) {
      const step = lastStep(frozen);
      study.tell(frozen, { state: 'PRUNED', reason: step === null ? 'pruned before reporting a value' : `pruned by ${study.pruner.name} after step ${step}` });
    } else study.tell(frozen, { state: 'FAIL', reason: describeError(error) });
  }
}

/**
 * Runs up to `nTrials` trials, `workers` at a time, until they are done, the sampler has nothing left to try, or
 * the signal aborts (running trials then fail with "stopped"). Resolves with the study's trials.
 */
export async function runStudy<C>(options: RunOptions<C>): Promise<FrozenTrial[]> {
  const { study, clock, signal } = options;
  study.now = () => clock.now();
  const simulated = clock instanceof SimulatedClock ? clock : null;
  const running = new Map<FrozenTrial, Promise<void>>();
  const free = Array.from({ length: Math.max(1, options.workers) }, (_, i) => i).reverse();
  let asked = 0;

  const abandon = (frozen: FrozenTrial, reason: string) => {
    study.tell(frozen, { state: 'FAIL', reason });
    simulated?.forget(frozen);
    options.onAbandon?.(frozen);
  };

  const finish = (frozen: FrozenTrial) => {
    running.delete(frozen);
    free.push(frozen.worker);
    free.sort((a, b) => b - a);
    options.onTrial?.(frozen);
  };

  const start = async () => {
    const worker = free.pop()!;
    const trial = study.ask(worker);
    asked++;
    options.onTrial?.(trial.frozen);
    if (options.skip?.has(trial.number)) {
      study.tell(trial.frozen, { state: 'FAIL', reason: options.skipReason ?? 'skipped' });
      finish(trial.frozen);
      return;
    }
    options.onActive?.(trial.frozen);
    const done = runObjective(study, trial, options.objective, options.context(trial)).then(() => undefined);
    running.set(trial.frozen, done);
    touch(trial.frozen, clock.now());
    if (simulated && (await simulated.nextMove(trial.frozen, done, options.stuckMs)) === 'stuck') abandon(trial.frozen, stuckReason(options.stuckMs));
  };

  const more = () => asked < options.nTrials && !signal?.aborted && !study.sampler.exhausted?.(study);

  for (;;) {
    for (const [frozen] of running) if (frozen.state !== 'RUNNING') finish(frozen);
    while (free.length && more()) await start();
    for (const [frozen] of running) if (frozen.state !== 'RUNNING') finish(frozen);
    if (!running.size) {
      if (more() && free.length) continue;
      break;
    }
    if (signal?.aborted) {
      for (const [frozen] of running) {
        abandon(frozen, 'stopped: the study was cancelled while this trial ran');
        finish(frozen);
      }
      break;
    }
    if (simulated) {
      const owner = simulated.peek();
      if (owner) options.onActive?.(owner);
      simulated.step();
      if (!owner) {
        // Every running trial waits on something other than the clock: give each the stuck limit to move.
        for (const [frozen, done] of running) {
          if (frozen.state === 'RUNNING' && (await simulated.nextMove(frozen, done, options.stuckMs)) === 'stuck') abandon(frozen, stuckReason(options.stuckMs));
        }
        continue;
      }
      if (owner.state === 'RUNNING' && (await simulated.nextMove(owner, running.get(owner)!, options.stuckMs)) === 'stuck') {
        abandon(owner, stuckReason(options.stuckMs));
      }
    } else {
      await raceWithWatchdog(running, options, abandon, signal);
    }
  }
  return study.trials;
}

/** Real time: waits until a trial settles, a trial has been silent for `stuckMs`, or the study is cancelled. */
async function raceWithWatchdog<C>(running: Map<FrozenTrial, Promise<void>>, options: RunOptions<C>, abandon: (t: FrozenTrial, reason: string) => void, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const watchdog = new Promise<void>((resolve) => {
    const check = () => {
      const now = options.clock.now();
      for (const [frozen] of running) {
        const lastMove = lastMoves.get(frozen) ?? frozen.start;
        if (frozen.state === 'RUNNING' && now - lastMove > options.stuckMs) {
          abandon(frozen, `the trial made no progress for ${Math.round(options.stuckMs / 1000)} s, so it was stopped`);
          resolve();
          return;
        }
      }
      timer = setTimeout(check, 250);
    };
    timer = setTimeout(check, 250);
    onAbort = () => resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  await Promise.race([...running.values(), watchdog]);
  clearTimeout(timer);
  if (onAbort) signal?.removeEventListener('abort', onAbort);
}
