/**
 * A small Gaussian-process sampler in the spirit of Optuna's GPSampler (3.6+): every parameter mapped to [0, 1]
 * (log scale for log ranges, half a step wider at each end for stepped ones, one-hot for categoricals), a Matérn 5/2
 * kernel with one length scale per dimension (ARD), the kernel's scale, length scales and noise fitted by maximising
 * the marginal likelihood with weak log-normal priors, and the next point chosen by maximising log expected
 * improvement (random candidates, candidates near the best trials, then a local pattern search). The first trials
 * (10 by default) are random. Meant for tens to a few hundred trials: every fit is O(n³).
 */
import { toExternal, toInternal, type Distribution, type ParamValue } from './distributions.ts';
import { logExpectedImprovement } from './normal.ts';
import { intersectionSearchSpace, RandomSampler, sampleRandom, type RandomDraw } from './samplers.ts';
import type { FrozenTrial, Sampler, Study } from './study.ts';
import { mulberry32 } from '../ml/random.ts';

// ---------------------------------------------------------------------------------------------------------------
// Encoding parameters into the unit cube and back

interface Column {
  name: string;
  distribution: Distribution;
  /** Numeric: the bounds in the transformed space; categorical: the number of one-hot columns. */
  low: number;
  high: number;
  width: number;
}

function columnsOf(space: Record<string, Distribution>): Column[] {
  return Object.entries(space).map(([name, d]) => {
    if (d.kind === 'categorical') return { name, distribution: d, low: 0, high: 1, width: d.choices.length };
    const half = d.kind === 'int' ? d.step / 2 : d.step !== null ? d.step / 2 : 0;
    const t = (x: number) => (d.log ? Math.log(x) : x);
    const [low, high] = d.log && d.kind === 'int' ? [t(d.low - 0.5), t(d.high + 0.5)] : [t(d.low) - half, t(d.high) + half];
    return { name, distribution: d, low, high, width: 1 };
  });
}

function encode(columns: Column[], params: Record<string, ParamValue>): number[] {
  const out: number[] = [];
  for (const c of columns) {
    const d = c.distribution;
    const v = params[c.name]!;
    if (d.kind === 'categorical') {
      const k = toInternal(d, v);
      for (let j = 0; j < c.width; j++) out.push(j === k ? 1 : 0);
    } else {
      const x = d.log ? Math.log(v as number) : (v as number);
      out.push(c.high > c.low ? (x - c.low) / (c.high - c.low) : 0.5);
    }
  }
  return out;
}

