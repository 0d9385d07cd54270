/**
 * Samplers with Optuna's semantics: random search (RandomSampler), grid search (GridSampler: every combination of
 * the given values, each once, in a seeded random order), and TPE (TPESampler, univariate, with Optuna's defaults:
 * 10 random start-up trials, 24 candidates, γ(n) = min(⌈0.1·n⌉, 25), the prior and the magic clip). TPE can also
 * de-duplicate: in a discrete space plain TPE keeps suggesting configurations it has already tried (Optuna's most
 * repeated complaint, optuna/optuna#2021), so with `dedup` it scores whole configurations and takes the best one not
 * tried yet. Each sampler draws from its own seeded generator, so a study is repeatable from its seed.
 */
import { contains, describeDistribution, sameDistribution, single, toExternal, toInternal, valuesOf, type Distribution, type ParamValue } from './distributions.ts';
import { defaultGamma, DEFAULT_PARZEN, ParzenEstimator, type ParzenParameters } from './parzen.ts';
import { sampleRandom as referenceSampleRandom } from './sample-random.mjs';
import { lastStep, type FrozenTrial, type Sampler, type Study, type TrialState } from './study.ts';
import { mulberry32 } from '../ml/random.ts';

/** Draws one value of a distribution from uniform numbers (the lab's reference; the student can write their own). */
export type RandomDraw = (distribution: Distribution, rand: () => number) => ParamValue;
export const sampleRandom = referenceSampleRandom as RandomDraw;

const key = (params: Record<string, ParamValue>, names: string[]) => JSON.stringify(names.map((n) => params[n] ?? null));

/**
 * Optuna's IntersectionSearchSpace: the parameters every finished (complete or pruned) trial had, with the same
 * distribution; single-valued ones left out. Sorted by name.
 */
export function intersectionSearchSpace(study: Study, states: readonly TrialState[] = ['COMPLETE', 'PRUNED']): Record<string, Distribution> {
  let space: Record<string, Distribution> | null = null;
  for (const t of study.trials) {
    if (!states.includes(t.state)) continue;
    if (!space) {
      space = { ...t.distributions };
      continue;
    }
    for (const name of Object.keys(space)) {
      const d = t.distributions[name];
      if (!d || !sameDistribution(d, space[name]!)) delete space[name];
    }
  }
  const out: Record<string, Distribution> = {};
  for (const name of Object.keys(space ?? {}).sort()) if (!single(space![name]!)) out[name] = space![name]!;
  return out;
}

/** How many trials repeat the parameters of an earlier trial of the study. */
export function duplicateCount(trials: readonly { params: Record<string, ParamValue> }[]): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const t of trials) {
    const names = Object.keys(t.params).sort();
    if (!names.length) continue;
    const k = `${names.join(',')}=${key(t.params, names)}`;
    if (seen.has(k)) duplicates++;
    else seen.add(k);
  }
  return duplicates;
}

export class RandomSampler implements Sampler {
  readonly name = 'RandomSampler';
  private readonly rand: () => number;
  private readonly draw: RandomDraw;

  constructor(seed: number, draw: RandomDraw = sampleRandom) {
    this.rand = mulberry32(seed);
    this.draw = draw;
  }
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }
  sampleRelative(): Record<string, ParamValue> {
    return {};
  }
  sampleIndependent(_study: Study, _trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const value = this.draw(distribution, this.rand);
    if (!contains(distribution, toInternalSafe(distribution, value))) {
      throw new Error(`the random sampler drew ${JSON.stringify(value)} for '${name}', which is not in ${describeDistribution(distribution)}`);
    }
    return value;
  }
}

function toInternalSafe(d: Distribution, value: ParamValue): number {
  try {
    return toInternal(d, value);
  } catch {
    return NaN;
  }
}

export type Grid = Record<string, ParamValue[]>;

