/**
 * The pipeline lab under real Node (what WebContainers run) and under the offline runtime: the starter and every
 * step's solution, with assertions on the run records, and the two runtimes compared run for run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEHAVIOURS, SCENARIOS, compareBehaviour, comparable, removeFolder, runWithNode, runWithRuntime, type Outcome, type RunRecord } from './scenarios.ts';
import { createNodeOfflineRuntime } from '../../src/labkit/runtime/offline-node.ts';
import { checkSteps, measure } from './project/lib/checks.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { zipFiles } from '../../src/labkit/report/zip.ts';
import { projectAtStep } from './files.node.ts';
import { labCriteria } from '../../src/labkit/lab/node.ts';

type Result = Outcome & { output: string[] };
const node = new Map<string, Result>();
const offline = new Map<string, Result>();
const folders: string[] = [];

const criteria = labCriteria('pipeline');
/** Step number → passed, from the lab's own criteria (ids `step-N-…`). */
const passed = (records: RunRecord[]) =>
  Object.fromEntries((checkSteps(records, criteria) as { id: string; passed: boolean }[]).map((c) => [Number(c.id.split('-')[1]), c.passed]));
const task = (record: RunRecord, name: string) => record.tasks.find((t: RunRecord) => t.name === name);

beforeAll(async () => {
  // The scenarios under real Node run side by side; the offline runtime's run after them, one worker at a time.
  const results = await Promise.all(SCENARIOS.map((s) => runWithNode(s)));
  SCENARIOS.forEach((s, i) => {
    node.set(s.name, results[i]);
    folders.push(results[i].dir);
  });
  for (const s of SCENARIOS) offline.set(s.name, await runWithRuntime(s, createNodeOfflineRuntime()));
}, 60_000);

afterAll(() => folders.forEach(removeFolder));