function decode(columns: Column[], u: number[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  let i = 0;
  for (const c of columns) {
    const d = c.distribution;
    if (d.kind === 'categorical') {
      let best = 0;
      for (let j = 1; j < c.width; j++) if (u[i + j]! > u[i + best]!) best = j;
      out[c.name] = toExternal(d, best);
    } else {
      const x = c.low + Math.min(1, Math.max(0, u[i]!)) * (c.high - c.low);
      if (d.log) {
        const v = Math.exp(x);
        out[c.name] = d.kind === 'int' ? Math.min(d.high, Math.max(d.low, Math.round(v))) : Math.min(d.high, Math.max(d.low, v));
      } else if (d.kind === 'int' || d.step !== null) {
        const step = d.kind === 'int' ? d.step : d.step!;
        out[c.name] = Math.min(d.high, Math.max(d.low, Math.round((x - d.low) / step) * step + d.low));
      } else out[c.name] = Math.min(d.high, Math.max(d.low, x));
    }
    i += c.width;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Linear algebra (row-major Float64Arrays)

/** Lower-triangular Cholesky factor of a symmetric positive-definite n×n matrix, or null when it is not. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves L·x = b (forward substitution). */
function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Solves Lᵀ·x = b (back substitution). */
function solveUpper(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

// ---------------------------------------------------------------------------------------------------------------
// The Gaussian process

const SQRT5 = Math.sqrt(5);

/** Matérn 5/2 with ARD: scale · (1 + √5·r + 5r²/3) · exp(−√5·r), r the length-scaled distance. */
function matern(a: number[], b: number[], inverseLengths: number[], scale: number): number {
  let r2 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i]! - b[i]!) * inverseLengths[i]!;
    r2 += d * d;
  }
  const r = Math.sqrt(r2);
  return scale * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

interface Hyper {
  logLengths: number[];
  logScale: number;
  logNoise: number;
}

const packed = (h: Hyper) => [...h.logLengths, h.logScale, h.logNoise];
const unpack = (v: number[], d: number): Hyper => ({ logLengths: v.slice(0, d), logScale: v[d]!, logNoise: v[d + 1]! });

/** Weak log-normal priors: length scales around 0.5 of the cube, kernel scale around 1 (y is standardised), little noise. */
function logPrior(h: Hyper): number {
  const ln = (x: number, mu: number, sd: number) => -0.5 * ((x - mu) / sd) ** 2;
  return h.logLengths.reduce((s, l) => s + ln(l, Math.log(0.5), 1), 0) + ln(h.logScale, 0, 1) + ln(h.logNoise, Math.log(1e-3), 2);
}

export interface GaussianProcess {
  predict(x: number[]): { mean: number; sd: number };
  hyper: Hyper;
}

/** Fits the GP to (xs, ys) (ys standardised), maximising the marginal likelihood plus the priors by Nelder–Mead. */
export function fitGp(xs: number[][], ys: number[], start?: Hyper): GaussianProcess {
  const n = xs.length;
  const d = xs[0]?.length ?? 0;
  const build = (h: Hyper) => {
    const inv = h.logLengths.map((l) => Math.exp(-l));
    const scale = Math.exp(h.logScale);
    const noise = Math.exp(h.logNoise) + 1e-8;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = matern(xs[i]!, xs[j]!, inv, scale) + (i === j ? noise : 0);
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    return { l: cholesky(k, n), inv, scale };
  };
  const objective = (v: number[]) => {
    const h = unpack(v, d);
    if (h.logNoise < Math.log(1e-7) || h.logNoise > Math.log(10) || h.logLengths.some((l) => l < Math.log(1e-3) || l > Math.log(100))) return Infinity;
    const { l } = build(h);
    if (!l) return Infinity;
    const alpha = solveLower(l, n, ys);
    let nll = 0;
    for (let i = 0; i < n; i++) nll += 0.5 * alpha[i]! * alpha[i]! + Math.log(l[i * n + i]!);
    return nll - logPrior(h);
  };
  const initial: Hyper = start ?? { logLengths: new Array<number>(d).fill(Math.log(0.5)), logScale: 0, logNoise: Math.log(1e-3) };
  const best = nelderMead(objective, packed(initial), 0.5, 60 * (d + 2));
  const hyper = unpack(best, d);
  let { l, inv, scale } = build(hyper);
  if (!l) ({ l, inv, scale } = build({ ...hyper, logNoise: Math.log(1e-2) }));
  const factor = l!;
  const alpha = solveUpper(factor, n, solveLower(factor, n, ys));
  return {
    hyper,
    predict(x) {
      const kx = xs.map((xi) => matern(x, xi, inv, scale));
      let mean = 0;
      for (let i = 0; i < n; i++) mean += kx[i]! * alpha[i]!;
      const v = solveLower(factor, n, kx);
      let var_ = scale;
      for (let i = 0; i < n; i++) var_ -= v[i]! * v[i]!;
      return { mean, sd: Math.sqrt(Math.max(var_, 1e-12)) };
    },
  };
}

/** Minimises f from x0 with the Nelder–Mead simplex (initial step `step`, at most `maxEvals` evaluations). */
export function nelderMead(f: (x: number[]) => number, x0: number[], step: number, maxEvals: number): number[] {
  const dim = x0.length;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, f: f(x) }));
  let evals = simplex.length;
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i]! - v));
  while (evals < maxEvals) {
    simplex.sort((a, b) => a.f - b.f);
    if (Math.abs(simplex[dim]!.f - simplex[0]!.f) < 1e-7) break;
    const centroid = simplex.slice(0, dim).reduce((c, p) => c.map((v, i) => v + p.x[i]! / dim), new Array<number>(dim).fill(0));
    const worst = simplex[dim]!;
    const reflected = combine(centroid, worst.x, -1);
    const fr = f(reflected);
    evals++;
    if (fr < simplex[0]!.f) {
      const expanded = combine(centroid, worst.x, -2);
      const fe = f(expanded);
      evals++;
      simplex[dim] = fe < fr ? { x: expanded, f: fe } : { x: reflected, f: fr };
    } else if (fr < simplex[dim - 1]!.f) {
      simplex[dim] = { x: reflected, f: fr };
    } else {
      const contracted = combine(centroid, worst.x, fr < worst.f ? -0.5 : 0.5);
      const fc = f(contracted);
      evals++;
      if (fc < Math.min(fr, worst.f)) simplex[dim] = { x: contracted, f: fc };
      else {
        const best = simplex[0]!.x;
        simplex = simplex.map((p, i) => (i === 0 ? p : { x: combine(best, p.x, 0.5), f: f(combine(best, p.x, 0.5)) }));
        evals += dim;
      }
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0]!.x;
}

