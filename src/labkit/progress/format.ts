/**
 * The progress format: what a student has done, as plain JSON.
 *
 * One envelope is used both in localStorage and in exported files:
 *
 *   { "format": "mlops-course-progress", "version": 2, "savedAt"|"exportedAt": ISO, "progress": { … } }
 *
 * Every value that comes from outside this module (localStorage written by another site version, an imported
 * file) goes through `parseEnvelope`, which validates it completely and migrates older versions. Nothing is
 * written anywhere until a value has passed it.
 *
 * Versions:
 * - 1: the pre-release layout: `read` (list of module ids), `quizzes[id] = { score, total, passed, at, answers? }`,
 *      `labs[id] = { at, results: { quantity: number }, met: [criterion id] }`.
 * - 2: the current layout (types below). Migration 1 → 2 keeps everything.
 */

export const PROGRESS_FORMAT = 'mlops-course-progress';
export const PROGRESS_VERSION = 2;
/** A knowledge check is passed with at least this share of questions right (80%: 4 of 5, 8 of 10). */
export const PASS_RATIO = 0.8;
/** Attempts kept per knowledge check (the best score and the first pass are kept even when older ones drop). */
export const MAX_ATTEMPTS = 20;
/** Imported files larger than this are refused before parsing. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ReadingRecord {
  /** When the reading was first marked as read (ISO 8601). */
  readAt: string;
}

export interface QuizAttempt {
  at: string;
  /** Per question, the indices of the options the student selected. */
  answers: number[][];
  /** Per question, whether it was answered right. */
  correct: boolean[];
  score: number;
  total: number;
  passed: boolean;
}

export interface QuizRecord {
  /** Most recent last; at most MAX_ATTEMPTS. */
  attempts: QuizAttempt[];
  best: { score: number; total: number };
  /** First time the check was passed. */
  passedAt?: string;
}

export interface Measurement {
  value: number;
  unit?: string;
  at: string;
}

export interface CriterionRecord {
  met: boolean;
  at: string;
}

export interface LabRecord {
  updatedAt: string;
  /** Measured quantities, by the quantity names the lab's criteria use. */
  results: Record<string, Measurement>;
  /** The last evaluation of each criterion that could be evaluated (absent = not measured yet). */
  criteria: Record<string, CriterionRecord>;
  /** Lab-specific JSON the lab needs to restore its workspace after a reload (e.g. a table of variants). */
  state?: JsonValue;
  stateAt?: string;
  /** Set when this record came in through an import: its results were not measured in this browser. */
  importedAt?: string;
  /** Restored state the lab could not read, kept so the student can download it (see LabSession). */
  setAside?: SetAside;
}

export interface SetAside {
  at: string;
  /** Why the lab could not read it, naming the field. */
  message: string;
  state: JsonValue;
}

export interface Progress {
  readings: Record<string, ReadingRecord>;
  quizzes: Record<string, QuizRecord>;
  labs: Record<string, LabRecord>;
}

export interface Envelope {
  format: typeof PROGRESS_FORMAT;
  version: typeof PROGRESS_VERSION;
  savedAt?: string;
  exportedAt?: string;
  progress: Progress;
}

export function emptyProgress(): Progress {
  return { readings: {}, quizzes: {}, labs: {} };
}

/** Raised for anything that is not a valid progress value; the message is meant for the student. */
export class ProgressFormatError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-json' | 'foreign' | 'newer' | 'invalid' | 'too-large',
  ) {
    super(message);
    this.name = 'ProgressFormatError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Validation helpers

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function invalid(path: string, what: string): never {
  throw new ProgressFormatError(`The file is damaged: ${path} ${what}.`, 'invalid');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) invalid(path, 'should be an object');
  return value;
}

function array(value: unknown, path: string, max = 10_000): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'should be a list');
  if (value.length > max) invalid(path, `has more than ${max} entries`);
  return value;
}

function date(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length > 40 || Number.isNaN(Date.parse(value))) invalid(path, 'should be a date');
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(path, 'should be a number');
  return value;
}

function count(value: unknown, path: string): number {
  const n = finite(value, path);
  if (!Number.isInteger(n) || n < 0 || n > 1000) invalid(path, 'should be a whole number from 0 to 1000');
  return n;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') invalid(path, 'should be true or false');
  return value;
}

function text(value: unknown, path: string, max = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) invalid(path, 'should be a short text');
  return value;
}