describe('the pipeline under real Node', () => {
  it('starter: the flaky ingest fails on its first attempt, the rest stays pending, step 1 passes', () => {
    const { records, exitCodes, output } = node.get('starter')!;
    expect(exitCodes).toEqual([1]);
    expect(records).toHaveLength(1);
    const [run] = records;
    expect(run.state).toBe('failed');
    expect(task(run, 'ingest')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(run.tasks.slice(1).map((t: RunRecord) => t.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(output[0]).toContain('feed unavailable (HTTP 503)');
    expect(passed(records)).toEqual({ 1: true, 2: false, 3: false, 4: false, 5: false });
  });

  it('step 2: retries with backoff carry ingest through, and every task completes', () => {
    const { records, exitCodes, artifacts, registry } = node.get('step 2: retries')!;
    expect(exitCodes).toEqual([0]);
    const [run] = records;
    expect(run.state).toBe('completed');
    const ingest = task(run, 'ingest');
    expect(ingest.attempts).toBe(3);
    expect(ingest.history.map((h: RunRecord) => h.state)).toEqual(['running', 'retrying', 'running', 'retrying', 'running', 'completed']);
    // backoff: the second wait (200 ms) is longer than the first (100 ms)
    const at = ingest.history.map((h: RunRecord) => h.atMs);
    expect(at[4] - at[3]).toBeGreaterThan(at[2] - at[1]);
    expect(run.tasks.every((t: RunRecord) => t.state === 'completed')).toBe(true);
    expect(task(run, 'validate').upstream).toEqual(['ingest']);
    expect(task(run, 'evaluate').upstream).toEqual(['train', 'features']);
    expect(Object.keys(artifacts)).toEqual(
      ['metrics.json', 'model.json', 'registered.json', 'validation.json'].map((f) => `runs/run-001/artifacts/${f}`),
    );
    const metrics = JSON.parse(artifacts['runs/run-001/artifacts/metrics.json']);
    expect(metrics.n).toBe(30);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(JSON.parse(registry!)).toHaveLength(1);
    expect(passed(records)).toMatchObject({ 1: true, 2: true, 3: false });
  });

  it('step 3: a re-run reuses cached results for unchanged inputs', () => {
    const { records, artifacts } = node.get('step 3: caching')!;
    const [first, second] = records;
    expect(first.tasks.filter((t: RunRecord) => t.state === 'cached')).toHaveLength(0);
    expect(second.tasks.map((t: RunRecord) => [t.name, t.state])).toEqual([
      ['ingest', 'completed'],
      ['validate', 'cached'],
      ['features', 'cached'],
      ['train', 'cached'],
      ['evaluate', 'cached'],
      ['register', 'completed'],
    ]);
    expect(task(second, 'train').cacheKey).toBe(task(first, 'train').cacheKey);
    expect(task(second, 'train').cacheKey).toMatch(/^[0-9a-f]{64}$/);
    // a cached task's artifacts are copied into the new run's folder
    expect(artifacts['runs/run-002/artifacts/model.json']).toBe(artifacts['runs/run-001/artifacts/model.json']);
    expect(measure(records)['cache.skipped']).toBe(4);
    expect(passed(records)).toMatchObject({ 2: true, 3: true, 4: false });
  });

  it('step 4: parameters are recorded, and changing one recomputes only what depends on it', () => {
    const { records } = node.get('step 4: parameters')!;
    const [a, b] = records;
    expect(a.params).toEqual({ epochs: 300, learningRate: 0.5, testShare: 0.2, seed: 42 });
    expect(b.params).toEqual({ ...a.params, epochs: 50 });
    expect(b.tasks.map((t: RunRecord) => t.state)).toEqual(['completed', 'cached', 'cached', 'completed', 'completed', 'completed']);
    expect(measure(records)['params.distinct']).toBe(2);
    expect(passed(records)).toMatchObject({ 4: true, 5: false });
  });

  it('step 5: the quality gate stops a bad model from being registered', () => {
    const { records, exitCodes, registry } = node.get('step 5: quality gate')!;
    expect(exitCodes).toEqual([0, 1]);
    const [good, bad] = records;
    expect(task(good, 'quality-gate').state).toBe('completed');
    expect(task(good, 'register').state).toBe('completed');
    expect(bad.state).toBe('failed');
    expect(task(bad, 'quality-gate')).toMatchObject({ state: 'failed' });
    expect(task(bad, 'quality-gate').error).toMatch(/below the gate's minimum of 0.9/);
    expect(task(bad, 'register').state).toBe('pending');
    const models = JSON.parse(registry!);
    expect(models.map((m: RunRecord) => m.runId)).toEqual(['run-001']);
    expect(passed(records)).toEqual({ 1: true, 2: true, 3: false, 4: true, 5: true });
  });

  it('writes structured JSON logs for every run', async () => {
    const { dir } = node.get('step 2: retries') as Result & { dir: string };
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(`${dir}/runs/run-001/logs.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.runId === 'run-001' && typeof l.time === 'string' && l.level)).toBe(true);
    expect(lines.filter((l) => l.event === 'task-state' && l.state === 'retrying')).toHaveLength(2);
  });
});

describe('the offline runtime gives the same results', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => {
      const a = node.get(scenario.name)!;
      const b = offline.get(scenario.name)!;
      expect(b.exitCodes).toEqual(a.exitCodes);
      expect(b.records.map(comparable)).toEqual(a.records.map(comparable));
      expect(b.artifacts).toEqual(a.artifacts);
      expect(b.registry).toEqual(a.registry);
      expect(b.records[0].node).toContain('offline');
    });
  }
});

describe('the project as the page downloads it', () => {
  it('unzips into a folder that runs with node and grades itself with check.mjs', () => {
    const zip = zipFiles(projectAtStep(2), 'iris-pipeline-lab/');
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-zip-'));
    folders.push(dir);
    for (const [name, bytes] of Object.entries(unzipSync(zip))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const root = join(dir, 'iris-pipeline-lab');
    expect(existsSync(join(root, 'data', 'LICENSE.md'))).toBe(true);
    execFileSync(process.execPath, ['pipeline.mjs'], { cwd: root, stdio: 'ignore' });
    const report = execFileSync(process.execPath, ['check.mjs'], { cwd: root, encoding: 'utf8' }).replace(/\x1b\[[0-9;]*m/g, '');
    expect(report).toMatch(/✔ Step 2: a run completed after the flaky ingest task was retried/);
    expect(report).toMatch(/✘ Step 3/);
  });
});

describe('the offline runtime behaves like Node 24', () => {
  for (const behaviour of BEHAVIOURS) {
    it(behaviour.name, async () => {
      const { node, offline } = await compareBehaviour(behaviour, createNodeOfflineRuntime());
      expect(offline.output).toBe(node.output);
      expect(offline.code).toBe(node.code);
    }, 60_000);
  }
});
