/**
 * The CI/CD lab, as data: the student's working tree (the node-project kit's edits), their Git repository
 * (commits, branches, pull requests), the checked-out branch, every workflow run, and the cache the runs share.
 * The criteria read the run records (measure.ts). Framework-free.
 */
import { z } from '../../src/labkit/zod.ts';
import type { CacheState } from '../../src/labkit/ci/cache.ts';
import type { RepoState } from '../../src/labkit/ci/git.ts';
import type { RunRecord } from '../../src/labkit/ci/record.ts';
import { barChart } from '../../src/labkit/charts/index.ts';
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { changesMarkdown, emptyProject, projectSchema, settleInterrupted, type ProjectState } from '../../src/labkit/lab/project.ts';
import type { ReportTable } from '../../src/labkit/report/report.ts';
import { REPO_FILES } from './files.ts';
import { accuracyDrop, cacheSpeedup, dataBlocked, gateFixed, gateRegression, matrixJobs, reportsPosted, succeeded, trainGated } from './measure.ts';

export const LAB_ID = 'cicd';
/** Runs kept with their logs and artifacts; older ones keep what the criteria and the report read. */
export const FULL_RUNS = 10;
export const MAX_RUNS = 60;
/** Characters of artifact files kept per run (the reports and models are small; anything beyond is left out). */
const ARTIFACT_CHARS = 60_000;
const LOG_LINES = 300;
const LINE_CHARS = 600;

const signature = z.object({ name: z.string(), email: z.string(), time: z.number() });
const repoSchema = z.object({
  commits: z
    .array(z.object({ id: z.string().regex(/^[0-9a-f]{40}$/), parents: z.array(z.string()), message: z.string().max(2000), author: signature, changes: z.record(z.string(), z.string().nullable()) }))
    .min(1)
    .max(300),
  branches: z.record(z.string(), z.string()),
  pulls: z.array(z.object({ number: z.number().int().positive(), title: z.string().max(300), head: z.string(), base: z.string(), state: z.enum(['open', 'merged', 'closed']) })).max(100),
  defaultBranch: z.string(),
});

const conclusion = z.enum(['success', 'failure', 'cancelled', 'skipped']).nullable();
const status = z.enum(['queued', 'in_progress', 'completed']);
const annotation = z.object({
  level: z.enum(['error', 'warning', 'notice']),
  message: z.string(),
  title: z.string().optional(),
  file: z.string().optional(),
  line: z.number().optional(),
  endLine: z.number().optional(),
  col: z.number().optional(),
  endColumn: z.number().optional(),
});
const stepSchema = z.object({
  id: z.string(),
  name: z.string(),
  uses: z.string().optional(),
  run: z.string().optional(),
  status,
  outcome: conclusion,
  conclusion,
  log: z.array(z.object({ kind: z.enum(['output', 'group', 'endgroup', 'annotation', 'debug', 'runner']), text: z.string(), level: z.enum(['error', 'warning', 'notice']).optional() })),
  outputs: z.record(z.string(), z.string()),
  line: z.number().optional(),
  post: z.boolean().optional(),
});
const json: z.ZodType<unknown> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));
const jobSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  needs: z.array(z.string()),
  matrix: z.record(z.string(), json).optional(),
  origin: z.enum(['product', 'extended', 'added']).optional(),
  status,
  conclusion,
  continueOnError: z.boolean(),
  steps: z.array(stepSchema),
  outputs: z.record(z.string(), z.string()),
  summary: z.string(),
  error: z.string().optional(),
  started: z.number().optional(),
  strategy: z.object({ failFast: z.boolean(), maxParallel: z.number().nullable() }).optional(),
});
const problem = z.object({ file: z.string(), line: z.number(), column: z.number(), endLine: z.number(), endColumn: z.number(), message: z.string() });
export const runSchema = z.object({
  id: z.number().int().positive(),
  workflow: z.string(),
  file: z.string(),
  event: z.string(),
  reason: z.string(),
  trigger: z.object({
    name: z.enum(['push', 'pull_request', 'workflow_dispatch']),
    ref: z.string(),
    sha: z.string(),
    baseRef: z.string().optional(),
    headRef: z.string().optional(),
    payload: z.record(z.string(), json),
    actor: z.string(),
    reason: z.string(),
  }),
  ref: z.string(),
  sha: z.string(),
  status,
  conclusion,
  problems: z.array(problem),
  jobs: z.array(jobSchema),
  artifacts: z.array(z.object({ name: z.string(), job: z.string(), files: z.record(z.string(), z.string()), size: z.number(), digest: z.string() })),
  annotations: z.array(annotation.extend({ job: z.string() })),
  caches: z.array(z.object({ job: z.string(), key: z.string(), hit: z.enum(['exact', 'prefix', 'miss', 'saved']), matched: z.string().optional(), hashed: z.array(z.string()).optional() })),
  timing: z.object({ startedAt: z.string(), durationMs: z.number().nullable(), jobs: z.record(z.string(), z.number()), steps: z.record(z.string(), z.number()) }),
  restoredAt: z.string().optional(),
});

