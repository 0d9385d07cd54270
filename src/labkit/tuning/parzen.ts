/**
 * Optuna's univariate Parzen estimator (`optuna/samplers/_tpe/parzen_estimator.py`, 3.1): a weighted mixture of one
 * truncated normal per observation plus a wide "prior" component, in the parameter's internal space (log space for
 * a log range; half a step wider at each end for a stepped one). Bandwidths follow the "sorted neighbours" rule:
 * each component is as wide as the larger gap to its neighbours, clipped between (high − low)/min(100, n + 1) and
 * high − low ("magic clip"). A categorical parameter gets a smoothed histogram instead. TPE fits one estimator to the
 * good trials, l(x), one to the rest, g(x), and picks the candidate with the largest log l(x) − log g(x).
 */
import type { Distribution } from './distributions.ts';
import { logAddExp, logGaussMass, truncnormLogPdf, truncnormSample } from './normal.ts';

export interface ParzenParameters {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** Observation weights from the number of observations (older observations weigh less past 25). */
  weights: (n: number) => number[];
}

/** Optuna's `default_weights`: all 1 below 25 observations; beyond, a ramp up to 1 for all but the latest 25. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const rampLength = n - 25;
  const ramp = Array.from({ length: rampLength }, (_, i) => (rampLength === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (rampLength - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

export const DEFAULT_PARZEN: ParzenParameters = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights };

/** Optuna's `default_gamma`: how many observations count as good, min(⌈0.1·n⌉, 25). */
export const defaultGamma = (n: number) => Math.min(Math.ceil(0.1 * n - 1e-12), 25);

export class ParzenEstimator {
  readonly weights: number[];
  /** Numerical parameters: the bounds in the internal space and the step (null when continuous). */
  readonly low: number;
  readonly high: number;
  readonly q: number | null;
  readonly mus: number[] = [];
  readonly sigmas: number[] = [];
  /** Categorical parameters: one probability row per component. */
  readonly categorical: number[][] = [];
  private readonly distribution: Distribution;

  /** `observations` are internal values (a categorical's choice index; a log parameter's value, not its log). */
  constructor(observations: number[], distribution: Distribution, parameters: ParzenParameters = DEFAULT_PARZEN) {
    this.distribution = distribution;
    const n = observations.length;
    const considerPrior = parameters.considerPrior || n === 0;
    const w = parameters.weights(n).slice(0, n);
    const raw = considerPrior ? [...w, parameters.priorWeight] : w;
    const total = raw.reduce((a, b) => a + b, 0);
    this.weights = raw.map((x) => x / total);

    if (distribution.kind === 'categorical') {
      this.low = this.high = NaN;
      this.q = null;
      const k = distribution.choices.length;
      const rows = considerPrior ? n + 1 : n;
      const fill = considerPrior ? parameters.priorWeight / (n + 1) : parameters.priorWeight / n;
      for (let i = 0; i < rows; i++) {
        const row = new Array<number>(k).fill(fill);
        if (i < n) row[observations[i]!]! += 1;
        const sum = row.reduce((a, b) => a + b, 0);
        this.categorical.push(row.map((x) => x / sum));
      }
      return;
    }

    [this.low, this.high, this.q] = parzenBounds(distribution);
    const mus = observations.map((x) => (distribution.log ? Math.log(x) : x));
    const { low, high } = this;
    if (considerPrior) mus.push(0.5 * (low + high));
    // Sorted neighbours: each bandwidth is the larger gap to the next observation on either side.
    const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
    const sorted = [low, ...order.map((i) => mus[i]!), high];
    const sortedSigmas = order.map((_, j) => Math.max(sorted[j + 1]! - sorted[j]!, sorted[j + 2]! - sorted[j + 1]!));
    if (!parameters.considerEndpoints && sorted.length >= 4) {
      sortedSigmas[0] = sorted[2]! - sorted[1]!;
      sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
    }
    const sigmas = new Array<number>(mus.length);
    order.forEach((i, j) => (sigmas[i] = sortedSigmas[j]!));
    const maxSigma = high - low;
    const minSigma = parameters.considerMagicClip ? (high - low) / Math.min(100, 1 + mus.length) : 1e-12;
    for (let i = 0; i < sigmas.length; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
    if (considerPrior) sigmas[n] = high - low;
    this.mus = mus;
    this.sigmas = sigmas;
  }

  private pick(rand: () => number, weights: number[]): number {
    const u = rand();
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += weights[i]!;
      if (u < acc) return i;
    }
    return weights.length - 1;
  }

  /** `size` internal values drawn from the mixture. */
  sample(rand: () => number, size: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < size; s++) {
      const c = this.pick(rand, this.weights);
      if (this.distribution.kind === 'categorical') {
        out.push(this.pick(rand, this.categorical[c]!));
        continue;
      }
      const x = truncnormSample(rand(), this.low, this.high, this.mus[c]!, this.sigmas[c]!);
      out.push(this.fromInternalSpace(x));
    }
    return out;
  }

  /** Back from the estimator's space: exp for a log range, rounded to the step and clipped for a stepped one. */
  private fromInternalSpace(x: number): number {
    const d = this.distribution;
    if (d.kind === 'categorical') return x;
    if (d.log) return d.kind === 'int' ? Math.min(d.high, Math.max(d.low, Math.round(Math.exp(x)))) : Math.exp(x);
    if (this.q === null) return x;
    return Math.min(d.high, Math.max(d.low, Math.round((x - d.low) / this.q) * this.q + d.low));
  }

  /** log of the mixture's density (probability, for discrete parameters) at each internal value. */
  logPdf(xs: number[]): number[] {
    const d = this.distribution;
    if (d.kind === 'categorical') {
      return xs.map((x) => Math.log(this.weights.reduce((sum, w, i) => sum + w * this.categorical[i]![x]!, 0)));
    }
    const logW = this.weights.map(Math.log);
    return xs.map((raw) => {
      const x = d.log ? Math.log(raw) : raw;
      let total = -Infinity;
      for (let i = 0; i < this.mus.length; i++) {
        const mu = this.mus[i]!;
        const sigma = this.sigmas[i]!;
        let lp: number;
        if (this.q === null) lp = truncnormLogPdf(x, this.low, this.high, mu, sigma);
        else {
          const upper = Math.min(x + this.q / 2, this.high);
          const lower = Math.max(x - this.q / 2, this.low);
          lp = logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - logGaussMass((this.low - mu) / sigma, (this.high - mu) / sigma);
        }
        total = logAddExp(total, lp + logW[i]!);
      }
      return total;
    });
  }
}

/** The estimator's bounds and step in its internal space (Optuna's `_calculate_parzen_bounds`). */
export function parzenBounds(d: Distribution): [number, number, number | null] {
  if (d.kind === 'float') {
    if (d.log) return [Math.log(d.low), Math.log(d.high), null];
    if (d.step !== null) return [d.low - 0.5 * d.step, d.high + 0.5 * d.step, d.step];
    return [d.low, d.high, null];
  }
  if (d.kind === 'int') {
    if (d.log) return [Math.log(d.low - 0.5), Math.log(d.high + 0.5), null];
    return [d.low - 0.5 * d.step, d.high + 0.5 * d.step, d.step];
  }
  throw new Error('a categorical parameter has no numeric bounds');
}
