/**
 * Optuna's three parameter distributions, with its rules: FloatDistribution (low, high, log or step),
 * IntDistribution (low, high, log or step) and CategoricalDistribution (choices). Samplers work on a parameter's
 * internal representation (a number; a categorical's is the index of its choice), trials keep the external one.
 * Every check that Optuna makes when a distribution is created is made here, with a message that names the
 * parameter, so a bad `suggest…` call fails its trial with a reason the student can act on.
 */
import { pyJson } from './pyjson.ts';

export type Choice = string | number | boolean | null;
export type ParamValue = Choice;

export type Distribution =
  | { kind: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { kind: 'int'; low: number; high: number; log: boolean; step: number }
  | { kind: 'categorical'; choices: Choice[] };

export class SuggestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuggestError';
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The decimal places of a number as written (0.1 → 1, 1e-5 → 5), for exact arithmetic on steps. */
function decimals(x: number): number {
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  const places = (mantissa.split('.')[1] ?? '').length - Number(exponent);
  return Math.max(0, places);
}

/** high lowered to the last point low + k·step that does not exceed it (Optuna's `_adjust_discrete_uniform_high`). */
export function adjustHigh(low: number, high: number, step: number): number {
  const scale = 10 ** Math.min(15, Math.max(decimals(low), decimals(high), decimals(step)));
  const [l, h, s] = [Math.round(low * scale), Math.round(high * scale), Math.round(step * scale)];
  return (Math.floor((h - l) / s) * s + l) / scale;
}

export function floatDistribution(name: string, low: number, high: number, options: { log?: boolean; step?: number | null } = {}): Distribution {
  const log = options.log ?? false;
  const step = options.step ?? null;
  const where = `suggestFloat('${name}', ${low}, ${high})`;
  if (!finite(low) || !finite(high)) throw new SuggestError(`${where}: low and high must be finite numbers`);
  if (log && step !== null) throw new SuggestError(`${where}: step is not supported when log is true (Optuna's rule)`);
  if (low > high) throw new SuggestError(`${where}: low (${low}) must be smaller than or equal to high (${high}), so no value can be drawn`);
  if (log && low <= 0) throw new SuggestError(`${where}: low must be larger than 0 for a log distribution`);
  if (step !== null && !(finite(step) && step > 0)) throw new SuggestError(`${where}: step must be a positive number, got ${step}`);
  return { kind: 'float', low, high: step === null ? high : adjustHigh(low, high, step), log, step };
}

export function intDistribution(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): Distribution {
  const log = options.log ?? false;
  const step = options.step ?? 1;
  const where = `suggestInt('${name}', ${low}, ${high})`;
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new SuggestError(`${where}: low and high must be whole numbers`);
  if (log && step !== 1) throw new SuggestError(`${where}: step must be 1 when log is true (Optuna's rule)`);
  if (low > high) throw new SuggestError(`${where}: low (${low}) must be smaller than or equal to high (${high}), so no value can be drawn`);
  if (log && low < 1) throw new SuggestError(`${where}: low must be at least 1 for a log distribution`);
  if (!Number.isInteger(step) || step <= 0) throw new SuggestError(`${where}: step must be a positive whole number, got ${step}`);
  return { kind: 'int', low, high: Math.floor((high - low) / step) * step + low, log, step };
}

export function categoricalDistribution(name: string, choices: unknown): Distribution {
  const where = `suggestCategorical('${name}', …)`;
  if (!Array.isArray(choices)) throw new SuggestError(`${where}: choices must be an array`);
  if (choices.length === 0) throw new SuggestError(`${where}: choices must contain one or more elements, so no value can be drawn`);
  for (const c of choices) {
    if (!(c === null || typeof c === 'string' || typeof c === 'boolean' || finite(c))) {
      throw new SuggestError(`${where}: every choice must be a string, a finite number, a boolean or null; got ${JSON.stringify(c) ?? String(c)}`);
    }
  }
  return { kind: 'categorical', choices: [...(choices as Choice[])] };
}

export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.findIndex((c) => c === value || (typeof c === 'number' && typeof value === 'number' && Number.isNaN(c) && Number.isNaN(value)));
    if (i < 0) throw new SuggestError(`${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}`);
    return i;
  }
  return Number(value);
}

export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[internal] ?? null;
  if (d.kind === 'int') return Math.trunc(internal);
  return internal;
}

/** Whether an internal value lies in the distribution (on its step grid, when it has one). */
export function contains(d: Distribution, internal: number): boolean {
  if (d.kind === 'categorical') return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  if (!(internal >= d.low && internal <= d.high)) return false;
  if (d.kind === 'int') return (internal - d.low) % d.step === 0;
  if (d.step === null) return true;
  const k = (internal - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/** True when only one value can be drawn. */
export function single(d: Distribution): boolean {
  if (d.kind === 'categorical') return d.choices.length === 1;
  if (d.low === d.high) return true;
  if (d.kind === 'float' && d.step === null) return false;
  if (d.log) return false;
  return d.high - d.low < (d.step ?? 1);
}

/** Every value a discrete distribution can take (categorical, int, or float with a step); null for a continuous one. */
export function valuesOf(d: Distribution): ParamValue[] | null {
  if (d.kind === 'categorical') return [...d.choices];
  if (d.kind === 'float' && d.step === null) return null;
  const step = d.kind === 'int' ? d.step : d.step!;
  const n = Math.round((d.high - d.low) / step) + 1;
  if (n > 10_000) return null;
  const places = Math.min(15, Math.max(decimals(d.low), decimals(step)));
  return Array.from({ length: n }, (_, k) => (d.kind === 'int' ? d.low + k * step : Number((d.low + k * step).toFixed(places))));
}

export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Optuna's `check_distribution_compatibility`: the same kind, and the same choices for a categorical. */
export function checkCompatible(name: string, old: Distribution, next: Distribution): void {
  if (old.kind !== next.kind) throw new SuggestError(`parameter '${name}' was suggested as ${old.kind} before and as ${next.kind} now; a parameter keeps its kind`);
  if (old.kind === 'categorical' && next.kind === 'categorical' && JSON.stringify(old.choices) !== JSON.stringify(next.choices)) {
    throw new SuggestError(`parameter '${name}' was suggested with the choices ${JSON.stringify(old.choices)} before and ${JSON.stringify(next.choices)} now; a categorical parameter keeps its choices`);
  }
}

/** Optuna's `distribution_to_json`: the class name and attributes in Optuna's order, as Python writes them. */
export function distributionToJson(d: Distribution): string {
  if (d.kind === 'categorical') return pyJson({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
  if (d.kind === 'float') return pyJson({ name: 'FloatDistribution', attributes: { step: d.step === null ? null : pyJson.float(d.step), low: pyJson.float(d.low), high: pyJson.float(d.high), log: d.log } });
  return pyJson({ name: 'IntDistribution', attributes: { log: d.log, step: d.step, low: d.low, high: d.high } });
}

/** A short description, e.g. `float [0.001, 1] log`, `int [1, 9] step 2`, `{16, 32, 64}`. */
export function describeDistribution(d: Distribution): string {
  if (d.kind === 'categorical') return `{${d.choices.map((c) => JSON.stringify(c)).join(', ')}}`;
  return `${d.kind} [${d.low}, ${d.high}]${d.log ? ' log' : ''}${d.step !== null && !(d.kind === 'int' && d.step === 1) ? ` step ${d.step}` : ''}`;
}
