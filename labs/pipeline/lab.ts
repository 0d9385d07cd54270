/**
 * The pipeline lab, as data: the student's Node project (edits, the run records and files their runs wrote, every run
 * they started) and what the acceptance criteria read from the run records: the same `measure` that
 * `node check.mjs` runs in the project. Framework-free; the starter comes through Vite (files.ts).
 */
import { z } from '../../src/labkit/zod.ts';
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { changesMarkdown, emptyProject, projectSchema, settleInterrupted, type ProjectState } from '../../src/labkit/lab/project.ts';
import type { ReportTable } from '../../src/labkit/report/report.ts';
import { measure as measureRuns } from './project/lib/checks.mjs';
import { STARTER_FILES } from './files.ts';

export const LAB_ID = 'pipeline';

const taskSchema = z.object({
  name: z.string(),
  state: z.string(),
  attempts: z.number().int().nonnegative(),
  upstream: z.array(z.string()).default([]),
  startedAt: z.string().nullable().default(null),
  durationMs: z.number().nullable().default(null),
  error: z.string().nullable().default(null),
  artifacts: z.array(z.string()).default([]),
  cachedFrom: z.string().optional(),
});

/** A run record (runs/<id>/run.json) as the project's lib/flow.mjs writes it; students' code may write others. */
export const runRecordSchema = z.object({
  runId: z.string(),
  flow: z.string().default(''),
  state: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
  startedAt: z.string().default(''),
  durationMs: z.number().nullable().default(null),
  tasks: z.array(taskSchema),
  artifacts: z.array(z.string()).default([]),
  error: z.string().nullable().default(null),
  node: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;
export type TaskRecord = RunRecord['tasks'][number];

const stateSchema = z.object({ project: projectSchema });
export type PipelineState = z.infer<typeof stateSchema>;

/** Which written files the lab keeps: run records, logs and artifacts, the cache and the registry. */
export const keep = (path: string) => /^(runs|\.cache|registry)\//.test(path);

export interface RecordProblem {
  path: string;
  message: string;
}

/** The run records in the kept files; a record that does not fit is left out, with the reason. */
export function runRecords(project: ProjectState): { records: RunRecord[]; problems: RecordProblem[] } {
  const records: RunRecord[] = [];
  const problems: RecordProblem[] = [];
  for (const [path, text] of Object.entries(project.generated)) {
    if (!/^runs\/[^/]+\/run\.json$/.test(path)) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push({ path, message: 'it is not valid JSON (was the run stopped while writing it?)' });
      continue;
    }
    const parsed = runRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else problems.push({ path, message: `${parsed.error.issues[0]?.path.join('.') || 'the record'}: ${parsed.error.issues[0]?.message}` });
  }
  records.sort((a, b) => a.runId.localeCompare(b.runId, 'en', { numeric: true }));
  return { records, problems };
}

function measure(state: PipelineState): Measured {
  const { records } = runRecords(state.project);
  if (!records.length) return {};
  return Object.fromEntries(Object.entries(measureRuns(records) as Record<string, number>).map(([k, v]) => [k, { value: v }]));
}

function report(state: PipelineState) {
  const { records, problems } = runRecords(state.project);
  const tables: ReportTable[] = [
    {
      title: 'Runs',
      columns: ['run', 'command', 'runtime', 'ended', 'state', 'duration ms', 'parameters', 'tasks'],
      rows: state.project.runs.map((run) => {
        const record = records.find((r) => r.runId === `run-${String(run.id).padStart(3, '0')}`);
        return [
          run.id,
          `node ${[run.entry, ...run.args].join(' ')}`,
          run.runtime,
          run.reason === 'exit' ? `exit ${run.code}` : run.reason,
          record?.state ?? null,
          run.durationMs,
          record ? Object.entries(record.params).map(([k, v]) => `${k}=${String(v)}`).join(' ') : null,
          record ? record.tasks.map((t) => `${t.name}: ${t.state}${t.attempts > 1 ? ` (${t.attempts} attempts)` : ''}`).join(', ') : null,
        ];
      }),
    },
  ];
  if (problems.length) tables.push({ title: 'Run records left out', columns: ['file', 'why'], rows: problems.map((p) => [p.path, p.message]) });
  return { tables, changes: changesMarkdown(STARTER_FILES, state.project.edits) };
}

/** Where the first version of this lab kept its work, outside the progress store. */
export const LEGACY_KEY = 'mlops-course.lab.pipeline.v1';

/**
 * The work the first version kept under LEGACY_KEY ({ edits, state: { path: text } }), as a project; null when the
 * text is not that. Its run records come back; its cache and artifacts were never kept.
 */
export function fromLegacy(text: string | null): ProjectState | null {
  if (!text) return null;
  try {
    const old = JSON.parse(text) as { edits?: unknown; state?: unknown };
    const strings = (v: unknown) => Object.fromEntries(Object.entries(v && typeof v === 'object' ? v : {}).filter(([, t]) => typeof t === 'string')) as Record<string, string>;
    const project = { ...emptyProject(), edits: strings(old.edits), generated: Object.fromEntries(Object.entries(strings(old.state)).filter(([path]) => keep(path))) };
    return projectSchema.parse(project);
  } catch {
    return null;
  }
}

export const pipeline = defineLab<PipelineState>({
  id: LAB_ID,
  version: 2,
  quantities: {
    'runs.recorded': { describe: 'run records written', unit: 'runs', min: 0 },
    'ingest.retried': { describe: 'completed runs whose ingest needed retries', unit: 'runs', min: 0 },
    'cache.skipped': { describe: 'most tasks one run took from the cache', unit: 'tasks', min: 0 },
    'params.distinct': { describe: 'distinct parameter sets that reached evaluation', unit: 'parameter sets', min: 0 },
    'gate.blocked': { describe: 'runs whose quality gate stopped the model', unit: 'runs', min: 0 },
    'gate.works': { describe: '1 when a gate both stopped a bad model and let a good one be registered', min: 0, max: 1 },
  },
  empty: () => ({ project: emptyProject() }),
  parse(value, version) {
    // Version 1 was kept outside the progress store (mlops-course.lab.pipeline.v1) and is not read here.
    if (version < 2) return { project: emptyProject() };
    const state = parseWith(stateSchema)(value);
    return { project: settleInterrupted(state.project) };
  },
  measure,
  merge(stored, mine) {
    const runs = new Map([...stored.project.runs, ...mine.project.runs].map((r) => [`${r.at}|${r.id}`, r]));
    return {
      project: {
        edits: { ...stored.project.edits, ...mine.project.edits },
        generated: { ...stored.project.generated, ...mine.project.generated },
        runs: [...runs.values()].sort((a, b) => a.at.localeCompare(b.at)),
        dropped: [...new Set([...stored.project.dropped, ...mine.project.dropped])],
      },
    };
  },
  markRestored(state, at) {
    return { project: { ...state.project, runs: state.project.runs.map((r) => ({ ...r, restoredAt: r.restoredAt ?? at })) } };
  },
  report,
  async evidence(state) {
    const files = Object.entries({ ...STARTER_FILES, ...state.project.edits }).map(([path, content]) => ({ path: `project/${path}`, content }));
    return [...files, ...Object.entries(state.project.generated).map(([path, content]) => ({ path: `written/${path}`, content }))];
  },
});

export default pipeline;
