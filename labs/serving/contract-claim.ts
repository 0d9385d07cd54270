/**
 * The verify page's check of a recorded contract run: the bundle's server file runs the contract again, and the
 * outcomes are compared case by case with the recorded ones. Where it runs again is the caller's (verify.ts: the lab's
 * own worker with the real model); this module decides what the comparison means.
 */
import { strFromU8 } from 'fflate';
import { firstDifference, type Claim } from '../../src/labkit/lab/evidence.ts';
import type { CaseOutcome } from './server/contract.mjs';
import { SERVER_FILE } from './lab.ts';
import { ROUTES } from './report.ts';
import type { ServingState } from './schema.ts';

/** The contract run again: its outcomes, or why it could not run (`unavailable`) or why the server did not load. */
export type ContractRerun = { outcomes: CaseOutcome[] } | { unavailable: string } | { doesNotLoad: string };

const verdict = (o: CaseOutcome | undefined) => (!o ? 'absent' : o.passed ? 'passes' : 'fails');

/** The cases whose outcome differs between two runs, matched by name, each in words. */
export function differingCases(recorded: CaseOutcome[], again: CaseOutcome[]): string[] {
  const now = new Map(again.map((o) => [o.name, o]));
  const before = new Map(recorded.map((o) => [o.name, o]));
  const names = [...new Set([...before.keys(), ...now.keys()])];
  return names
    .filter((name) => verdict(before.get(name)) !== verdict(now.get(name)))
    .map((name) => {
      const b = before.get(name);
      const n = now.get(name);
      const why = n && !n.passed && n.message ? ` (${n.message})` : '';
      return `"${name}" ${b ? `was recorded as ${b.passed ? 'passing' : 'failing'}` : 'was not in the recorded run'}, ${n ? `now ${verdict(n)}${why}` : 'and is not in this contract'}`;
    });
}

const SHOWN = 3;

/**
 * The claims about `state.contract`: whether the bundle's server file is the recorded one, and whether the contract
 * run again on it passes and fails the same cases.
 */
export async function contractClaims(state: Pick<ServingState, 'server' | 'contract'>, files: Record<string, Uint8Array>, rerun: (source: string) => Promise<ContractRerun>): Promise<Claim[]> {
  const { contract, server } = state;
  if (!contract) return [];
  const passed = contract.outcomes.filter((o) => o.passed).length;
  const claim = `The server passed ${passed} of ${contract.outcomes.length} contract cases (${ROUTES[contract.route]})`;
  if (!server) return [{ claim, status: 'not-checkable', detail: 'the bundle holds no server file' }];
  const claims: Claim[] = [];
  const file = files[SERVER_FILE];
  if (file && strFromU8(file) !== server.source) {
    claims.push({ claim: `${SERVER_FILE} is the server file in the lab state`, status: 'contradicted', detail: `${firstDifference(strFromU8(file), server.source)}; the contract runs again on the state's` });
  }
  const again = await rerun(server.source);
  // A server started again after the contract ran replaced the file the bundle keeps: a difference then proves nothing.
  const restarted = server.at > contract.at;
  if ('unavailable' in again) claims.push({ claim, status: 'not-checkable', detail: `the lab's worker could not start here to run it again: ${again.unavailable}` });
  else if ('doesNotLoad' in again) claims.push({ claim, status: restarted ? 'not-checkable' : 'contradicted', detail: `the server file does not load here: ${again.doesNotLoad}` });
  else {
    const differ = differingCases(contract.outcomes, again.outcomes);
    if (!differ.length) claims.push({ claim, status: 'confirmed', detail: `run again in the lab's worker with the model, all ${again.outcomes.length} cases pass and fail as recorded` });
    else {
      const listed = `${differ.slice(0, SHOWN).join('; ')}${differ.length > SHOWN ? `; and ${differ.length - SHOWN} more` : ''}`;
      const lead = restarted ? `the server was started again (${server.at}) after the contract ran, and the bundle keeps the later file; ` : '';
      claims.push({ claim, status: restarted ? 'not-checkable' : 'contradicted', detail: `${lead}run again, ${differ.length} of ${Math.max(contract.outcomes.length, again.outcomes.length)} cases differ: ${listed}` });
    }
  }
  return claims;
}