const cacheSchema = z.object({
  entries: z.array(
    z.object({ key: z.string().max(512), version: z.string(), scope: z.string(), created: z.number(), lastUsed: z.number(), files: z.record(z.string(), z.string()), size: z.number(), digest: z.string() }),
  ),
  clock: z.number(),
});

const stateSchema = z.object({
  project: projectSchema,
  repo: repoSchema.nullable(),
  branch: z.string(),
  runs: z.array(runSchema).max(MAX_RUNS),
  cache: cacheSchema,
  /** Events that started no workflow, and why. */
  quiet: z.array(z.object({ at: z.string(), event: z.string(), ref: z.string(), sha: z.string(), reasons: z.array(z.string()) })).max(50),
});

/** An event that started no workflow, with each workflow's reason. */
export interface QuietEvent {
  at: string;
  event: string;
  ref: string;
  sha: string;
  reasons: string[];
}

export interface CicdState {
  project: ProjectState;
  repo: RepoState | null;
  /** The branch the editor shows. */
  branch: string;
  runs: (RunRecord & { restoredAt?: string })[];
  cache: CacheState;
  quiet: QuietEvent[];
}

/** A run record small enough to keep: logs and artifacts only for recent runs, long lines cut. */
export function compactRun(record: RunRecord, full: boolean): RunRecord {
  let budget = ARTIFACT_CHARS;
  return {
    ...record,
    jobs: record.jobs.map((job) => ({
      ...job,
      steps: job.steps.map((step) => ({
        ...step,
        log: full ? step.log.slice(-LOG_LINES).map((l) => (l.text.length > LINE_CHARS ? { ...l, text: `${l.text.slice(0, LINE_CHARS)}…` } : l)) : [],
      })),
      summary: full ? job.summary.slice(0, 20_000) : '',
    })),
    artifacts: record.artifacts.map((a) => {
      // Keep what the criteria and the report read (reports, the pull-request report) while there is room.
      const keep = full && a.size <= budget && /report|metrics|gate/.test(Object.keys(a.files).join(' ') + a.name);
      if (keep) budget -= a.size;
      return keep ? a : { ...a, files: {} };
    }),
  };
}

/** Add or replace a run, keeping the newest MAX_RUNS and full detail for the newest FULL_RUNS. */
export function withRun(runs: RunRecord[], record: RunRecord): RunRecord[] {
  const others = runs.filter((r) => r.id !== record.id);
  const all = [...others, record].sort((a, b) => a.id - b.id).slice(-MAX_RUNS);
  return all.map((r, i) => (i >= all.length - FULL_RUNS ? (r.id === record.id ? compactRun(r, true) : r) : compactRun(r, false)));
}