/** Checks a grid (like Optuna's GridSampler search_space): every parameter has at least one value. */
export function checkGrid(grid: unknown): Grid {
  if (!grid || typeof grid !== 'object' || Array.isArray(grid)) throw new Error('the grid must be an object mapping each parameter name to a list of values, e.g. { hidden: [16, 64] }');
  const out: Grid = {};
  for (const [name, values] of Object.entries(grid as Record<string, unknown>)) {
    if (!Array.isArray(values) || values.length === 0) throw new Error(`grid.${name} must be a non-empty list of values; a parameter without values leaves the grid with no point to try`);
    for (const v of values) if (!(v === null || ['string', 'number', 'boolean'].includes(typeof v))) throw new Error(`grid.${name} holds ${JSON.stringify(v)}; values must be numbers, strings, booleans or null`);
    out[name] = values as ParamValue[];
  }
  if (!Object.keys(out).length) throw new Error('the grid has no parameters, so it has no point to try');
  return out;
}

export const gridSize = (grid: Grid) => Object.values(grid).reduce((n, v) => n * v.length, 1);

export class GridSampler implements Sampler {
  readonly name = 'GridSampler';
  private readonly names: string[];
  private readonly grid: Grid;
  private readonly size: number;
  private readonly rand: () => number;
  private readonly gridIds = new Map<FrozenTrial, number>();

  constructor(grid: Grid, seed: number) {
    this.grid = checkGrid(grid);
    this.names = Object.keys(this.grid).sort();
    this.size = gridSize(this.grid);
    this.rand = mulberry32(seed);
  }

  private point(id: number): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (let i = this.names.length - 1; i >= 0; i--) {
      const values = this.grid[this.names[i]!]!;
      out[this.names[i]!] = values[id % values.length]!;
      id = Math.floor(id / values.length);
    }
    return out;
  }

  private unvisited(study: Study): number[] {
    const visited = new Set<number>();
    const running = new Set<number>();
    for (const t of study.trials) {
      const id = this.gridIds.get(t);
      if (id === undefined) continue;
      (t.state === 'RUNNING' ? running : visited).add(id);
    }
    let ids = [...Array(this.size).keys()].filter((i) => !visited.has(i) && !running.has(i));
    if (!ids.length) ids = [...Array(this.size).keys()].filter((i) => !visited.has(i));
    return ids;
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }
  sampleRelative(study: Study, trial: FrozenTrial): Record<string, ParamValue> {
    let ids = this.unvisited(study);
    if (!ids.length) ids = [...Array(this.size).keys()];
    const id = ids[Math.floor(this.rand() * ids.length)]!;
    this.gridIds.set(trial, id);
    trial.systemAttrs.grid_id = id;
    return {};
  }
  sampleIndependent(_study: Study, trial: FrozenTrial, name: string): ParamValue {
    if (!Object.hasOwn(this.grid, name)) throw new Error(`the parameter '${name}' is not in the grid (it has ${this.names.join(', ')}); add its values to the grid`);
    return this.point(this.gridIds.get(trial)!)[name]!;
  }
  /** Every grid point has been run or is running: the study asks for no more trials. */
  exhausted(study: Study): boolean {
    const taken = new Set(study.trials.map((t) => this.gridIds.get(t)).filter((id) => id !== undefined));
    return taken.size >= this.size;
  }
}

export interface TpeOptions {
  seed: number;
  nStartupTrials?: number;
  nEiCandidates?: number;
  gamma?: (n: number) => number;
  parzen?: ParzenParameters;
  /** Never repeat a configuration already tried (scored over the relative search space). */
  dedup?: boolean;
  /** Count running trials as bad ones, so parallel workers spread out (Optuna's constant_liar). */
  constantLiar?: boolean;
  draw?: RandomDraw;
}

interface Observation {
  /** Sort key: complete trials first (−∞), then pruned ones by the latest step reached, as Optuna ranks them. */
  step: number;
  score: number;
  trial: FrozenTrial;
}

