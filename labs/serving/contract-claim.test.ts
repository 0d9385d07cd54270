/**
 * The contract claim of a serving bundle, with the contract run again under Node on the lab's own server files (a
 * uniform stand-in model: the verify page runs it in the lab's worker with the real one, which Node has not).
 */
import { readFileSync } from 'node:fs';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { contractClaims, differingCases, type ContractRerun } from './contract-claim.ts';
import { runContract, type CaseOutcome } from './server/contract.mjs';
import { answer, hostModel, loadServer } from './server/host.mjs';
import { DENSE_MNIST } from './server/mnist-dense.mjs';
import type { ServingState } from './schema.ts';

const source = (name: string) => readFileSync(new URL(`./server/${name}`, import.meta.url), 'utf8');
const uniform = hostModel(DENSE_MNIST, async (_values, batch) => new Float32Array(batch * 10).fill(0.1));

async function rerun(text: string): Promise<ContractRerun> {
  let server;
  try {
    server = await loadServer(text, importSource);
  } catch (error) {
    return { doesNotLoad: (error as Error).message };
  }
  return { outcomes: await runContract((request) => answer(server, { model: uniform }, request, 1000), DENSE_MNIST) };
}

const STARTED = '2026-12-01T10:00:00.000Z';
const TESTED = '2026-12-01T10:00:01.000Z';
function state(text: string, outcomes: CaseOutcome[], serverAt = STARTED): Pick<ServingState, 'server' | 'contract'> {
  return { server: { at: serverAt, source: text }, contract: { at: TESTED, route: 'service worker', outcomes } };
}
const files = (text: string) => ({ 'server.mjs': strToU8(text) });

describe('the contract claim of a serving bundle', () => {
  it('confirms a recorded run when the file passes and fails the same cases again, and names how many', async () => {
    for (const name of ['reference.mjs', 'starter.mjs']) {
      const text = source(name);
      const { outcomes } = (await rerun(text)) as { outcomes: CaseOutcome[] };
      const claims = await contractClaims(state(text, outcomes), files(text), rerun);
      expect(claims).toEqual([{ claim: expect.stringMatching(/^The server passed \d+ of 14 contract cases \(fetch through the preview’s service worker\)$/), status: 'confirmed', detail: expect.stringContaining('all 14 cases pass and fail as recorded') }]);
    }
  });

  it('contradicts a run recorded as passing when the file fails cases, naming them', async () => {
    const text = source('starter.mjs');
    const { outcomes } = (await rerun(text)) as { outcomes: CaseOutcome[] };
    const failing = outcomes.filter((o) => !o.passed);
    const forged = outcomes.map((o) => ({ name: o.name, passed: true, status: 200 }));
    const [claim] = await contractClaims(state(text, forged), files(text), rerun);
    expect(claim).toMatchObject({ claim: expect.stringContaining('passed 14 of 14'), status: 'contradicted' });
    expect(claim!.detail).toContain(`${failing.length} of 14 cases differ: "${failing[0]!.name}" was recorded as passing, now fails (${failing[0]!.message})`);
    if (failing.length > 3) expect(claim!.detail).toMatch(new RegExp(`and ${failing.length - 3} more$`));
  });

  it('flags a server.mjs that is not the recorded server, and runs the recorded one', async () => {
    const text = source('reference.mjs');
    const { outcomes } = (await rerun(text)) as { outcomes: CaseOutcome[] };
    const claims = await contractClaims(state(text, outcomes), files(text.replace('404', '410')), rerun);
    expect(claims.map((c) => c.status)).toEqual(['contradicted', 'confirmed']);
    expect(claims[0]).toMatchObject({ claim: 'server.mjs is the server file in the lab state', detail: expect.stringMatching(/^line \d+: the bundle has ".*410.*", the evidence gives ".*404.*"; the contract runs again/) });
  });

  it('says when the server file does not load, and when the lab’s worker cannot start', async () => {
    const outcomes = [{ name: 'a', passed: true }];
    const broken = await contractClaims(state('export default {', outcomes), {}, rerun);
    expect(broken).toEqual([{ claim: expect.any(String), status: 'contradicted', detail: expect.stringMatching(/^the server file does not load here: your server does not load/) }]);
    const nowhere = await contractClaims(state('x', outcomes), {}, async () => ({ unavailable: 'no workers' }));
    expect(nowhere).toEqual([{ claim: expect.any(String), status: 'not-checkable', detail: "the lab's worker could not start here to run it again: no workers" }]);
    expect(await contractClaims({ server: null, contract: state('x', outcomes).contract }, {}, rerun)).toMatchObject([{ status: 'not-checkable', detail: 'the bundle holds no server file' }]);
    expect(await contractClaims({ server: null, contract: null }, {}, rerun)).toEqual([]);
  });

  it('does not call a difference a forgery when the server was started again after the contract ran', async () => {
    const text = source('starter.mjs');
    const claims = await contractClaims(state(text, [{ name: 'a', passed: true }], '2026-12-01T11:00:00.000Z'), files(text), rerun);
    expect(claims).toMatchObject([{ status: 'not-checkable', detail: expect.stringMatching(/^the server was started again \(2026-12-01T11:00:00.000Z\) after the contract ran/) }]);
  });

  it('matches cases by name, so a case only one run has is a difference', () => {
    const recorded = [{ name: 'a', passed: true }, { name: 'old', passed: false }];
    const again = [{ name: 'a', passed: true }, { name: 'new', passed: false, message: 'why' }];
    expect(differingCases(recorded, again)).toEqual(['"old" was recorded as failing, and is not in this contract', '"new" was not in the recorded run, now fails (why)']);
    expect(differingCases(recorded, recorded)).toEqual([]);
  });
});