/** Validates the keys of a record and maps its values; the result has no prototype tricks. */
function record<T>(value: unknown, path: string, key: 'id' | 'name', each: (v: unknown, p: string) => T): Record<string, T> {
  const source = object(value, path);
  const out: Record<string, T> = {};
  const keys = Object.keys(source);
  if (keys.length > 1000) invalid(path, 'has too many entries');
  for (const k of keys) {
    if (FORBIDDEN_KEYS.has(k)) invalid(path, `has a forbidden key "${k}"`);
    if (key === 'id' ? !ID.test(k) || k.length > 80 : k.length === 0 || k.length > 200) invalid(`${path}`, `has a bad key "${k.slice(0, 40)}"`);
    out[k] = each(source[k], `${path}.${k}`);
  }
  return out;
}

function json(value: unknown, path: string, depth = 0): JsonValue {
  if (depth > 32) invalid(path, 'is nested too deeply');
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return finite(value, path);
  if (Array.isArray(value)) return value.map((v, i) => json(v, `${path}[${i}]`, depth + 1));
  if (isObject(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const k of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(k)) invalid(path, `has a forbidden key "${k}"`);
      out[k] = json(value[k], `${path}.${k}`, depth + 1);
    }
    return out;
  }
  invalid(path, 'is not plain data');
}

// ---------------------------------------------------------------------------------------------------------------
// Version 2 (current)

function attempt(value: unknown, path: string): QuizAttempt {
  const a = object(value, path);
  const answers = array(a.answers, `${path}.answers`, 100).map((q, i) =>
    array(q, `${path}.answers[${i}]`, 20).map((o, j) => count(o, `${path}.answers[${i}][${j}]`)),
  );
  const correct = array(a.correct, `${path}.correct`, 100).map((c, i) => bool(c, `${path}.correct[${i}]`));
  const score = count(a.score, `${path}.score`);
  const total = count(a.total, `${path}.total`);
  if (total === 0 || score > total) invalid(path, 'has a score that does not fit its total');
  const passed = bool(a.passed, `${path}.passed`);
  if (passed !== isPassed(score, total)) invalid(`${path}.passed`, `does not fit a score of ${score} of ${total}`);
  if (correct.length && (correct.length !== total || correct.filter(Boolean).length !== score)) invalid(`${path}.correct`, 'does not fit the score');
  return { at: date(a.at, `${path}.at`), answers, correct, score, total, passed };
}

function quiz(value: unknown, path: string): QuizRecord {
  const q = object(value, path);
  const attempts = array(q.attempts, `${path}.attempts`, MAX_ATTEMPTS * 10).map((a, i) => attempt(a, `${path}.attempts[${i}]`));
  const best = object(q.best, `${path}.best`);
  const score = count(best.score, `${path}.best.score`);
  const total = count(best.total, `${path}.best.total`);
  if (total === 0 || score > total) invalid(`${path}.best`, 'has a score that does not fit its total');
  const out: QuizRecord = { attempts: attempts.slice(-MAX_ATTEMPTS), best: { score, total } };
  if (q.passedAt !== undefined) out.passedAt = date(q.passedAt, `${path}.passedAt`);
  return out;
}

function lab(value: unknown, path: string): LabRecord {
  const l = object(value, path);
  const out: LabRecord = {
    updatedAt: date(l.updatedAt, `${path}.updatedAt`),
    results: record(l.results, `${path}.results`, 'name', (m, p) => {
      const o = object(m, p);
      const measurement: Measurement = { value: finite(o.value, `${p}.value`), at: date(o.at, `${p}.at`) };
      if (o.unit !== undefined) measurement.unit = text(o.unit, `${p}.unit`, 40);
      return measurement;
    }),
    criteria: record(l.criteria, `${path}.criteria`, 'id', (c, p) => {
      const o = object(c, p);
      return { met: bool(o.met, `${p}.met`), at: date(o.at, `${p}.at`) };
    }),
  };
  if (l.state !== undefined) {
    out.state = json(l.state, `${path}.state`);
    out.stateAt = date(l.stateAt ?? l.updatedAt, `${path}.stateAt`);
  }
  if (l.importedAt !== undefined) out.importedAt = date(l.importedAt, `${path}.importedAt`);
  if (l.setAside !== undefined) {
    const a = object(l.setAside, `${path}.setAside`);
    out.setAside = { at: date(a.at, `${path}.setAside.at`), message: text(a.message, `${path}.setAside.message`, 2000), state: json(a.state, `${path}.setAside.state`) };
  }
  return out;
}

const reading = (r: unknown, path: string): ReadingRecord => ({ readAt: date(object(r, path).readAt, `${path}.readAt`) });

function progressV2(value: unknown): Progress {
  const p = object(value, 'progress');
  return {
    readings: record(p.readings ?? {}, 'progress.readings', 'id', reading),
    quizzes: record(p.quizzes ?? {}, 'progress.quizzes', 'id', quiz),
    labs: record(p.labs ?? {}, 'progress.labs', 'id', lab),
  };
}