export class TPESampler implements Sampler {
  readonly name: string;
  private readonly rand: () => number;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenParameters;
  private readonly dedup: boolean;
  private readonly constantLiar: boolean;
  private readonly random: RandomSampler;
  private readonly draw: RandomDraw;

  constructor(options: TpeOptions) {
    this.rand = mulberry32(options.seed);
    this.nStartup = options.nStartupTrials ?? 10;
    this.nCandidates = options.nEiCandidates ?? 24;
    this.gamma = options.gamma ?? defaultGamma;
    this.parzen = options.parzen ?? DEFAULT_PARZEN;
    this.dedup = options.dedup ?? false;
    this.constantLiar = options.constantLiar ?? false;
    this.draw = options.draw ?? sampleRandom;
    this.random = new RandomSampler(options.seed ^ 0x9e3779b9, this.draw);
    this.name = this.dedup ? 'TPESampler (de-duplicated)' : 'TPESampler';
  }

  /** Optuna's `_get_observation_pairs`: complete and pruned trials (and running ones with constant liar), ranked. */
  private observations(study: Study): Observation[] {
    const sign = study.direction === 'minimize' ? 1 : -1;
    const out: Observation[] = [];
    for (const t of study.trials) {
      if (t.state === 'COMPLETE' && t.value !== null) out.push({ step: -Infinity, score: sign * t.value, trial: t });
      else if (t.state === 'PRUNED') {
        const step = lastStep(t);
        if (step === null) out.push({ step: 1, score: 0, trial: t });
        else {
          const v = t.intermediate.find(([s]) => s === step)![1];
          out.push({ step: -step, score: Number.isNaN(v) ? Infinity : sign * v, trial: t });
        }
      } else if (t.state === 'RUNNING' && this.constantLiar) out.push({ step: Infinity, score: Infinity, trial: t });
    }
    return out;
  }

  /** Splits observations into the γ(n) best and the rest, each kept in trial order (Optuna's `_split_observation_pairs`). */
  private split(study: Study): { below: FrozenTrial[]; above: FrozenTrial[]; n: number } {
    const obs = this.observations(study);
    const n = obs.filter((o) => o.step < Infinity).length;
    const ranked = obs.map((o, i) => ({ o, i })).sort((a, b) => a.o.step - b.o.step || a.o.score - b.o.score || a.i - b.i);
    const nBelow = this.gamma(n);
    const belowIdx = new Set(ranked.slice(0, nBelow).map((r) => r.i));
    return { below: obs.filter((_, i) => belowIdx.has(i)).map((o) => o.trial), above: obs.filter((_, i) => !belowIdx.has(i)).map((o) => o.trial), n };
  }

  /** The two estimators for one parameter, from the trials that have it. */
  private estimators(study: Study, name: string, distribution: Distribution) {
    const { below, above } = this.split(study);
    const values = (ts: FrozenTrial[]) => ts.filter((t) => Object.hasOwn(t.params, name) && t.distributions[name]?.kind === distribution.kind).map((t) => toInternal(distribution, t.params[name]!));
    return { l: new ParzenEstimator(values(below), distribution, this.parzen), g: new ParzenEstimator(values(above), distribution, this.parzen) };
  }

  private finishedCount(study: Study): number {
    return study.trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED').length;
  }

  inferRelativeSearchSpace(study: Study): Record<string, Distribution> {
    return this.dedup ? intersectionSearchSpace(study) : {};
  }

