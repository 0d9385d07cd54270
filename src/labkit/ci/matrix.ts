/**
 * `strategy.matrix` expanded as GitHub does (its MatrixBuilder, and the documentation's include/exclude rules):
 *
 * 1. the cross product of the vectors, in the order the keys are written (the last key varies fastest);
 * 2. a combination is left out when every leaf of some `exclude` entry equals it (a partial match is enough);
 * 3. each `include` entry is split into its filter (keys that are vectors) and its extra values (other keys); it
 *    adds its extra values to every original combination its filter matches, later entries overwriting values that
 *    earlier entries added, never the original values;
 * 4. an `include` entry that matched no original combination becomes a combination of its own, after the others.
 *
 * Values compare as the expression language's `==` does (strings without regard to case, numbers and strings by
 * number). A matrix may produce at most 256 jobs.
 */
import { data } from '@actions/expressions';
import { equals } from '@actions/expressions/result';
import { toData, type Json } from './expressions.ts';

export const MAX_MATRIX_JOBS = 256;

/** Where a combination came from, as a matrix view shows it. */
export type MatrixOrigin = 'product' | 'extended' | 'added';

export interface MatrixCombination {
  /** The `matrix` context of the job. */
  matrix: Record<string, Json>;
  /** The values that name the job: `train (1, fast)`. */
  segments: string[];
  origin: MatrixOrigin;
}

export class MatrixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatrixError';
  }
}

type Leaf = { path: (string | number)[]; value: Json };

function leaves(value: Json, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

function at(matrix: data.ExpressionData, path: (string | number)[]): data.ExpressionData {
  let current: data.ExpressionData | undefined = matrix;
  for (const step of path) {
    if (!current) return new data.Null();
    if (typeof step === 'number') current = current.kind === data.Kind.Array ? (current as data.Array).get(step) : undefined;
    else current = current.kind === data.Kind.Dictionary ? (current as data.Dictionary).get(step) : undefined;
  }
  return current ?? new data.Null();
}

/** Whether every leaf of the filter equals the combination's value at the same place. */
function matches(filter: Leaf[], combination: Record<string, Json>): boolean {
  const matrix = toData(combination);
  return filter.every((leaf) => equals(at(matrix, leaf.path), toData(leaf.value)));
}

function segmentsOf(values: Json[]): string[] {
  const out: string[] = [];
  const visit = (v: Json) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
    else if (v !== null) {
      const text = toData(v).coerceString();
      if (text) out.push(text);
    }
  };
  values.forEach(visit);
  return out;
}

const isObject = (v: Json | undefined): v is Record<string, Json> => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** The job's combinations; throws MatrixError with GitHub's reason when the matrix cannot be expanded. */
export function expandMatrix(matrix: Json): MatrixCombination[] {
  if (!isObject(matrix)) throw new MatrixError('The matrix must be a mapping of vectors (and include/exclude lists).');
  const vectors: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') continue;
    if (!Array.isArray(value)) throw new MatrixError(`Matrix vector '${key}' must be a list of values.`);
    if (!value.length) throw new MatrixError(`Matrix vector '${key}' does not contain any values.`);
    vectors.push([key, value]);
  }
  const isVector = (key: string) => vectors.some(([k]) => k.toLowerCase() === key.toLowerCase());
  const list = (name: 'include' | 'exclude'): Record<string, Json>[] => {
    const value = matrix[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isObject)) throw new MatrixError(`Matrix ${name} must be a list of mappings.`);
    return value as Record<string, Json>[];
  };

  const excludes = list('exclude').map((entry) => {
    if (!Object.keys(entry).length) throw new MatrixError('Matrix exclude filter must not be empty.');
    for (const key of Object.keys(entry)) if (!isVector(key)) throw new MatrixError(`Matrix exclude key '${key}' does not match any key within the matrix.`);
    return leaves(entry);
  });
  const includes = list('include').map((entry) => {
    if (!Object.keys(entry).length) throw new MatrixError('Matrix include mapping does not contain any values.');
    const filter: Record<string, Json> = {};
    const extra: Record<string, Json> = {};
    for (const [key, value] of Object.entries(entry)) (isVector(key) ? filter : extra)[key] = value;
    return { filter, extra, leaves: leaves(filter), matched: false };
  });
  if (!vectors.length && !includes.length) throw new MatrixError('The matrix must define at least one vector or include entry.');

  const size = vectors.length ? vectors.reduce((n, [, v]) => n * v.length, 1) : 0;
  const out: MatrixCombination[] = [];
  for (let index = 0; index < size && out.length <= MAX_MATRIX_JOBS; index += 1) {
    const combination: Record<string, Json> = {};
    let block = size;
    for (const [key, vector] of vectors) {
      block /= vector.length;
      combination[key] = vector[Math.floor(index / block) % vector.length]!;
    }
    if (excludes.some((filter) => matches(filter, combination))) continue;
    const segments = segmentsOf(Object.values(combination));
    const extra: Record<string, Json> = {};
    for (const include of includes) {
      if (!matches(include.leaves, combination)) continue;
      include.matched = true;
      Object.assign(extra, include.extra);
    }
    out.push({ matrix: { ...combination, ...extra }, segments, origin: Object.keys(extra).length ? 'extended' : 'product' });
  }
  for (const include of includes) {
    if (include.matched) continue;
    const combination = { ...include.filter, ...include.extra };
    out.push({ matrix: combination, segments: segmentsOf(Object.values(combination)), origin: 'added' });
  }
  if (out.length > MAX_MATRIX_JOBS) {
    throw new MatrixError(`The matrix would create more than ${MAX_MATRIX_JOBS} jobs (its vectors alone make ${size} combinations); a matrix may create at most ${MAX_MATRIX_JOBS} jobs per workflow run.`);
  }
  return out;
}