/**
 * What can be kept of a damaged current-version envelope: every reading, knowledge check and lab record that is
 * valid on its own. `dropped` names what could not be read. Throws when not even the envelope is usable.
 */
export function salvageEnvelope(source: string): { progress: Progress; dropped: string[] } {
  const value = JSON.parse(source) as unknown;
  if (!isObject(value) || value.format !== PROGRESS_FORMAT || value.version !== PROGRESS_VERSION) throw new Error('not a current progress envelope');
  const p = object(value.progress, 'progress');
  const dropped: string[] = [];
  const keep = <T>(section: unknown, path: string, each: (v: unknown, p: string) => T): Record<string, T> => {
    const out: Record<string, T> = {};
    if (!isObject(section)) return out;
    for (const k of Object.keys(section)) {
      if (FORBIDDEN_KEYS.has(k) || !ID.test(k)) continue;
      try {
        out[k] = each(section[k], `${path}.${k}`);
      } catch (error) {
        dropped.push(error instanceof ProgressFormatError ? error.message : `${path}.${k}`);
      }
    }
    return out;
  };
  return {
    progress: { readings: keep(p.readings, 'progress.readings', reading), quizzes: keep(p.quizzes, 'progress.quizzes', quiz), labs: keep(p.labs, 'progress.labs', lab) },
    dropped,
  };
}

/** Every date a progress value holds, latest first: imports refuse dates in the future. */
export function latestDate(progress: Progress): number {
  let latest = -Infinity;
  const see = (d: string | undefined) => {
    if (d) latest = Math.max(latest, Date.parse(d));
  };
  for (const r of Object.values(progress.readings)) see(r.readAt);
  for (const q of Object.values(progress.quizzes)) {
    see(q.passedAt);
    for (const a of q.attempts) see(a.at);
  }
  for (const l of Object.values(progress.labs)) {
    see(l.updatedAt);
    see(l.stateAt);
    for (const m of Object.values(l.results)) see(m.at);
    for (const c of Object.values(l.criteria)) see(c.at);
  }
  return latest;
}

// ---------------------------------------------------------------------------------------------------------------
// Version 1 (pre-release) and its migration

function progressV1(value: unknown): Progress {
  const p = object(value, 'progress');
  const out = emptyProgress();
  const fallback = new Date(0).toISOString();
  for (const [i, id] of array(p.read ?? [], 'progress.read', 1000).entries()) {
    const moduleId = text(id, `progress.read[${i}]`, 80);
    if (!ID.test(moduleId)) invalid(`progress.read[${i}]`, 'is not a module id');
    out.readings[moduleId] = { readAt: fallback };
  }
  out.quizzes = record(p.quizzes ?? {}, 'progress.quizzes', 'id', (q, path) => {
    const o = object(q, path);
    const score = count(o.score, `${path}.score`);
    const total = count(o.total, `${path}.total`);
    if (total === 0 || score > total) invalid(path, 'has a score that does not fit its total');
    const at = o.at === undefined ? fallback : date(o.at, `${path}.at`);
    const passed = bool(o.passed, `${path}.passed`);
    const answers =
      o.answers === undefined
        ? []
        : array(o.answers, `${path}.answers`, 100).map((a, i) =>
            array(a, `${path}.answers[${i}]`, 20).map((n, j) => count(n, `${path}.answers[${i}][${j}]`)),
          );
    const record: QuizRecord = { attempts: [{ at, answers, correct: [], score, total, passed }], best: { score, total } };
    if (passed) record.passedAt = at;
    return record;
  });
  out.labs = record(p.labs ?? {}, 'progress.labs', 'id', (l, path) => {
    const o = object(l, path);
    const at = o.at === undefined ? fallback : date(o.at, `${path}.at`);
    const results = record(o.results ?? {}, `${path}.results`, 'name', (v, p2) => ({ value: finite(v, p2), at }));
    const met = new Set(array(o.met ?? [], `${path}.met`, 1000).map((c, i) => text(c, `${path}.met[${i}]`, 80)));
    const criteria: Record<string, CriterionRecord> = {};
    for (const id of met) {
      if (!ID.test(id) || FORBIDDEN_KEYS.has(id)) invalid(`${path}.met`, `has a bad criterion id "${id.slice(0, 40)}"`);
      criteria[id] = { met: true, at };
    }
    return { updatedAt: at, results, criteria };
  });
  return out;
}

const migrations: Record<number, (progress: unknown) => Progress> = {
  1: progressV1,
  2: progressV2,
};

