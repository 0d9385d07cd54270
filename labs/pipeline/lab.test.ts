import { describe, expect, it } from 'vitest';
import { emptyProject } from '../../src/labkit/lab/project.ts';
import { fromLegacy, pipeline, runRecords } from './lab.ts';

const record = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ runId: id, flow: 'iris-training', state: 'completed', params: {}, tasks: [{ name: 'ingest', state: 'completed', attempts: 3 }], ...extra });

describe('pipeline lab state', () => {
  it('reads run records leniently: a record of another shape is left out with the reason', () => {
    const project = { ...emptyProject(), generated: { 'runs/run-001/run.json': record('run-001'), 'runs/run-002/run.json': '{"runId":"run-002"}', 'runs/run-003/run.json': '{cut' } };
    const { records, problems } = runRecords(project);
    expect(records.map((r) => r.runId)).toEqual(['run-001']);
    expect(problems.map((p) => p.path)).toEqual(['runs/run-002/run.json', 'runs/run-003/run.json']);
    expect(problems[1]!.message).toMatch(/not valid JSON/);
    expect(pipeline.measure({ project })['ingest.retried']).toEqual({ value: 1 });
  });

  it('marks a run that was running when the page went away as interrupted', () => {
    const state = { project: { ...emptyProject(), runs: [{ id: 1, entry: 'pipeline.mjs', args: [], at: '2026-11-30T10:00:00Z', reason: 'running' as const, code: null, durationMs: null, runtime: 'offline' as const }] } };
    expect(pipeline.parse(JSON.parse(JSON.stringify(state)), 2).project.runs[0]!.reason).toBe('interrupted');
  });

  it('moves the first version’s work into the project, and refuses what is not that', () => {
    const legacy = JSON.stringify({ edits: { 'pipeline.mjs': '// mine' }, state: { 'runs/run-001/run.json': record('run-001'), 'elsewhere.txt': 'x' }, open: 'pipeline.mjs' });
    const project = fromLegacy(legacy)!;
    expect(project.edits).toEqual({ 'pipeline.mjs': '// mine' });
    expect(Object.keys(project.generated)).toEqual(['runs/run-001/run.json']);
    expect(fromLegacy('not json')).toBeNull();
    expect(fromLegacy(null)).toBeNull();
  });
});
