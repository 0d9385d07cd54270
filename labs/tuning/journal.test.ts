/**
 * The tuning lab's journal export against Optuna 3.1: the golden studies are made again here and must give the
 * committed files byte for byte (the same seed gives the same export), and what Optuna read back from those files
 * (labs/tuning/fixtures/optuna-readback.json, made offline by scripts/oracles/tuning.py) must be the lab's own view of
 * the study: the same best value and parameters, and every trial's state, value, parameters and reports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import readback from './fixtures/optuna-readback.json';
import { goldenJournals } from './golden.ts';
import { bestTrialOf, intermediateOf, valueOf } from './records.ts';

const fixture = (file: string) => readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
const same = (a: unknown) => (typeof a === 'string' && ['nan', 'inf', '-inf'].includes(a) ? Number(a.replace('inf', 'Infinity')) : a);

describe('Optuna journal export', async () => {
  const journals = await goldenJournals();
  for (const { file, study, text } of journals) {
    it(`${file}: the same study gives the same bytes as the committed journal`, () => {
      expect(text).toBe(fixture(file));
    });
    it(`${file}: Optuna 3.1 reads back the lab's best trial and every trial`, () => {
      const theirs = (readback.journals as Record<string, (typeof readback.journals)[keyof typeof readback.journals]>)[file]!;
      const best = bestTrialOf(study)!;
      expect(theirs.studyName).toBe(study.name);
      expect(theirs.direction).toBe(study.direction);
      expect(theirs.bestNumber).toBe(best.number);
      expect(theirs.bestValue).toBe(valueOf(best));
      expect(theirs.bestParams).toEqual(best.params);
      expect(theirs.trials.map((t) => t.state)).toEqual(study.trials.map((t) => t.state));
      theirs.trials.forEach((t, i) => {
        const mine = study.trials[i]!;
        expect(t.params, `trial ${i} parameters`).toEqual(mine.params);
        expect(same(t.value), `trial ${i} value`).toEqual(valueOf(mine));
        expect(t.intermediate.map(([s, v]) => [s, same(v)]), `trial ${i} reports`).toEqual(intermediateOf(mine));
        expect(t.durationMs, `trial ${i} duration`).toBeCloseTo((mine.end ?? mine.start) - mine.start, 3);
      });
    });
  }
});
