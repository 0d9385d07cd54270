/**
 * The tuning lab: its criteria agree with what it measures, replays are deterministic to the byte, every bad input
 * fails one trial with a reason (the study goes on), a live study survives a crashing worker, and the measurements,
 * report and evidence come out of the state as the criteria expect.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkCriteria } from '../../src/labkit/lab/define.ts';
import { journalLines } from '../../src/labkit/tuning/journal.ts';
import type { Criterion } from '../../src/labkit/report/criteria.ts';
import { benchmark } from './benchmark.ts';
import { liveStudy, type TrainerPool } from './live.ts';
import { tuning } from './lab.ts';
import { loadStudyModule, StudyFileError } from './objective.ts';
import { comparisonRecord, journalStudy, sourceKey, studyRecord, type TuningState } from './records.ts';
import { compareStrategies, replayStudy } from './replay.ts';
import type { Strategy } from './strategy.ts';
import { verifyTuning } from './verify.ts';
import { buildBundle, readBundle, verifyBundle } from '../../src/labkit/lab/evidence.ts';

const starter = readFileSync(new URL('./starter/study.mjs', import.meta.url), 'utf8');
const frontmatter = readFileSync(new URL('./index.mdx', import.meta.url), 'utf8').split('---')[1]!;
const criteria = (parseYaml(frontmatter) as { criteria: Criterion[] }).criteria;

const replayRecord = async (source: string, strategy: Strategy, seed: number, id = 'r') => {
  const module = await loadStudyModule(source);
  const run = await replayStudy({ module, strategy, seed, benchmark, name: id, stuckMs: 300 });
  return studyRecord({ id, name: id, mode: 'replay', createdAt: '2026-11-30T00:00:00.000Z', strategy, seed, study: run.study, source: sourceKey(source), runs: run.runs, epochs: run.epochs });
};

/** The starter's objective with one line changed. */
const variant = (from: string, to: string) => {
  expect(starter).toContain(from);
  return starter.replace(from, to);
};

