/**
 * What a lecturer's verify page can re-derive from a tuning report bundle. Replays are deterministic, so:
 *
 * - every replayed study is replayed again from its seed, strategy and study file (with the student's own sampler
 *   or pruner when the study used them), and its trials must come out the same; its journal and CSV in the bundle
 *   must be the ones the state gives;
 * - every comparison's chosen configurations must have the true errors the benchmark gives, and its first seeds,
 *   replayed again, must give the same results;
 * - a replayed study's test score must be the benchmark's.
 *
 * Live studies trained for real on the student's machine: their numbers cannot be re-measured here (not checkable),
 * only their consistency (the best trial, the epochs counted).
 */
import { strFromU8 } from 'fflate';
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { journalLines } from '../../src/labkit/tuning/journal.ts';
import { trialsCsv } from '../../src/labkit/tuning/csv.ts';
import type { PromoteRule } from '../../src/labkit/tuning/pruners.ts';
import type { RandomDraw } from '../../src/labkit/tuning/samplers.ts';
import { benchmark } from './benchmark.ts';
import { csvPath, journalPath } from './lab.ts';
import { loadStudyModule } from './objective.ts';
import { bestTrialOf, comparisonRecord, journalStudy, sourceKey, studyRecord, type TuningState } from './records.ts';
import { BLOCKED_REASON, compareStrategies, replayStudy } from './replay.ts';
import { strategyLabel, type StudentCode } from './strategy.ts';

/** Seeds per strategy of a comparison that are replayed again. */
export const RECHECKED_SEEDS = 2;

const EXPORTS = { sampleRandom: 'sample-random', promotable: 'asha-promote' } as const;

async function studentCode(names: (keyof typeof EXPORTS)[] | undefined, code: Record<string, { source: string }>): Promise<StudentCode | string> {
  const out: StudentCode = {};
  for (const name of names ?? []) {
    const record = code[EXPORTS[name]];
    if (!record) return `it used the student's ${name}, which is not in the bundle`;
    const mod = await importSource(record.source);
    if (name === 'sampleRandom') out.sampleRandom = mod.sampleRandom as RandomDraw;
    else out.promotable = mod.promotable as PromoteRule;
  }
  return out;
}

export const verifyTuning: LabVerifier<TuningState> = async (state, files, evidence) => {
  const claims: Claim[] = [];
  const sourceOf = (key: string) => state.sources[key];

  for (const s of state.studies) {
    const file = files[journalPath(s)];
    const js = journalStudy(s);
    if (file) {
      const same = strFromU8(file) === journalLines(js) && strFromU8(files[csvPath(s)] ?? new Uint8Array()) === trialsCsv(js);
      claims.push({ claim: `The journal and CSV of study ${s.id} are the study's`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: 'they differ from what its trials give' }) });
    }
    if (s.mode === 'live') {
      const best = bestTrialOf(s);
      const epochs = s.trials.reduce((a, t) => a + (t.run?.epochs ?? 0), 0);
      claims.push({ claim: `Live study ${s.id} (${strategyLabel(s.strategy)}) trained as recorded`, status: 'not-checkable', detail: `it trained on the student's machine; its records are consistent: ${epochs === s.epochs ? 'epochs add up' : `epochs do not add up (${epochs} vs ${s.epochs})`}${best ? `, best trial ${best.number}` : ''}` });
      continue;
    }
    const source = sourceOf(s.source);
    if (!source || sourceKey(source) !== s.source) {
      claims.push({ claim: `Replayed study ${s.id} can be replayed again`, status: 'contradicted', detail: 'its study file is missing or altered' });
      continue;
    }
    const code = await studentCode(s.studentCode, evidence.code ?? {});
    if (typeof code === 'string') {
      claims.push({ claim: `Replayed study ${s.id} can be replayed again`, status: 'not-checkable', detail: code });
      continue;
    }
    const skip = new Set(s.trials.filter((t) => t.reason === BLOCKED_REASON).map((t) => t.number));
    const module = await loadStudyModule(source);
    const run = await replayStudy({ module, strategy: s.strategy, seed: s.seed, benchmark, code, name: s.name, skip });
    const again = studyRecord({ id: s.id, name: s.name, mode: 'replay', createdAt: s.createdAt, strategy: s.strategy, seed: s.seed, study: run.study, source: s.source, runs: run.runs, epochs: run.epochs, studentCode: s.studentCode });
    const same = JSON.stringify(again.trials) === JSON.stringify(s.trials) && again.epochs === s.epochs;
    claims.push({ claim: `Replayed study ${s.id} gives the same ${s.trials.length} trials when replayed again from seed ${s.seed}`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: 'replayed again, its trials differ from the report' }) });
    if (s.test) {
      const best = bestTrialOf(s);
      const expected = best?.run?.index !== undefined ? benchmark.run(best.run.index, benchmark.data.seeds.indexOf(best.run.seed)).testWrong[best.run.epochs - 1] : undefined;
      const ok = best?.number === s.test.trial && expected === s.test.wrong && s.test.images === benchmark.data.data.test;
      claims.push({ claim: `Study ${s.id}'s test score (${s.test.images - s.test.wrong} of ${s.test.images} right) is the benchmark's for its chosen trial`, status: ok ? 'confirmed' : 'contradicted', ...(ok ? {} : { detail: `the benchmark gives ${expected ?? 'no'} wrong for trial ${best?.number ?? 'none'}` }) });
    }
  }

  for (const c of state.comparisons) {
    const truthsOk = c.bestTruth === benchmark.bestTruth && c.gridEpochs === benchmark.gridEpochs && c.strategies.every((s) => s.results.every(([config, truth]) => (config < 0 ? truth === null : truth === benchmark.truths[config])));
    claims.push({ claim: `Comparison ${c.id}: the chosen configurations' true errors are the benchmark's`, status: truthsOk ? 'confirmed' : 'contradicted', ...(truthsOk ? {} : { detail: 'some differ from the benchmark' }) });
    const source = sourceOf(c.source);
    const code = await studentCode(c.studentCode, evidence.code ?? {});
    if (!source || sourceKey(source) !== c.source || typeof code === 'string') {
      claims.push({ claim: `Comparison ${c.id} can be replayed again`, status: 'not-checkable', detail: typeof code === 'string' ? code : 'its study file is missing or altered' });
      continue;
    }
    const seeds = Math.min(RECHECKED_SEEDS, c.seeds);
    const results = await compareStrategies({ module: await loadStudyModule(source), strategies: c.strategies.map((s) => s.strategy), firstSeed: c.firstSeed, seeds, benchmark, code });
    const again = comparisonRecord({ id: c.id, createdAt: c.createdAt, source: c.source, firstSeed: c.firstSeed, seeds, bestTruth: benchmark.bestTruth, gridEpochs: benchmark.gridEpochs, results });
    const same = again.strategies.every((s, i) => JSON.stringify(s.results) === JSON.stringify(c.strategies[i]!.results.slice(0, seeds)));
    claims.push({ claim: `Comparison ${c.id}: its first ${seeds} seeds of every strategy give the same results when replayed again`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: 'replayed again, they differ from the report' }) });
  }
  return claims;
};
export default verifyTuning;
