import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildBundle, readBundle, verifyBundle, type Claim, type LabVerifier } from './evidence.ts';
import { runExercise } from './exercise.ts';
import { criteria, dice, type State } from './testing/dice-lab.ts';

const state: State = { throws: [{ id: 'a', value: 5 }, { id: 'b', value: 6 }, { id: 'c', value: 4 }] };
const meta = {
  student: { name: 'Ada Lovelace', notes: 'The mean sits above 4 even at its lower bound.' },
  shown: { 'solution-1': '2026-11-30T10:00:00.000Z' },
  code: { double: { source: 'export const double = (x) => 2 * x;', runs: 1, use: true, last: { at: '2026-11-30T10:00:00.000Z', cases: [{ name: 'two', passed: true }] } } },
};
const doubleSpec = { id: 'double', title: 'Double', file: 'double.mjs', exportName: 'double', brief: '', starter: '', reference: 'export const double = (x) => x * 2;', tests: "export default [{ name: 'two', run: (s, r, t) => t.equal(s(2), r(2), 'double 2') }];" };

async function bundle(s: State = state) {
  return buildBundle({ definition: dice, state: s, meta, criteria, title: 'Lab: dice', environment: { browser: 'test' }, now: new Date('2026-11-30T12:00:00Z') });
}

/** Rewrites one file inside a bundle zip, as someone editing it by hand would. */
function edit(zip: Uint8Array, name: string, change: (text: string) => string): Uint8Array {
  const entries = unzipSync(zip);
  const key = Object.keys(entries).find((k) => k.endsWith(name))!;
  entries[key] = strToU8(change(strFromU8(entries[key]!)));
  return zipSync(entries);
}

const statuses = (claims: Claim[]) => claims.map((c) => c.status);

describe('report bundle', () => {
  it('holds the report with linked charts, the evidence and the evidence files, and reads back', async () => {
    const { zip, reportMarkdown } = await bundle();
    const names = Object.keys(unzipSync(zip)).sort();
    expect(names).toEqual(['lab-report-dice/evidence.json', 'lab-report-dice/evidence/throws.csv', 'lab-report-dice/report.md']);
    expect(reportMarkdown).toMatch(/\*\*Student:\*\* Ada Lovelace/);
    expect(reportMarkdown).toMatch(/Solutions opened:\*\* solution-1/);
    expect(reportMarkdown).toMatch(/## What the student changed/);
    expect(reportMarkdown).toMatch(/The mean sits above 4/);
    expect(reportMarkdown).toMatch(/5 pips \(95% CI 4 to 6\)/);
    const read = readBundle(zip);
    expect(read.evidence.measured['throws.count']).toEqual({ value: 3 });
    expect(strFromU8(read.files['throws.csv']!)).toContain('b,6');
  });

  it('verifies a genuine bundle: every claim confirmed', async () => {
    const claims = await verifyBundle(dice, criteria, readBundle((await bundle()).zip), { exercises: [doubleSpec], runExercise });
    expect(claims.filter((c) => c.status !== 'confirmed')).toEqual([]);
    expect(claims.length).toBeGreaterThan(6);
  });

  it('flags a number edited in report.md', async () => {
    const forged = edit((await bundle()).zip, 'report.md', (t) => t.replace('5 pips (95% CI 4 to 6)', '5.5 pips (95% CI 4.5 to 6.5)'));
    const claims = await verifyBundle(dice, criteria, readBundle(forged));
    expect(claims.find((c) => c.claim === 'report.md matches its evidence')).toMatchObject({ status: 'contradicted', detail: expect.stringMatching(/5\.5 pips/) });
  });

  it('flags a measured value edited in evidence.json, and an edited evidence file', async () => {
    const { zip } = await bundle();
    const forged = edit(zip, 'evidence.json', (t) => t.replace('"value": 3', '"value": 30'));
    const claims = await verifyBundle(dice, criteria, readBundle(forged));
    expect(claims.find((c) => c.claim.startsWith('throws.count'))).toMatchObject({ status: 'contradicted', detail: expect.stringMatching(/give 3 throws/) });
    const csv = edit(zip, 'throws.csv', (t) => t.replace('b,6', 'b,9'));
    expect((await verifyBundle(dice, criteria, readBundle(csv))).find((c) => c.claim.includes('throws.csv'))).toMatchObject({ status: 'contradicted' });
  });

  it('flags other thresholds, another lab, a state that is not valid, and restored results', async () => {
    const other = criteria.map((c) => ({ ...c, threshold: c.threshold - 1 }));
    expect((await verifyBundle(dice, other, readBundle((await bundle()).zip))).find((c) => c.claim.includes('acceptance criteria'))?.status).toBe('contradicted');
    const wrongLab = { ...dice, id: 'other' };
    expect(statuses(await verifyBundle(wrongLab, criteria, readBundle((await bundle()).zip)))).toEqual(['contradicted']);
    const bad = edit((await bundle()).zip, 'evidence.json', (t) => {
      const evidence = JSON.parse(t);
      evidence.state.throws[0].value = 'five';
      return JSON.stringify(evidence);
    });
    expect((await verifyBundle(dice, criteria, readBundle(bad)))[0]).toMatchObject({ status: 'contradicted', detail: expect.stringMatching(/throws\[0\]\.value/) });
    const restored = await buildBundle({ definition: dice, state, meta: { ...meta, restoredAt: '2026-11-29T08:00:00.000Z' }, criteria, title: 'Lab: dice', environment: {} });
    expect((await verifyBundle(dice, criteria, readBundle(restored.zip))).find((c) => c.claim.includes('measured in the student'))?.status).toBe('contradicted');
  });

  it('adds the lab verifier\u2019s claims', async () => {
    const labVerifier: LabVerifier<State> = async (s) => [{ claim: `re-rolled ${s.throws.length} throws`, status: 'not-checkable', detail: 'dice are random' }];
    const claims = await verifyBundle(dice, criteria, readBundle((await bundle()).zip), { labVerifier });
    expect(claims.at(-1)).toMatchObject({ claim: 're-rolled 3 throws', status: 'not-checkable' });
  });

  it('shows the student\u2019s code with its results, and runs the tests on it again', async () => {
    const { zip, reportMarkdown } = await bundle();
    expect(reportMarkdown).toMatch(/### Exercise `double` \(1 of 1 test cases passed; the lab used this function\)/);
    const confirmed = await verifyBundle(dice, criteria, readBundle(zip), { exercises: [doubleSpec], runExercise });
    expect(confirmed.find((c) => c.claim.startsWith('Exercise double'))).toMatchObject({ status: 'confirmed' });
    const forged = edit(zip, 'evidence.json', (t) => t.replace('(x) => 2 * x', '(x) => x + 1'));
    const claims = await verifyBundle(dice, criteria, readBundle(forged), { exercises: [doubleSpec], runExercise });
    expect(claims.find((c) => c.claim.startsWith('Exercise double'))).toMatchObject({ status: 'contradicted', detail: expect.stringMatching(/0 of 1/) });
  });

  it('refuses what is not a bundle with a message', () => {
    expect(() => readBundle(new Uint8Array([1, 2, 3]))).toThrow(/not a zip/);
    expect(() => readBundle(zipSync({ 'report.md': strToU8('# hi') }))).toThrow(/no evidence\.json/);
  });
});
