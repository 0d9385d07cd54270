/**
 * Coding exercises: a lab asks the student to write one function (a quantizer, a magnitude mask, a confidence
 * interval, a drift statistic, an objective...), tests it against the lab's reference implementation, shows which
 * cases fail and why, and then uses the student's own function for the rest of the lab.
 *
 * An exercise lives in `labs/<lab>/exercises/<id>/` as three ES modules, so Node runs them as they are:
 *   starter.mjs    what the student starts from (exports the function, unfinished)
 *   reference.mjs  the lab's implementation (exports the same name)
 *   tests.mjs      `export default [{ name, run(student, reference, t) }]`: each case calls both and compares with t
 * In the page the student's code runs in a worker of its own (exercise-worker.ts) with a time limit and no network;
 * the reference and the tests are shown once the student has made an honest attempt (`canReveal`), like a solution.
 */

export interface ExerciseSpec {
  id: string;
  title: string;
  /** The file name the editor shows, e.g. `quantize.mjs`. */
  file: string;
  /** The function the student's module must export. */
  exportName: string;
  /** What to write, for the student (plain text with `code` spans). */
  brief: string;
  starter: string;
  reference: string;
  tests: string;
}

export interface CaseResult {
  name: string;
  passed: boolean;
  /** Why it failed, for the student. */
  message?: string;
}

export interface ExerciseRun {
  /** When the run happened (ISO). */
  at: string;
  cases: CaseResult[];
  /** The module did not load or the run was stopped (syntax error, missing export, time limit). */
  error?: string;
}

/** What a lab keeps of each exercise: the student's code and their last run. */
export interface ExerciseRecord {
  source: string;
  runs: number;
  last?: ExerciseRun;
  /** Whether the lab uses the student's function (only while every case passes). */
  use: boolean;
}

export const passedAll = (run: ExerciseRun | undefined) => !!run && !run.error && run.cases.length > 0 && run.cases.every((c) => c.passed);

/**
 * The student's functions a lab runs instead of its references: by export name, the source of every exercise the
 * student switched on whose last run passed every case.
 */
export function codeInUse(exercises: readonly Pick<ExerciseSpec, 'id' | 'exportName'>[], records: Record<string, ExerciseRecord | undefined>): Record<string, string> {
  return Object.fromEntries(
    exercises.flatMap((ex) => {
      const r = records[ex.id];
      return r?.use && passedAll(r.last) ? [[ex.exportName, r.source]] : [];
    }),
  );
}

/** The reference and tests are shown after at least one run of code that is not the starter. */
export function canReveal(spec: ExerciseSpec, record: ExerciseRecord | undefined): boolean {
  return !!record && record.runs > 0 && record.source.trim() !== spec.starter.trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Assertions the tests use (passed as `t`): each throws an Error with a message a student can act on.

export class CaseFailure extends Error {}

function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = Array.from(v as unknown as ArrayLike<number>);
    return `${v.constructor.name}(${a.length}) [${a.slice(0, 8).join(', ')}${a.length > 8 ? ', …' : ''}]`;
  }
  try {
    const text = JSON.stringify(v);
    return text === undefined ? String(v) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(v);
  }
}

export const assertions = {
  ok(condition: unknown, what: string): void {
    if (!condition) throw new CaseFailure(what);
  },
  equal(actual: unknown, expected: unknown, what: string): void {
    if (!Object.is(actual, expected)) throw new CaseFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  },
  close(actual: unknown, expected: number, tolerance: number, what: string): void {
    if (typeof actual !== 'number' || !Number.isFinite(actual) || Math.abs(actual - expected) > tolerance) {
      throw new CaseFailure(`${what}: expected ${show(expected)} (± ${tolerance}), got ${show(actual)}`);
    }
  },
  /** Element by element, for arrays and typed arrays (`tolerance` 0: exactly equal). */
  items(actual: unknown, expected: ArrayLike<number>, what: string, tolerance = 0): void {
    if (!actual || typeof (actual as ArrayLike<number>).length !== 'number') throw new CaseFailure(`${what}: expected a list of ${expected.length} numbers, got ${show(actual)}`);
    const a = actual as ArrayLike<number>;
    if (a.length !== expected.length) throw new CaseFailure(`${what}: expected ${expected.length} values, got ${a.length}`);
    for (let i = 0; i < a.length; i++) {
      const ok = tolerance === 0 ? Object.is(a[i], expected[i]) || a[i] === expected[i] : Math.abs(a[i]! - expected[i]!) <= tolerance;
      if (!ok) throw new CaseFailure(`${what}: at index ${i} expected ${show(expected[i])}, got ${show(a[i])}`);
    }
  },
  async throws(run: () => unknown, what: string): Promise<void> {
    try {
      await run();
    } catch {
      return;
    }
    throw new CaseFailure(`${what}: expected an error, but none was thrown`);
  },
};
export type Assertions = typeof assertions;

export interface TestCase {
  name: string;
  run(student: (...args: never[]) => unknown, reference: (...args: never[]) => unknown, t: Assertions): unknown;
}

/** Runs every case against loaded modules. Each case is isolated: a throw or a failed check fails that case only. */
export async function grade(student: Record<string, unknown>, reference: Record<string, unknown>, tests: TestCase[], exportName: string): Promise<ExerciseRun> {
  const at = new Date().toISOString();
  const fn = student[exportName];
  if (typeof fn !== 'function') {
    return { at, cases: [], error: `Your module does not export a function named \`${exportName}\` (write \`export function ${exportName}(…)\`).` };
  }
  const ref = reference[exportName] as (...args: never[]) => unknown;
  const cases: CaseResult[] = [];
  for (const c of tests) {
    try {
      await c.run(fn as (...args: never[]) => unknown, ref, assertions);
      cases.push({ name: c.name, passed: true });
    } catch (error) {
      const message = error instanceof CaseFailure ? error.message : `your function threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
      cases.push({ name: c.name, passed: false, message });
    }
  }
  return { at, cases };
}

/**
 * A URL a module can be imported from, for its source text: a blob: URL in the browser (the site's CSP allows blob:
 * scripts, not data:), a data: URL elsewhere (Node imports data: URLs, not blob: ones). `revoke` frees it.
 */
export function moduleUrl(source: string): { url: string; revoke(): void } {
  const browser = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' || typeof document !== 'undefined';
  if (browser) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    return { url, revoke: () => URL.revokeObjectURL(url) };
  }
  return { url: `data:text/javascript;base64,${btoa(unescape(encodeURIComponent(source)))}`, revoke: () => undefined };
}

/** Imports a module from its source text. */
export async function importSource(source: string): Promise<Record<string, unknown>> {
  const { url, revoke } = moduleUrl(source);
  try {
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } finally {
    revoke();
  }
}

/** Loads the three modules and grades; a module that does not load is an error of the run, not a crash. */
export async function runExercise(spec: Pick<ExerciseSpec, 'reference' | 'tests' | 'exportName'>, source: string): Promise<ExerciseRun> {
  let student: Record<string, unknown>;
  try {
    student = await importSource(source);
  } catch (error) {
    return { at: new Date().toISOString(), cases: [], error: `Your code does not load: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  }
  const reference = await importSource(spec.reference);
  const tests = (await importSource(spec.tests)).default as TestCase[];
  return grade(student, reference, tests, spec.exportName);
}