  /** De-duplicated TPE: the best-scoring whole configuration that no trial has tried yet. */
  sampleRelative(study: Study, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const names = Object.keys(space);
    if (!names.length) return {};
    const tried = new Set(study.trials.filter((t) => t !== trial && names.every((n) => Object.hasOwn(t.params, n))).map((t) => key(t.params, names)));
    if (this.finishedCount(study) < this.nStartup) return this.untriedRandom(space, tried) ?? {};
    // Per parameter: candidates from l(x), each with its score log l − log g, best first, distinct values only.
    const lists = names.map((name) => {
      const d = space[name]!;
      const { l, g } = this.estimators(study, name, d);
      const xs = l.sample(this.rand, this.nCandidates);
      const ll = l.logPdf(xs);
      const lg = g.logPdf(xs);
      const best = new Map<number, number>();
      xs.forEach((x, i) => best.set(x, Math.max(best.get(x) ?? -Infinity, ll[i]! - lg[i]!)));
      return [...best.entries()].sort((a, b) => b[1] - a[1]).map(([x, score]) => ({ value: toExternal(d, x), score }));
    });
    const found = bestUntried(lists, (values) => tried.has(JSON.stringify(values)));
    if (found) return Object.fromEntries(names.map((n, i) => [n, found[i]!]));
    return this.untriedRandom(space, tried) ?? {};
  }

  /** A random configuration of `space` not in `tried` (enumerated when the space is small and discrete). */
  private untriedRandom(space: Record<string, Distribution>, tried: Set<string>): Record<string, ParamValue> | undefined {
    const names = Object.keys(space);
    const lists = names.map((n) => valuesOf(space[n]!));
    const size = lists.every(Boolean) ? lists.reduce((a, l) => a * l!.length, 1) : Infinity;
    if (size <= 50_000) {
      const untried: ParamValue[][] = [];
      const walk = (i: number, acc: ParamValue[]) => {
        if (i === names.length) {
          if (!tried.has(JSON.stringify(acc))) untried.push([...acc]);
          return;
        }
        for (const v of lists[i]!) walk(i + 1, [...acc, v]);
      };
      walk(0, []);
      if (!untried.length) return undefined;
      const pick = untried[Math.floor(this.rand() * untried.length)]!;
      return Object.fromEntries(names.map((n, i) => [n, pick[i]!]));
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const values = names.map((n) => this.draw(space[n]!, this.rand));
      if (!tried.has(JSON.stringify(values))) return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
    }
    return undefined;
  }

  sampleIndependent(study: Study, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (this.finishedCount(study) < this.nStartup) return this.random.sampleIndependent(study, trial, name, distribution);
    const { l, g } = this.estimators(study, name, distribution);
    const xs = l.sample(this.rand, this.nCandidates);
    const ll = l.logPdf(xs);
    const lg = g.logPdf(xs);
    let best = 0;
    for (let i = 1; i < xs.length; i++) if (ll[i]! - lg[i]! > ll[best]! - lg[best]!) best = i;
    return toExternal(distribution, xs[best]!);
  }
}

/**
 * The combination of one candidate per parameter with the highest total score that `taken` rejects not, found by a
 * best-first walk over the per-parameter lists (each sorted best first); null when every combination is taken or
 * after 5,000 combinations.
 */
export function bestUntried(lists: { value: ParamValue; score: number }[][], taken: (values: ParamValue[]) => boolean): ParamValue[] | null {
  if (lists.some((l) => !l.length)) return null;
  const total = (idx: number[]) => idx.reduce((s, k, p) => s + lists[p]![k]!.score, 0);
  const frontier: { idx: number[]; score: number }[] = [{ idx: lists.map(() => 0), score: total(lists.map(() => 0)) }];
  const seen = new Set<string>([frontier[0]!.idx.join(',')]);
  for (let visited = 0; frontier.length && visited < 5000; visited++) {
    let k = 0;
    for (let i = 1; i < frontier.length; i++) if (frontier[i]!.score > frontier[k]!.score) k = i;
    const [{ idx }] = frontier.splice(k, 1) as [{ idx: number[]; score: number }];
    const values = idx.map((j, p) => lists[p]![j]!.value);
    if (!taken(values)) return values;
    for (let p = 0; p < idx.length; p++) {
      if (idx[p]! + 1 >= lists[p]!.length) continue;
      const next = [...idx];
      next[p]!++;
      const id = next.join(',');
      if (seen.has(id)) continue;
      seen.add(id);
      frontier.push({ idx: next, score: total(next) });
    }
  }
  return null;
}