/** Validates an envelope (already JSON-parsed) of any known version and returns current-version progress. */
export function readEnvelope(value: unknown): Progress {
  if (!isObject(value) || value.format !== PROGRESS_FORMAT) {
    throw new ProgressFormatError(
      'This is not a progress file from this course: it does not say "format": "mlops-course-progress".',
      'foreign',
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProgressFormatError('The file is damaged: it has no valid format version.', 'invalid');
  }
  if (version > PROGRESS_VERSION) {
    throw new ProgressFormatError(
      `This progress file was made by a newer version of the course site (format version ${version}; this page reads up to ${PROGRESS_VERSION}). Reload the page to get the newest site, then try again.`,
      'newer',
    );
  }
  const migrate = migrations[version];
  if (!migrate) throw new ProgressFormatError(`Format version ${version} is not supported.`, 'invalid');
  return migrate(value.progress);
}

/** Parses and validates the text of a stored value or an imported file. Throws ProgressFormatError. */
export function parseEnvelope(source: string): Progress {
  if (source.length > MAX_FILE_BYTES) {
    throw new ProgressFormatError('The file is too large to be a progress file (over 5 MB).', 'too-large');
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw new ProgressFormatError('The file is not valid JSON, so it cannot be a progress file. Was it changed or cut short?', 'not-json');
  }
  return readEnvelope(value);
}

export function envelope(progress: Progress, stamp: { savedAt?: string; exportedAt?: string }): Envelope {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, ...stamp, progress };
}

// ---------------------------------------------------------------------------------------------------------------
// Merging

const later = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a);
const earlier = (a: string, b: string) => (Date.parse(b) < Date.parse(a) ? b : a);

function betterScore(a: QuizRecord['best'], b: QuizRecord['best']) {
  return b.score / b.total > a.score / a.total ? b : a;
}

function mergeQuiz(a: QuizRecord, b: QuizRecord): QuizRecord {
  const seen = new Map<string, QuizAttempt>();
  for (const attempt of [...a.attempts, ...b.attempts]) seen.set(`${attempt.at}|${attempt.score}|${JSON.stringify(attempt.answers)}`, attempt);
  const attempts = [...seen.values()].sort((x, y) => Date.parse(x.at) - Date.parse(y.at)).slice(-MAX_ATTEMPTS);
  const out: QuizRecord = { attempts, best: betterScore(a.best, b.best) };
  const passedAt = a.passedAt && b.passedAt ? earlier(a.passedAt, b.passedAt) : (a.passedAt ?? b.passedAt);
  if (passedAt) out.passedAt = passedAt;
  return out;
}

function mergeByTime<T extends { at: string }>(a: Record<string, T>, b: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = out[k];
    out[k] = !mine || Date.parse(v.at) > Date.parse(mine.at) ? v : mine;
  }
  return out;
}

function mergeLab(a: LabRecord, b: LabRecord): LabRecord {
  const out: LabRecord = {
    updatedAt: later(a.updatedAt, b.updatedAt),
    results: mergeByTime(a.results, b.results),
    criteria: mergeByTime(a.criteria, b.criteria),
  };
  const newer = a.state === undefined ? b : b.state === undefined ? a : Date.parse(b.stateAt ?? '') > Date.parse(a.stateAt ?? '') ? b : a;
  if (newer.state !== undefined) {
    out.state = newer.state;
    out.stateAt = newer.stateAt ?? newer.updatedAt;
    if (newer.importedAt) out.importedAt = newer.importedAt;
  }
  const setAside = a.setAside && b.setAside ? (Date.parse(b.setAside.at) > Date.parse(a.setAside.at) ? b.setAside : a.setAside) : (a.setAside ?? b.setAside);
  if (setAside) out.setAside = setAside;
  return out;
}

function mergeRecords<T>(a: Record<string, T>, b: Record<string, T>, both: (x: T, y: T) => T): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? both(out[k]!, v) : v;
  return out;
}

/**
 * Combines two progress values without losing anything either holds:
 * readings keep the first read date; knowledge checks keep all attempts (newest MAX_ATTEMPTS), the best score and
 * the first pass; labs keep, per measured quantity, per criterion and for the lab's own state, the most recent value.
 */
export function mergeProgress(a: Progress, b: Progress): Progress {
  return {
    readings: mergeRecords(a.readings, b.readings, (x, y) => ({ readAt: earlier(x.readAt, y.readAt) })),
    quizzes: mergeRecords(a.quizzes, b.quizzes, mergeQuiz),
    labs: mergeRecords(a.labs, b.labs, mergeLab),
  };
}

/** A deep copy through JSON: progress is plain data by construction. */
export function cloneProgress(progress: Progress): Progress {
  return JSON.parse(JSON.stringify(progress)) as Progress;
}

export function isPassed(score: number, total: number): boolean {
  return total > 0 && score / total >= PASS_RATIO - 1e-9;
}
