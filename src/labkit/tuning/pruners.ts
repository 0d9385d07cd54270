/**
 * Pruners with Optuna 3.1's semantics, decision for decision (scripts/oracles/tuning.py checks them against Optuna
 * itself on recorded learning curves):
 *
 * - MedianPruner (PercentilePruner at 50): after `nStartupTrials` complete trials and `nWarmupSteps`, a trial stops
 *   when its best value so far is worse than the median of the complete trials' values at the same step.
 * - SuccessiveHalvingPruner (asynchronous successive halving, ASHA): rungs at minResource·η^(rate + k) steps; at
 *   each rung a trial goes on only if it is in the best 1/η of the values recorded there (`promotable`).
 * - HyperbandPruner: several successive-halving brackets with different early-stopping rates; each trial belongs
 *   to one bracket, chosen by a CRC-32 of "<study name>_<trial number>" weighted by the brackets' budgets, and
 *   competes only with the trials of its bracket.
 */
import { promotable as referencePromotable } from './asha-promote.mjs';
import { intermediateAt, lastStep, type Direction, type FrozenTrial, type Pruner, type Study } from './study.ts';

export type PromoteRule = (value: number, others: number[], eta: number, direction: Direction) => boolean;
export const promotable = referencePromotable as PromoteRule;

export class NopPruner implements Pruner {
  readonly name = 'no pruner';
  prune(): boolean {
    return false;
  }
}

