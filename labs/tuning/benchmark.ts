/**
 * The tuning lab's tabular benchmark (labs/tuning/data/benchmark.json, made by scripts/tuning-benchmark.mjs): every
 * configuration of the lab's search space trained with several seeds, its validation and test errors after every
 * epoch and its time per epoch. A replay study looks its trials up here instead of training, so it takes
 * milliseconds and gives the same result for the same seed on every machine.
 *
 * A configuration's true error is its validation error at the end of training averaged over the benchmark's seeds and
 * the last TRUTH_EPOCHS epochs (9 measurements): what a search strategy should find, independent of the one lucky
 * or unlucky run a trial happened to see. One run's last epoch alone varies by about 2.5 percentage points between
 * seeds here, more than the 1-point margin the lab's criteria ask for.
 */
import raw from './data/benchmark.json' with { type: 'json' };
import type { MlpConfig } from './config.ts';
import { BENCHMARK_PARAMS, BENCHMARK_SPACE, configAt, configCount, type BenchmarkParam } from './space.ts';

export interface BenchmarkData {
  format: string;
  version: number;
  tfjs: string;
  backend: string;
  model: string;
  data: { train: number; validation: number; test: number; source: string };
  epochs: number;
  seeds: number[];
  space: Record<string, readonly number[]>;
  /** [config index, seed index, validation wrong per epoch, test wrong per epoch, mean ms per epoch]. */
  runs: [number, number, number[], number[], number][];
}

export interface BenchmarkRun {
  validationWrong: number[];
  testWrong: number[];
  msPerEpoch: number;
}

/** The true error averages the last this many epochs of every seed. */
export const TRUTH_EPOCHS = 3;

const sameNumber = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const value = (p: BenchmarkParam, x: number) => (p === 'log10_lr' ? 10 ** x : x);
const fieldOf = (p: BenchmarkParam): keyof MlpConfig => (p === 'log10_lr' ? 'lr' : p);

export class Benchmark {
  readonly data: BenchmarkData;
  private readonly runs: BenchmarkRun[][];
  readonly truths: number[];
  readonly bestTruth: number;

  constructor(data: BenchmarkData) {
    if (data.format !== 'mlops-tuning-benchmark' || data.version !== 1) throw new Error('labs/tuning/data/benchmark.json is not a tuning benchmark of version 1');
    if (JSON.stringify(data.space) !== JSON.stringify(BENCHMARK_SPACE)) throw new Error('the benchmark was measured on another search space than labs/tuning/space.ts describes; run scripts/tuning-benchmark.mjs again');
    this.data = data;
    this.runs = Array.from({ length: configCount() }, () => []);
    for (const [c, s, val, test, ms] of data.runs) this.runs[c]![s] = { validationWrong: val, testWrong: test, msPerEpoch: ms };
    if (this.runs.some((r) => r.length !== data.seeds.length || r.some((x) => !x))) throw new Error('the benchmark misses runs: every configuration needs every seed');
    const last = (r: BenchmarkRun) => r.validationWrong.slice(data.epochs - TRUTH_EPOCHS).reduce((a, b) => a + b, 0);
    this.truths = this.runs.map((rs) => rs.reduce((sum, r) => sum + last(r), 0) / rs.length / TRUTH_EPOCHS / data.data.validation);
    this.bestTruth = Math.min(...this.truths);
  }

  get configs(): number {
    return this.runs.length;
  }
  get epochs(): number {
    return this.data.epochs;
  }
  get seeds(): number {
    return this.data.seeds.length;
  }
  /** Epochs a full grid search trains: every configuration once, for every epoch. */
  get gridEpochs(): number {
    return this.configs * this.epochs;
  }

  run(config: number, seed: number): BenchmarkRun {
    return this.runs[config]![seed]!;
  }

  /** The index of a configuration; throws a message that names the field when the benchmark did not measure it. */
  indexOf(config: MlpConfig): number {
    if (!config || typeof config !== 'object') throw new TypeError('train(config) needs an object { lr, hidden, batch, l2 }');
    let index = 0;
    for (const p of BENCHMARK_PARAMS) {
      const field = fieldOf(p);
      const given = (config as unknown as Record<string, unknown>)[field];
      const options = BENCHMARK_SPACE[p];
      const measured = options.map((x) => value(p, x));
      if (typeof given !== 'number') throw new TypeError(`train(config): config.${field} must be a number (the benchmark measured ${field} = ${measured.map(fmt).join(', ')})`);
      const k = measured.findIndex((m) => sameNumber(m, given));
      if (k < 0) throw new RangeError(`${field} = ${fmt(given)} was not measured by the benchmark, which has ${field} = ${measured.map(fmt).join(', ')}. Suggest one of these values (see the starter), or map yours with nearest('${field}', value)`);
      index = index * options.length + k;
    }
    return index;
  }

  /** The measured value of a field closest to `x` (on a log scale for lr). */
  nearest(field: keyof MlpConfig, x: number): number {
    const p = BENCHMARK_PARAMS.find((q) => fieldOf(q) === field);
    if (!p) throw new RangeError(`nearest('${String(field)}', …): the benchmark's fields are lr, hidden, batch and l2`);
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`nearest('${field}', ${String(x)}): the value must be a finite number`);
    const measured = BENCHMARK_SPACE[p].map((v) => value(p, v));
    const distance = (m: number) => (field === 'lr' ? Math.abs(Math.log10(m) - Math.log10(Math.max(x, 1e-12))) : Math.abs(m - x));
    return measured.reduce((best, m) => (distance(m) < distance(best) ? m : best));
  }

  describe(config: number): string {
    const c = configAt(config);
    return `lr=${fmt(c.lr)} hidden=${c.hidden} batch=${c.batch} l2=${c.l2}`;
  }
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

export const benchmark = new Benchmark(raw as unknown as BenchmarkData);