function measure(state: CicdState): Measured {
  const runs = state.runs.filter((r) => r.status === 'completed');
  if (!runs.length) return {};
  return {
    'runs.succeeded': { value: succeeded(runs) },
    'train.gated': { value: trainGated(runs) },
    'matrix.jobs': { value: matrixJobs(runs) },
    'cache.speedup': { value: cacheSpeedup(runs) },
    'gate.regression': { value: gateRegression(runs) },
    'gate.fixed': { value: gateFixed(runs) },
    'report.posted': { value: reportsPosted(runs) },
    'data.blocked': { value: dataBlocked(runs) },
  };
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

function report(state: CicdState) {
  const runs = state.runs;
  const tables: ReportTable[] = [
    {
      title: 'Workflow runs',
      columns: ['run', 'event', 'ref', 'commit', 'workflow', 'result', 'duration s', 'jobs', 'cache'],
      rows: runs.map((r) => [
        r.id,
        r.event,
        r.ref,
        r.sha.slice(0, 7),
        r.file,
        r.conclusion ?? r.status,
        seconds(r.timing.durationMs),
        r.jobs.map((j) => `${j.id}: ${j.conclusion ?? j.status}`).join(', '),
        r.caches.filter((c) => c.hit !== 'saved').map((c) => `${c.key.slice(0, 24)}… ${c.hit}`).join(', ') || null,
      ]),
    },
  ];
  const gated = runs.filter((r) => r.event === 'pull_request' && accuracyDrop(r) !== null);
  if (gated.length) {
    tables.push({ title: 'Quality gate on pull requests', columns: ['run', 'pull request', 'commit', 'accuracy drop pp', 'gate'], rows: gated.map((r) => [r.id, r.ref, r.sha.slice(0, 7), accuracyDrop(r), r.jobs.some((j) => j.steps.some((s) => s.run?.includes('ci/gate.mjs') && s.outcome === 'failure')) ? 'failed' : 'passed']) });
  }
  const notes = runs.flatMap((r) => r.annotations.filter((a) => a.file).map((a) => `- run ${r.id}, ${a.job}: ${a.file}${a.line ? `:${a.line}` : ''}: ${a.message}`));
  const charts = runs.some((r) => r.timing.durationMs)
    ? [
        {
          title: 'Workflow run durations',
          svg: barChart({
            title: 'Workflow run durations',
            description: `Duration of each completed run in seconds; runs whose caches hit exactly are marked "cache".`,
            unit: 's',
            bars: runs.filter((r) => r.timing.durationMs).map((r) => ({ label: `#${r.id}${r.caches.some((c) => c.hit === 'exact') ? ' cache' : ''}`, value: seconds(r.timing.durationMs)! })),
          }),
        },
      ]
    : [];
  const repo = state.repo;
  const commits = repo ? repo.commits.map((c) => `- ${c.id.slice(0, 7)} ${c.message}`).join('\n') : '';
  const latest = repo ? (repo.commits.find((c) => c.id === repo.branches[repo.defaultBranch])?.changes ?? {}) : {};
  const mainFiles = Object.fromEntries(Object.entries(latest).filter((e): e is [string, string] => e[1] !== null));
  return {
    tables,
    charts,
    notes: `${notes.length ? `### Annotations\n\n${notes.slice(0, 60).join('\n')}\n\n` : ''}${commits ? `### Commits\n\n${commits}\n` : ''}`,
    changes: changesMarkdown(REPO_FILES, mainFiles),
  };
}

export const cicd = defineLab<CicdState>({
  id: LAB_ID,
  version: 1,
  quantities: {
    'runs.succeeded': { describe: 'workflow runs that succeeded', unit: 'runs', min: 0 },
    'train.gated': { describe: '1 when training ran only after the unit tests passed', min: 0, max: 1 },
    'matrix.jobs': { describe: 'training jobs from one matrix with fail-fast off and an include that added a job', unit: 'jobs', min: 0, max: 256 },
    'cache.speedup': { describe: 'how much faster a rerun was when its data-keyed cache hit', unit: '%', min: 0, max: 100 },
    'gate.regression': { describe: 'largest accuracy drop of a pull request the gate stopped with an annotation on a changed line', unit: 'pp', min: 0, max: 100 },
    'gate.fixed': { describe: '1 when a stopped pull request later passed the gate', min: 0, max: 1 },
    'report.posted': { describe: 'pull-request runs that published a report with the metrics diff', unit: 'runs', min: 0 },
    'data.blocked': { describe: 'runs where data validation stopped training', unit: 'runs', min: 0 },
  },
  empty: () => ({ project: emptyProject(), repo: null, branch: 'main', runs: [], cache: { entries: [], clock: 0 }, quiet: [] }),
  parse(value) {
    const state = parseWith(stateSchema)(value) as unknown as CicdState;
    return { ...state, project: settleInterrupted(state.project), runs: state.runs.map((r) => (r.status === 'completed' ? r : { ...r, status: 'completed', conclusion: 'cancelled' })) };
  },
  measure,
  merge(stored, mine) {
    // Two tabs: the repository and cache of the tab that saved last; runs of both, by id.
    const runs = new Map([...stored.runs, ...mine.runs].map((r) => [r.id, r]));
    return { ...mine, runs: [...runs.values()].sort((a, b) => a.id - b.id).slice(-MAX_RUNS) };
  },
  markRestored(state, at) {
    return { ...state, runs: state.runs.map((r) => ({ ...r, restoredAt: r.restoredAt ?? at })) };
  },
  report,
  async evidence(state) {
    const files = [...(state.repo ? [{ path: 'repository.json', content: JSON.stringify(state.repo, null, 2) }] : [])];
    for (const run of state.runs) {
      files.push({ path: `runs/run-${String(run.id).padStart(3, '0')}.json`, content: JSON.stringify(run, null, 2) });
      for (const artifact of run.artifacts) for (const [path, text] of Object.entries(artifact.files)) files.push({ path: `runs/run-${String(run.id).padStart(3, '0')}/${artifact.name}/${path}`, content: text });
    }
    return files;
  },
});

export default cicd;