// ---------------------------------------------------------------------------------------------------------------

export interface GpOptions {
  seed: number;
  nStartupTrials?: number;
  /** Random candidates for the acquisition (besides those near the best trials). */
  candidates?: number;
  draw?: RandomDraw;
}

export class GPSampler implements Sampler {
  readonly name = 'GPSampler';
  private readonly rand: () => number;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly random: RandomSampler;
  private last: Hyper | undefined;

  constructor(options: GpOptions) {
    this.rand = mulberry32(options.seed);
    this.nStartup = options.nStartupTrials ?? 10;
    this.nCandidates = options.candidates ?? 1024;
    this.random = new RandomSampler(options.seed ^ 0x85ebca6b, options.draw ?? sampleRandom);
  }

  inferRelativeSearchSpace(study: Study): Record<string, Distribution> {
    return intersectionSearchSpace(study, ['COMPLETE']);
  }

  sampleRelative(study: Study, _trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const columns = columnsOf(space);
    if (!columns.length) return {};
    const done = study.trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value) && columns.every((c) => Object.hasOwn(t.params, c.name)));
    if (done.length < this.nStartup) return {};
    const sign = study.direction === 'minimize' ? 1 : -1;
    const raw = done.map((t) => sign * t.value!);
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length) || 1;
    const ys = raw.map((v) => (v - mean) / sd);
    const xs = done.map((t) => encode(columns, t.params));
    const gp = fitGp(xs, ys, this.last);
    this.last = gp.hyper;
    const best = Math.min(...ys);
    const score = (u: number[]) => {
      const p = gp.predict(u);
      return logExpectedImprovement(p.mean, p.sd, best);
    };
    const candidates = this.candidates(columns, xs, ys);
    let scored = candidates.map((u) => ({ u, s: score(u) })).sort((a, b) => b.s - a.s);
    scored = scored.slice(0, 3).map((c) => this.refine(columns, c.u, c.s, score));
    scored.sort((a, b) => b.s - a.s);
    return decode(columns, scored[0]!.u);
  }

  private randomPoint(columns: Column[]): number[] {
    const out: number[] = [];
    for (const c of columns) {
      if (c.distribution.kind === 'categorical') {
        const k = Math.floor(this.rand() * c.width);
        for (let j = 0; j < c.width; j++) out.push(j === k ? 1 : 0);
      } else out.push(this.rand());
    }
    return out;
  }

  /** Random points, and points near the five best trials. */
  private candidates(columns: Column[], xs: number[][], ys: number[]): number[][] {
    const out = Array.from({ length: this.nCandidates }, () => this.randomPoint(columns));
    const best = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y).slice(0, 5);
    for (const { i } of best) {
      for (let k = 0; k < 64; k++) {
        const width = 0.02 + 0.2 * this.rand();
        const p = [...xs[i]!];
        let at = 0;
        for (const c of columns) {
          if (c.distribution.kind !== 'categorical') p[at] = Math.min(1, Math.max(0, p[at]! + width * gaussian(this.rand)));
          at += c.width;
        }
        out.push(p);
      }
    }
    return out;
  }

  /** A pattern search from u: each numeric coordinate moved by ±step while it helps, the step halved down to 1e-3. */
  private refine(columns: Column[], u: number[], s: number, score: (u: number[]) => number): { u: number[]; s: number } {
    const numeric: number[] = [];
    let at = 0;
    for (const c of columns) {
      if (c.distribution.kind !== 'categorical') numeric.push(at);
      at += c.width;
    }
    let best = { u, s };
    for (let step = 0.1; step >= 1e-3; step /= 2) {
      let improved = true;
      while (improved) {
        improved = false;
        for (const i of numeric) {
          for (const dir of [-1, 1]) {
            const next = [...best.u];
            next[i] = Math.min(1, Math.max(0, next[i]! + dir * step));
            const ns = score(next);
            if (ns > best.s) {
              best = { u: next, s: ns };
              improved = true;
            }
          }
        }
      }
    }
    return best;
  }

  sampleIndependent(study: Study, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.random.sampleIndependent(study, trial, name, distribution);
  }
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

