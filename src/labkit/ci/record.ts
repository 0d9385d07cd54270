/**
 * What a workflow run leaves: the run record the run view draws and the lab keeps. Plain JSON. Times are kept
 * apart (`timing`), so that the same commit and inputs give the same record (`comparableRun`).
 */
import type { Annotation, LogLine } from './commands.ts';
import type { Json } from './expressions.ts';
import type { MatrixOrigin } from './matrix.ts';
import type { Problem } from './workflow.ts';

/** The event that started a run: what `github.event` and the `GITHUB_*` variables describe. */
export interface RunEvent {
  name: 'push' | 'pull_request' | 'workflow_dispatch';
  /** refs/heads/<branch> or refs/pull/<n>/merge */
  ref: string;
  sha: string;
  /** pull_request: the base and head branches. */
  baseRef?: string;
  headRef?: string;
  /** The event payload (`github.event`). */
  payload: Record<string, Json>;
  actor: string;
  /** Why it ran, in words. */
  reason: string;
}

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';
export type Status = 'queued' | 'in_progress' | 'completed';

export interface StepRecord {
  /** The step's `id`, or the runner's (`__run`, `__actions_checkout`). */
  id: string;
  name: string;
  uses?: string;
  /** The `run:` script as it ran (expressions evaluated), cut at 500 characters. */
  run?: string;
  status: Status;
  /** Before continue-on-error. */
  outcome: Conclusion | null;
  /** After continue-on-error. */
  conclusion: Conclusion | null;
  log: LogLine[];
  outputs: Record<string, string>;
  /** The line in the workflow file where the step starts. */
  line?: number;
  /** A post step (Post Cache). */
  post?: boolean;
}

export interface JobRecord {
  /** Unique in the run: `train (1, fast)`. */
  id: string;
  /** The job's key in the workflow (`train`). */
  key: string;
  name: string;
  needs: string[];
  matrix?: Record<string, Json>;
  origin?: MatrixOrigin;
  status: Status;
  conclusion: Conclusion | null;
  continueOnError: boolean;
  steps: StepRecord[];
  outputs: Record<string, string>;
  /** The job summary (Markdown) from $GITHUB_STEP_SUMMARY. */
  summary: string;
  /** Why the job failed before or outside its steps (a matrix that cannot expand, an `if:` that cannot evaluate). */
  error?: string;
  /** Order in which jobs started (1, 2, …), for the timeline. */
  started?: number;
  /** The job's strategy, when it has a matrix. */
  strategy?: { failFast: boolean; maxParallel: number | null };
}

export interface RunArtifact {
  name: string;
  job: string;
  files: Record<string, string>;
  size: number;
  digest: string;
}

export interface CacheEvent {
  job: string;
  key: string;
  hit: 'exact' | 'prefix' | 'miss' | 'saved';
  matched?: string;
  /** The patterns of the hashFiles() calls in the key (`data/**`). */
  hashed?: string[];
}

export interface RunRecord {
  id: number;
  workflow: string;
  file: string;
  event: string;
  /** Why it ran (or for a workflow that could not run, why not). */
  reason: string;
  /** The event, to run it again. */
  trigger: RunEvent;
  ref: string;
  sha: string;
  status: Status;
  conclusion: Conclusion | null;
  problems: Problem[];
  jobs: JobRecord[];
  artifacts: RunArtifact[];
  annotations: (Annotation & { job: string })[];
  caches: CacheEvent[];
  /** Wall-clock facts, left out of comparisons. */
  timing: { startedAt: string; durationMs: number | null; jobs: Record<string, number>; steps: Record<string, number> };
}

/** Durations that programs print themselves (node --test reports one per test, and the total). */
const PRINTED_DURATION = /\((\d+(\.\d+)?)ms\)|duration_ms \d+(\.\d+)?/g;

/**
 * The record without its times: equal for the same commit, inputs and cache state. Times are `timing`, and the
 * durations a test runner prints in a log line.
 */
export function comparableRun(record: RunRecord): Omit<RunRecord, 'timing'> {
  const { timing: _timing, ...rest } = record;
  return {
    ...rest,
    jobs: rest.jobs.map((job) => ({ ...job, steps: job.steps.map((step) => ({ ...step, log: step.log.map((l) => ({ ...l, text: l.text.replace(PRINTED_DURATION, '…') })) })) })),
  };
}
