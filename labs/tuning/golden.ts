/**
 * The studies behind the journal's golden cases (scripts/oracles/tuning-journals.mjs writes them, Optuna reads them
 * back, labs/tuning/journal.test.ts compares): a replay of the starter study file with de-duplicated TPE and ASHA on
 * 3 simulated workers, and the edge-case study file (fixtures/edge-study.mjs) with a median pruner.
 */
import { readFileSync } from 'node:fs';
import { journalLines } from '../../src/labkit/tuning/journal.ts';
import { benchmark } from './benchmark.ts';
import { loadStudyModule } from './objective.ts';
import { journalStudy, sourceKey, studyRecord, type StoredStudy } from './records.ts';
import { replayStudy } from './replay.ts';
import type { Strategy } from './strategy.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

export async function goldenStudy(name: string, sourcePath: string, strategy: Strategy, seed: number): Promise<StoredStudy> {
  const source = read(sourcePath);
  const module = await loadStudyModule(source);
  const run = await replayStudy({ module, strategy, seed, benchmark, name });
  return studyRecord({ id: name, name, mode: 'replay', createdAt: '2026-11-30T00:00:00.000Z', strategy, seed, study: run.study, source: sourceKey(source), runs: run.runs, epochs: run.epochs });
}

export const GOLDEN = [
  { file: 'journal-replay.jsonl', name: 'golden-replay', source: './starter/study.mjs', strategy: { sampler: 'tpe-dedup', pruner: 'asha', trials: 30, workers: 3 } as Strategy, seed: 7 },
  { file: 'journal-edge.jsonl', name: 'golden-edge', source: './fixtures/edge-study.mjs', strategy: { sampler: 'random', pruner: 'median', trials: 14, workers: 1 } as Strategy, seed: 3 },
];

export async function goldenJournals(): Promise<{ file: string; study: StoredStudy; text: string }[]> {
  const out = [];
  for (const g of GOLDEN) {
    const study = await goldenStudy(g.name, g.source, g.strategy, g.seed);
    out.push({ file: g.file, study, text: journalLines(journalStudy(study)) });
  }
  return out;
}
