/**
 * What the acceptance criteria read from the student's workflow runs. Jobs are recognised by what they run (the
 * repository's scripts), not by their names, so a student's own job names count. Pure functions of run records.
 */
import type { JobRecord, RunRecord } from '../../src/labkit/ci/record.ts';

const runs = (job: JobRecord, pattern: RegExp) => job.steps.some((s) => s.run !== undefined && pattern.test(s.run));
const ranOk = (job: JobRecord, pattern: RegExp) => job.steps.some((s) => s.run !== undefined && pattern.test(s.run) && s.outcome === 'success');
const failedAt = (job: JobRecord, pattern: RegExp) => job.steps.some((s) => s.run !== undefined && pattern.test(s.run) && s.outcome === 'failure');

export const TESTS = /node\s+--test|npm\s+(run\s+)?t(est)?\b/;
export const TRAIN = /ci\/train\.mjs/;
export const GATE = /ci\/gate\.mjs/;
export const VALIDATE = /ci\/validate-data\.mjs/;
export const REPORT = /ci\/report\.mjs/;

/** Jobs `job` waits for, directly or through others (by job key). */
function ancestors(run: RunRecord, key: string, seen = new Set<string>()): Set<string> {
  for (const need of run.jobs.find((j) => j.key === key)?.needs ?? []) {
    if (seen.has(need)) continue;
    seen.add(need);
    ancestors(run, need, seen);
  }
  return seen;
}

/** 1 when some run trained only after a job that ran the unit tests and passed. */
export function trainGated(all: RunRecord[]): number {
  for (const run of all) {
    const trains = run.jobs.filter((j) => ranOk(j, TRAIN));
    if (!trains.length) continue;
    const gated = trains.every((t) => [...ancestors(run, t.key)].some((key) => run.jobs.some((j) => j.key === key && ranOk(j, TESTS) && j.conclusion === 'success')));
    if (gated) return 1;
  }
  return 0;
}

/** The most training jobs one run expanded from a matrix with fail-fast off and an include that added a job. */
export function matrixJobs(all: RunRecord[]): number {
  let best = 0;
  for (const run of all) {
    const keys = new Set(run.jobs.filter((j) => j.matrix && runs(j, TRAIN)).map((j) => j.key));
    for (const key of keys) {
      const jobs = run.jobs.filter((j) => j.key === key);
      if (jobs.some((j) => j.origin === 'added') && jobs.every((j) => j.strategy?.failFast === false)) best = Math.max(best, jobs.length);
    }
  }
  return best;
}

const dataKeyed = (hashed: string[] | undefined) => (hashed ?? []).some((p) => /^(\.\/)?data(\/|\*|$)/.test(p) || p === '**' || p === '**/*');

/**
 * How much faster (%) a rerun of the same commit and workflow was when its cache, keyed on the data files, hit
 * exactly, than the run before it that had to fill the cache. The best such pair counts.
 */
export function cacheSpeedup(all: RunRecord[]): number {
  let best = 0;
  for (let i = 0; i < all.length; i += 1) {
    const warm = all[i]!;
    if (warm.status !== 'completed' || warm.conclusion !== 'success' || !warm.timing.durationMs) continue;
    if (!warm.caches.some((c) => c.hit === 'exact' && dataKeyed(c.hashed))) continue;
    for (let j = i - 1; j >= 0; j -= 1) {
      const cold = all[j]!;
      if (cold.sha !== warm.sha || cold.file !== warm.file || cold.conclusion !== 'success' || !cold.timing.durationMs) continue;
      if (!cold.caches.some((c) => c.hit === 'miss' && dataKeyed(c.hashed))) continue;
      best = Math.max(best, 100 * (1 - warm.timing.durationMs / cold.timing.durationMs));
      break;
    }
  }
  return Math.round(best * 10) / 10;
}

/** Champion minus candidate accuracy (pp) in a run's reports artifact, or null when it has none. */
export function accuracyDrop(run: RunRecord): number | null {
  const reports = run.artifacts.find((a) => a.files['metrics.json'] && a.files['gate.json']);
  if (!reports) return null;
  try {
    const gate = JSON.parse(reports.files['gate.json']!) as { checks: { name: string; detail: string }[] };
    const accuracy = gate.checks.find((c) => c.name === 'accuracy');
    const m = accuracy && /^([\d.]+)% against the champion's ([\d.]+)%/.exec(accuracy.detail);
    return m ? Math.round((Number(m[2]) - Number(m[1])) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** Pull-request runs whose gate failed and marked a line of the project's code. */
function blockedRuns(all: RunRecord[]): RunRecord[] {
  return all.filter(
    (run) =>
      run.event === 'pull_request' &&
      run.jobs.some((j) => failedAt(j, GATE)) &&
      run.annotations.some((a) => a.level === 'error' && a.file !== undefined && /^(lib|ci)\//.test(a.file) && a.line !== undefined),
  );
}

/** The largest accuracy drop (pp) of a pull request that the gate stopped with an annotation on a changed line. */
export function gateRegression(all: RunRecord[]): number {
  return Math.max(0, ...blockedRuns(all).map((r) => accuracyDrop(r) ?? 0));
}

/** 1 when a pull request's gate passed in a run after one where it stopped the pull request. */
export function gateFixed(all: RunRecord[]): number {
  for (const blocked of blockedRuns(all)) {
    const later = all.filter((r) => r.id > blocked.id && r.ref === blocked.ref && r.event === 'pull_request');
    if (later.some((r) => r.jobs.some((j) => ranOk(j, GATE)))) return 1;
  }
  return 0;
}

/** Pull-request runs that published a report with the metrics diff. */
export function reportsPosted(all: RunRecord[]): number {
  return all.filter((run) => run.event === 'pull_request' && run.artifacts.some((a) => Object.entries(a.files).some(([path, text]) => path.endsWith('pr-report.md') && text.includes('| metric | champion |')))).length;
}

/** Runs where data validation failed on data/iris.csv and no model was trained. */
export function dataBlocked(all: RunRecord[]): number {
  return all.filter(
    (run) =>
      run.jobs.some((j) => failedAt(j, VALIDATE)) &&
      run.annotations.some((a) => a.file === 'data/iris.csv') &&
      run.jobs.some((j) => runs(j, TRAIN) || j.key === 'train' || j.conclusion === 'skipped') &&
      !run.jobs.some((j) => ranOk(j, TRAIN)),
  ).length;
}

/** Completed runs that succeeded. */
export const succeeded = (all: RunRecord[]) => all.filter((r) => r.status === 'completed' && r.conclusion === 'success').length;
