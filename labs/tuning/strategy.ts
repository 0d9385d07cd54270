/**
 * A search strategy: a sampler, a pruner, a budget of trials and how many workers run them at once. Made into the
 * engine's sampler and pruner objects here, with the student's own functions where they switched them on.
 */
import { GPSampler } from '../../src/labkit/tuning/gp.ts';
import { HyperbandPruner, MedianPruner, NopPruner, SuccessiveHalvingPruner, type PromoteRule } from '../../src/labkit/tuning/pruners.ts';
import { GridSampler, gridSize, RandomSampler, TPESampler, type Grid, type RandomDraw } from '../../src/labkit/tuning/samplers.ts';
import type { Pruner, Sampler } from '../../src/labkit/tuning/study.ts';

export const SAMPLERS = {
  grid: 'grid search',
  random: 'random search',
  tpe: 'TPE',
  'tpe-dedup': 'TPE, de-duplicated',
  gp: 'Gaussian process',
} as const;
export const PRUNERS = {
  none: 'no pruning',
  median: 'median pruner',
  asha: 'successive halving (ASHA)',
  hyperband: 'Hyperband',
} as const;
export type SamplerKind = keyof typeof SAMPLERS;
export type PrunerKind = keyof typeof PRUNERS;

export interface Strategy {
  sampler: SamplerKind;
  pruner: PrunerKind;
  trials: number;
  workers: number;
}

/** The student's own functions from the coding exercises, used in place of the lab's when switched on. */
export interface StudentCode {
  sampleRandom?: RandomDraw;
  promotable?: PromoteRule;
}

/** The pruners' settings, fixed so that studies compare: η = 3 and rungs at 1, 3 and 9 epochs. */
export const ETA = 3;
export const PRUNER_DETAILS: Record<PrunerKind, string> = {
  none: 'every trial runs to the end',
  median: 'stops a trial whose best value is worse than the median of the complete trials at the same epoch, after 5 complete trials (Optuna defaults)',
  asha: `keeps the best 1/${ETA} at each rung (epochs 1, 3 and 9), deciding as each trial reaches a rung`,
  hyperband: `three successive-halving brackets (first rung after 1, 3 or 9 epochs), η = ${ETA}, up to 9 epochs`,
};

export const strategyLabel = (s: Strategy) => `${SAMPLERS[s.sampler]}${s.pruner === 'none' ? '' : ` + ${PRUNERS[s.pruner]}`}, ${s.trials} trials${s.workers > 1 ? ` on ${s.workers} workers` : ''}`;
export const strategyKey = (s: Strategy) => `${s.sampler}|${s.pruner}|${s.trials}|${s.workers}`;

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

export function checkStrategy(s: Strategy, limits: { maxTrials: number; maxWorkers: number; grid: Grid | null }): FieldErrors<Strategy> {
  const e: FieldErrors<Strategy> = {};
  if (!Object.hasOwn(SAMPLERS, s.sampler)) e.sampler = `Choose a sampler: ${Object.keys(SAMPLERS).join(', ')}.`;
  if (!Object.hasOwn(PRUNERS, s.pruner)) e.pruner = `Choose a pruner: ${Object.keys(PRUNERS).join(', ')}.`;
  if (!Number.isInteger(s.trials) || s.trials < 1 || s.trials > limits.maxTrials) e.trials = `Trials must be a whole number from 1 to ${limits.maxTrials}.`;
  if (!Number.isInteger(s.workers) || s.workers < 1 || s.workers > limits.maxWorkers) e.workers = `Workers must be a whole number from 1 to ${limits.maxWorkers}.`;
  if (s.sampler === 'grid') {
    if (!limits.grid) e.sampler = 'Grid search needs a grid: export one from your study.mjs (export const grid = { hidden: [16, 64], … }).';
    else if (gridSize(limits.grid) > limits.maxTrials) e.sampler = `Your grid has ${gridSize(limits.grid)} points; at most ${limits.maxTrials} fit in one study. Use fewer values.`;
  }
  return e;
}

export function makeSampler(kind: SamplerKind, seed: number, grid: Grid | null, code: StudentCode = {}): Sampler {
  const draw = code.sampleRandom;
  switch (kind) {
    case 'grid':
      if (!grid) throw new Error('grid search needs a grid: export one from your study.mjs');
      return new GridSampler(grid, seed);
    case 'random':
      return new RandomSampler(seed, draw);
    case 'tpe':
      return new TPESampler({ seed, ...(draw ? { draw } : {}) });
    case 'tpe-dedup':
      return new TPESampler({ seed, dedup: true, ...(draw ? { draw } : {}) });
    case 'gp':
      return new GPSampler({ seed, ...(draw ? { draw } : {}) });
  }
}

export function makePruner(kind: PrunerKind, code: StudentCode = {}): Pruner {
  const rule = code.promotable ? { rule: code.promotable } : {};
  switch (kind) {
    case 'none':
      return new NopPruner();
    case 'median':
      return new MedianPruner();
    case 'asha':
      return new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: ETA, ...rule });
    case 'hyperband':
      return new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: ETA, ...rule });
  }
}