/** numpy.nanpercentile with linear interpolation. */
function percentile(values: number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const pos = ((v.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

export interface MedianOptions {
  nStartupTrials?: number;
  nWarmupSteps?: number;
  intervalSteps?: number;
  nMinTrials?: number;
}

export class MedianPruner implements Pruner {
  readonly name: string;
  private readonly startup: number;
  private readonly warmup: number;
  private readonly interval: number;
  private readonly minTrials: number;

  constructor(options: MedianOptions = {}) {
    this.startup = options.nStartupTrials ?? 5;
    this.warmup = options.nWarmupSteps ?? 0;
    this.interval = options.intervalSteps ?? 1;
    this.minTrials = options.nMinTrials ?? 1;
    this.name = 'the median pruner';
  }

  prune(study: Study, trial: FrozenTrial): boolean {
    const complete = study.getTrials(['COMPLETE']);
    if (complete.length === 0 || complete.length < this.startup) return false;
    const step = lastStep(trial);
    if (step === null || step < this.warmup) return false;
    // Only the first report at or after each pruning step is checked (Optuna's `_is_first_in_interval_step`).
    const nearest = Math.floor((step - this.warmup) / this.interval) * this.interval + this.warmup;
    const secondLast = trial.intermediate.reduce((m, [s]) => (s > m && s !== step ? s : m), -1);
    if (secondLast >= nearest) return false;
    const values = trial.intermediate.map(([, v]) => v).filter((v) => !Number.isNaN(v));
    if (!values.length) return true;
    const best = study.direction === 'maximize' ? Math.max(...values) : Math.min(...values);
    const others = complete.map((t) => intermediateAt(t, step)).filter((v): v is number => v !== undefined);
    if (others.length < this.minTrials) return false;
    const p = percentile(others, 50);
    if (Number.isNaN(p)) return false;
    return study.direction === 'maximize' ? best < p : best > p;
  }
}

export interface HalvingOptions {
  /** Steps before the first rung; 'auto' (Optuna's default) estimates it from the first complete trial. */
  minResource?: number | 'auto';
  /** η: the best 1/η of each rung go on (Optuna's default is 4). */
  reductionFactor?: number;
  minEarlyStoppingRate?: number;
  bootstrapCount?: number;
  rule?: PromoteRule;
}

const rungKey = (rung: number) => `completed_rung_${rung}`;

export class SuccessiveHalvingPruner implements Pruner {
  readonly name: string;
  private minResource: number | null;
  readonly eta: number;
  readonly rate: number;
  private readonly bootstrap: number;
  private readonly rule: PromoteRule;

  constructor(options: HalvingOptions = {}) {
    const min = options.minResource ?? 'auto';
    this.minResource = min === 'auto' ? null : min;
    this.eta = options.reductionFactor ?? 4;
    this.rate = options.minEarlyStoppingRate ?? 0;
    this.bootstrap = options.bootstrapCount ?? 0;
    this.rule = options.rule ?? promotable;
    if (this.minResource !== null && !(Number.isInteger(this.minResource) && this.minResource >= 1)) throw new RangeError('minResource must be a whole number of steps, at least 1');
    if (!(Number.isInteger(this.eta) && this.eta >= 2)) throw new RangeError('the reduction factor η must be a whole number, at least 2');
    this.name = `successive halving (η = ${this.eta})`;
  }

  /** The trials this pruner compares with (Hyperband narrows them to one bracket). */
  protected competitors(study: Study, _trial: FrozenTrial): FrozenTrial[] {
    return study.trials;
  }

  prune(study: Study, trial: FrozenTrial): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = 0;
    while (rungKey(rung) in trial.systemAttrs) rung++;
    const value = intermediateAt(trial, step)!;
    let trials: FrozenTrial[] | null = null;
    for (;;) {
      if (this.minResource === null) {
        const steps = study.trials.filter((t) => t.state === 'COMPLETE').map(lastStep).filter((s): s is number => s !== null);
        if (!steps.length) return false;
        this.minResource = Math.max(Math.floor(Math.max(...steps) / 100), 1);
      }
      if (step < this.minResource * this.eta ** (this.rate + rung)) return false;
      if (Number.isNaN(value)) return true;
      trials ??= this.competitors(study, trial).filter((t) => t !== trial);
      const key = rungKey(rung);
      trial.systemAttrs[key] = value;
      const others = trials.filter((t) => key in t.systemAttrs).map((t) => t.systemAttrs[key] as number);
      if (others.length + 1 <= this.bootstrap) return true;
      if (!this.rule(value, others, this.eta, study.direction)) return true;
      rung++;
    }
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (as Python's binascii.crc32) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One bracket of a Hyperband pruner: successive halving among the trials assigned to the same bracket. */
class BracketPruner extends SuccessiveHalvingPruner {
  private readonly owner: HyperbandPruner;
  private readonly bracket: number;
  constructor(owner: HyperbandPruner, bracket: number, options: HalvingOptions) {
    super({ ...options, minEarlyStoppingRate: bracket });
    this.owner = owner;
    this.bracket = bracket;
  }
  protected override competitors(study: Study): FrozenTrial[] {
    return study.trials.filter((t) => this.owner.bracketOf(study, t) === this.bracket);
  }
}

export interface HyperbandOptions {
  minResource?: number;
  maxResource?: number | 'auto';
  reductionFactor?: number;
  bootstrapCount?: number;
  rule?: PromoteRule;
}

export class HyperbandPruner implements Pruner {
  readonly name: string;
  private readonly options: HyperbandOptions;
  private maxResource: number | 'auto';
  private brackets: BracketPruner[] = [];
  private budgets: number[] = [];
  private total = 0;

  constructor(options: HyperbandOptions = {}) {
    this.options = options;
    this.maxResource = options.maxResource ?? 'auto';
    this.name = `Hyperband (η = ${options.reductionFactor ?? 3})`;
  }

  private initialise(study: Study): void {
    const eta = this.options.reductionFactor ?? 3;
    const min = this.options.minResource ?? 1;
    if (this.maxResource === 'auto') {
      const steps = study.trials.filter((t) => t.state === 'COMPLETE').map(lastStep).filter((s): s is number => s !== null);
      if (!steps.length) return;
      this.maxResource = Math.max(...steps) + 1;
    }
    const n = Math.floor(Math.log(this.maxResource / min) / Math.log(eta) + 1e-9) + 1;
    for (let bracket = 0; bracket < n; bracket++) {
      const s = n - 1 - bracket;
      const budget = Math.ceil((n * eta ** s) / (s + 1) - 1e-9);
      this.budgets.push(budget);
      this.total += budget;
      this.brackets.push(new BracketPruner(this, bracket, { minResource: min, reductionFactor: eta, bootstrapCount: this.options.bootstrapCount ?? 0, ...(this.options.rule ? { rule: this.options.rule } : {}) }));
    }
  }

  /** The bracket a trial belongs to (Optuna's `_get_bracket_id`). */
  bracketOf(study: Study, trial: FrozenTrial): number {
    if (!this.brackets.length) return 0;
    let n = crc32(`${study.name}_${trial.number}`) % this.total;
    for (let b = 0; b < this.budgets.length; b++) {
      n -= this.budgets[b]!;
      if (n < 0) return b;
    }
    return this.budgets.length - 1;
  }

  prune(study: Study, trial: FrozenTrial): boolean {
    if (!this.brackets.length) {
      this.initialise(study);
      if (!this.brackets.length) return false;
    }
    return this.brackets[this.bracketOf(study, trial)]!.prune(study, trial);
  }
}
