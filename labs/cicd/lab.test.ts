/** The lab contract: criteria against quantities, saved state that does not fit, and the measures on small records. */
import { describe, expect, it } from 'vitest';
import type { JobRecord, RunRecord } from '../../src/labkit/ci/record.ts';
import { checkCriteria, StateError } from '../../src/labkit/lab/define.ts';
import { labCriteria } from '../../src/labkit/lab/node.ts';
import cicd, { compactRun, withRun } from './lab.ts';
import { cacheSpeedup, dataBlocked, matrixJobs, trainGated } from './measure.ts';

const job = (key: string, needs: string[], runs: string[], conclusion: JobRecord['conclusion'] = 'success', extra: Partial<JobRecord> = {}): JobRecord => ({
  id: key,
  key,
  name: key,
  needs,
  status: 'completed',
  conclusion,
  continueOnError: false,
  steps: runs.map((run, i) => ({ id: `s${i}`, name: run, run, status: 'completed', outcome: conclusion, conclusion, log: [{ kind: 'output', text: 'x'.repeat(700) }], outputs: {} })),
  outputs: {},
  summary: '',
  ...extra,
});

const run = (id: number, jobs: JobRecord[], extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  workflow: 'CI',
  file: '.github/workflows/ci.yml',
  event: 'push',
  reason: 'push to main',
  trigger: { name: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40), payload: {}, actor: 'student', reason: 'push to main' },
  ref: 'refs/heads/main',
  sha: 'a'.repeat(40),
  status: 'completed',
  conclusion: 'success',
  problems: [],
  jobs,
  artifacts: [],
  annotations: [],
  caches: [],
  timing: { startedAt: '2026-11-30T00:00:00Z', durationMs: 1000, jobs: {}, steps: {} },
  ...extra,
});

describe('the CI/CD lab contract', () => {
  it('every criterion names a quantity the lab measures, in its unit', () => {
    expect(checkCriteria(cicd, labCriteria('cicd'))).toEqual([]);
  });

  it('saved state that does not fit is refused with the field named', () => {
    expect(() => cicd.parse({ ...cicd.empty(), runs: 'no' }, 1)).toThrow(StateError);
    expect(() => cicd.parse({ ...cicd.empty(), runs: 'no' }, 1)).toThrow(/^runs:/);
    expect(() => cicd.parse({ ...cicd.empty(), repo: { commits: [{ id: 'not a sha' }] } }, 1)).toThrow(/repo\.commits\[0\]/);
  });

  it('a run still going when the page closed is kept as cancelled', () => {
    const state = cicd.parse({ ...cicd.empty(), runs: [run(1, [], { status: 'in_progress', conclusion: null })] }, 1);
    expect(state.runs[0]!.conclusion).toBe('cancelled');
  });

  it('older runs keep what the criteria read but not their logs; long lines are cut', () => {
    const runs = Array.from({ length: 14 }, (_, i) => run(i + 1, [job('test', [], ['node --test'])]));
    const kept = runs.reduce<RunRecord[]>((all, r) => withRun(all, r), []);
    expect(kept).toHaveLength(14);
    expect(kept[0]!.jobs[0]!.steps[0]!.log).toEqual([]);
    expect(kept[13]!.jobs[0]!.steps[0]!.log[0]!.text.length).toBeLessThan(700);
    expect(compactRun(runs[0]!, false).jobs[0]!.steps[0]!.run).toBe('node --test');
  });
});

describe('what the criteria read', () => {
  it('training counts as gated only when every training job waits, directly or not, for a job whose tests passed', () => {
    const gated = run(1, [job('test', [], ['node --test']), job('data', [], ['node ci/validate-data.mjs']), job('train', ['data'], ['node ci/train.mjs']), job('x', ['test'], ['true'])]);
    expect(trainGated([gated])).toBe(0);
    const chain = run(2, [job('test', [], ['npm test']), job('data', ['test'], ['node ci/validate-data.mjs']), job('train', ['data'], ['node ci/train.mjs --seed 1'])]);
    expect(trainGated([chain])).toBe(1);
  });

  it('the matrix counts with fail-fast off and a job that include added', () => {
    const strategy = { failFast: false, maxParallel: null };
    const m = (n: number, origin: JobRecord['origin'], ff = strategy) => job('train', [], ['node ci/train.mjs'], 'success', { id: `train ${n}`, matrix: { n }, origin, strategy: ff });
    expect(matrixJobs([run(1, [m(1, 'product'), m(2, 'product'), m(3, 'added')])])).toBe(3);
    expect(matrixJobs([run(1, [m(1, 'product'), m(2, 'product')])])).toBe(0);
    expect(matrixJobs([run(1, [m(1, 'product', { failFast: true, maxParallel: null }), m(2, 'added', { failFast: true, maxParallel: null })])])).toBe(0);
  });

  it('the speed-up compares a warm run with the run of the same commit that filled its data-keyed cache', () => {
    const cold = run(1, [], { caches: [{ job: 'train', key: 'k', hit: 'miss', hashed: ['data/**', 'lib/**'] }], timing: { startedAt: '', durationMs: 10_000, jobs: {}, steps: {} } });
    const warm = run(2, [], { caches: [{ job: 'train', key: 'k', hit: 'exact', hashed: ['data/**', 'lib/**'] }], timing: { startedAt: '', durationMs: 6_000, jobs: {}, steps: {} } });
    expect(cacheSpeedup([cold, warm])).toBe(40);
    expect(cacheSpeedup([cold, { ...warm, sha: 'b'.repeat(40) }])).toBe(0);
    expect(cacheSpeedup([cold, { ...warm, caches: [{ job: 'train', key: 'k', hit: 'exact', hashed: ['lib/**'] }] }])).toBe(0);
  });

  it('data validation blocks when it fails on data/iris.csv and nothing trains', () => {
    const blocked = run(1, [job('data', [], ['node ci/validate-data.mjs'], 'failure'), job('train', ['data'], [], 'skipped')], { annotations: [{ level: 'error', message: 'bad row', file: 'data/iris.csv', line: 52, job: 'data' }] });
    expect(dataBlocked([blocked])).toBe(1);
    expect(dataBlocked([{ ...blocked, annotations: [] }])).toBe(0);
  });
});