describe('the tuning lab', () => {
  it('states criteria on quantities it measures, in their units', () => {
    expect(checkCriteria(tuning, criteria)).toEqual([]);
    expect(criteria.length).toBe(7);
  });

  it('replays the same study, byte for byte, from the same seed; another seed gives another study', async () => {
    const strategy: Strategy = { sampler: 'tpe-dedup', pruner: 'asha', trials: 25, workers: 2 };
    const a = await replayRecord(starter, strategy, 11);
    const b = await replayRecord(starter, strategy, 11);
    const c = await replayRecord(starter, strategy, 12);
    expect(journalLines(journalStudy(a))).toBe(journalLines(journalStudy(b)));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(c.trials.map((t) => t.params))).not.toBe(JSON.stringify(a.trials.map((t) => t.params)));
    expect(a.trials.filter((t) => t.state === 'PRUNED').length).toBeGreaterThan(5);
  });

  it('fails a trial that asks for a value the benchmark did not measure, naming the field and the measured values', async () => {
    const s = await replayRecord(variant("trial.suggestCategorical('hidden', [16, 32, 64])", "trial.suggestInt('hidden', 16, 64)"), { sampler: 'random', pruner: 'none', trials: 3, workers: 1 }, 1);
    const failed = s.trials.filter((t) => t.state === 'FAIL');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.reason).toMatch(/hidden = \d+ was not measured by the benchmark, which has hidden = 16, 32, 64/);
  });

  it('every bad objective fails its own trials with a reason, and the study goes on', async () => {
    const cases: [string, string, RegExp][] = [
      ["trial.suggestCategorical('l2', [0, 0.0001, 0.001])", "trial.number === 1 ? trial.suggestFloat('l2', 1, 0) : 0", /low \(1\) must be smaller than or equal to high \(0\)/],
      ['return last.reduce((a, b) => a + b, 0) / last.length;', 'return trial.number === 1 ? NaN : last[0];', /returned NaN/],
      ['const run = train({ lr, hidden, batch, l2 });', "if (trial.number === 1) throw new Error('my bug'); const run = train({ lr, hidden, batch, l2 });", /my bug/],
      ['const run = train({ lr, hidden, batch, l2 });', 'if (trial.number === 1) await new Promise(() => {}); const run = train({ lr, hidden, batch, l2 });', /did not return/],
      ["trial.suggestCategorical('hidden', [16, 32, 64])", "trial.suggestCategorical('hidden', trial.number === 1 ? [] : [16, 32, 64])", /choices must contain one or more elements/],
    ];
    for (const [from, to, reason] of cases) {
      const s = await replayRecord(variant(from, to), { sampler: 'random', pruner: 'none', trials: 3, workers: 1 }, 2);
      expect(s.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE']);
      expect(s.trials[1]!.reason).toMatch(reason);
    }
  });

  it('refuses a study file that does not load, with the line of a syntax error', async () => {
    await expect(loadStudyModule('export async function objective(trial) {\n  return trial.suggestFloat(;\n}')).rejects.toMatchObject({ name: 'StudyFileError', line: 2 });
    await expect(loadStudyModule('export const x = 1;')).rejects.toThrow(/must export a function named `objective`/);
    await expect(loadStudyModule("export const direction = 'up'; export function objective() { return 1; }")).rejects.toThrow(/direction = "up"/);
    await expect(loadStudyModule('export const grid = { hidden: [] }; export function objective() { return 1; }')).rejects.toThrow(StudyFileError);
  });

  it('a live study goes on when a worker crashes mid-trial, on all its workers', async () => {
    const module = await loadStudyModule(variant('for (let epoch = 1; epoch <= maxEpochs; epoch++) {', 'for (let epoch = 1; epoch <= 3; epoch++) {'));
    const used = new Set<number>();
    let starts = 0;
    let crash = -1;
    let calls = 0;
    const pool: TrainerPool = {
      size: 2,
      start: async (worker) => {
        used.add(worker);
        // The third trial's worker crashes in its first epoch.
        if (++starts === 3) crash = worker;
      },
      epoch: async (worker) => {
        await new Promise((r) => setTimeout(r, 2));
        if (worker === crash) {
          crash = -1;
          throw new Error('the worker failed: it stopped unexpectedly');
        }
        calls++;
        return { error: 0.1 + (calls % 7) / 50, ms: 2 };
      },
      cancel: () => undefined,
    };
    const run = await liveStudy({ module, strategy: { sampler: 'random', pruner: 'asha', trials: 8, workers: 2 }, seed: 1, pool });
    expect(run.study.trials.length).toBe(8);
    expect(run.study.trials[2]!.state).toBe('FAIL');
    expect(run.study.trials[2]!.reason).toMatch(/the worker training this trial failed: the worker failed/);
    expect(run.study.trials.slice(3).every((t) => t.state !== 'FAIL')).toBe(true);
    expect(run.study.trials.some((t) => t.state === 'COMPLETE') && run.study.trials.some((t) => t.state === 'PRUNED')).toBe(true);
    expect(used).toEqual(new Set([0, 1]));
  });

  it('measures the criteria from the state, and reports and exports every study', async () => {
    const module = await loadStudyModule(starter);
    const strategies: Strategy[] = [
      { sampler: 'grid', pruner: 'none', trials: 16, workers: 1 },
      { sampler: 'random', pruner: 'none', trials: 16, workers: 1 },
      { sampler: 'random', pruner: 'asha', trials: 60, workers: 1 },
    ];
    const results = await compareStrategies({ module, strategies, firstSeed: 1, seeds: 4, benchmark });
    const small = comparisonRecord({ id: 'c1', createdAt: 'now', source: sourceKey(starter), firstSeed: 1, seeds: 4, bestTruth: benchmark.bestTruth, gridEpochs: benchmark.gridEpochs, results });
    // Fifty seeds: the same results repeated, which is what measure sees of a real comparison of that size.
    const big = { ...small, id: 'c2', seeds: 52, strategies: small.strategies.map((s) => ({ ...s, results: Array.from({ length: 13 }, () => s.results).flat() })) };
    const study = await replayRecord(starter, { sampler: 'tpe-dedup', pruner: 'asha', trials: 20, workers: 1 }, 3, 'replay-1');
    let state: TuningState = { studies: [study], comparisons: [small], sources: { [sourceKey(starter)]: starter } };
    expect(tuning.measure(state)['random.vsGridPp']).toBeUndefined(); // 4 seeds are too few
    state = { ...state, comparisons: [small, big] };
    const m = tuning.measure(state);
    expect(m['random.vsGridPp']!.value).toBeGreaterThan(0);
    expect(m['random.vsGridPp']!.lower).toBeLessThan(m['random.vsGridPp']!.value);
    expect(m['early.epochShare']!.value).toBeLessThanOrEqual(30);
    expect(m['test.studies']!.value).toBe(0);
    expect(m['journal.studies']!.value).toBe(0);
    expect(m['live.parallelTrials']).toBeUndefined();

    const parts = tuning.report!(state);
    expect(parts.tables!.map((t) => t.title)).toContain('Studies');
    expect(parts.charts!.length).toBeGreaterThanOrEqual(4);
    for (const c of parts.charts!) expect(c.svg.startsWith('<svg')).toBe(true);
    const files = await tuning.evidence!(state);
    expect(files.map((f) => f.path)).toEqual(['studies/replay-1/journal.jsonl', 'studies/replay-1/trials.csv', `sources/${sourceKey(starter)}.mjs`]);
    expect(tuning.parse(JSON.parse(JSON.stringify(state)), 1)).toEqual(state);
  }, 20_000);

  it('refuses a damaged state, naming the field', () => {
    expect(() => tuning.parse({ studies: [{ id: 'x' }], comparisons: [], sources: {} }, 1)).toThrow(/studies\[0\]\.name/);
    expect(() => tuning.parse({ studies: [], comparisons: [{ id: 'c', createdAt: 'x', source: 's', firstSeed: 1, seeds: 1, bestTruth: 2, gridEpochs: 1, strategies: [] }], sources: {} }, 1)).toThrow(/comparisons\[0\]\.bestTruth/);
  });

  it('a report bundle verifies: replays replayed again, true errors and test scores from the benchmark; an edit is caught', async () => {
    const module = await loadStudyModule(starter);
    const study = await replayRecord(starter, { sampler: 'random', pruner: 'asha', trials: 12, workers: 2 }, 5, 'replay-9');
    const best = study.trials.filter((t) => t.state === 'COMPLETE').sort((a, b) => (a.value as number) - (b.value as number))[0]!;
    const tested = { ...study, test: { trial: best.number, wrong: benchmark.run(best.run!.index!, benchmark.data.seeds.indexOf(best.run!.seed)).testWrong[best.run!.epochs - 1]!, images: 5000, epochs: best.run!.epochs, at: '2026-11-30T01:00:00.000Z' } };
    const results = await compareStrategies({ module, strategies: [{ sampler: 'tpe-dedup', pruner: 'none', trials: 12, workers: 1 }], firstSeed: 3, seeds: 3, benchmark });
    const comparison = comparisonRecord({ id: 'c', createdAt: 'now', source: sourceKey(starter), firstSeed: 3, seeds: 3, bestTruth: benchmark.bestTruth, gridEpochs: benchmark.gridEpochs, results });
    const state: TuningState = { studies: [tested], comparisons: [comparison], sources: { [sourceKey(starter)]: starter } };
    const meta = { student: { name: 'A', notes: '' }, shown: {}, code: {} };
    const make = async (s: TuningState) => readBundle((await buildBundle({ definition: tuning, state: s, meta, criteria, title: 'Lab: tune', environment: {}, now: new Date('2026-11-30T12:00:00Z') })).zip);
    const claims = await verifyBundle(tuning, criteria, await make(state), { labVerifier: verifyTuning });
    expect(claims.filter((c) => c.status === 'contradicted')).toEqual([]);
    expect(claims.filter((c) => /replayed again|benchmark/.test(c.claim) && c.status === 'confirmed').length).toBe(4);
    const forged = { ...state, studies: [{ ...tested, trials: tested.trials.map((t, i) => (i === best.number ? { ...t, value: 0.01 } : t)) }] };
    const forgedClaims = await verifyBundle(tuning, criteria, await make(forged), { labVerifier: verifyTuning });
    expect(forgedClaims.find((c) => c.claim.startsWith('Replayed study replay-9'))).toMatchObject({ status: 'contradicted' });
  }, 20_000);
});
