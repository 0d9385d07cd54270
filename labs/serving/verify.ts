/**
 * What the verify page re-derives from a serving-lab bundle. The contract test runs again on the bundle's server file
 * in the lab's own worker with the real model (contract-claim.ts compares the outcomes case by case). Load tests ran
 * against a real server in a browser and cannot be run again, but their percentiles follow from the samples kept; the
 * coordinated-omission, batching and rollout experiments ran in virtual time on recorded inputs with fixed seeds, so
 * they are replayed exactly (the rollout and the sweep with the lab's own check and flush rule: a student's own
 * function is not in the bundle).
 */
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { startedClient, WorkerFailed, type WorkerLike } from '../../src/labkit/lab/worker-rpc.ts';
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { runAbTest } from '../../src/labkit/serving/abtest.ts';
import { siteBase, WASM } from '../../src/labkit/ml/tfjs-assets.ts';
import { contractClaims, type ContractRerun } from './contract-claim.ts';
import { batchingSweep, coordinatedOmission, simulatedRollout } from './experiments.ts';
import { serviceTimes } from './records.ts';
import type { ServingState } from './schema.ts';
import type { ServingApi } from './worker.ts';

/** The contract on `source` in a fresh worker of the lab, set up as the lab page sets up its own. */
async function rerunInWorker(source: string): Promise<ContractRerun> {
  const client = await startedClient<ServingApi>({
    create: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'serving-verify' }) as unknown as WorkerLike,
    setup: (call) => call('init', { backend: 'wasm', base: siteBase(), wasm: WASM }),
  });
  if (client instanceof WorkerFailed) return { unavailable: client.message };
  try {
    try {
      await client.call('server', { source }).promise;
    } catch (error) {
      return { doesNotLoad: error instanceof Error ? error.message : String(error) };
    }
    return { outcomes: await client.call('contract', undefined as never).promise };
  } finally {
    client.dispose();
  }
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

export const verify: LabVerifier<ServingState> = async (state, files) => {
  const claims: Claim[] = await contractClaims(state, files, rerunInWorker);
  for (const t of state.loadTests) {
    claims.push({ claim: `Load test ${t.id}: ${t.intended.length} requests were sent`, status: 'not-checkable', detail: 'a load test measures a browser at one moment; its percentiles follow from the samples kept (see the table)' });
  }
  const tests = new Map(state.loadTests.map((t) => [t.id, t]));
  if (state.omission) {
    const source = tests.get(state.omission.loadTest);
    if (!source) claims.push({ claim: 'The coordinated-omission experiment', status: 'not-checkable', detail: `its load test ${state.omission.loadTest} is no longer in the state` });
    else {
      const again = await coordinatedOmission(serviceTimes(source), state.omission.seed);
      const same = close(again.ratio, state.omission.result.ratio);
      claims.push({ claim: `With the planted stall the open-model p99 is ${state.omission.result.ratio.toFixed(1)}× the closed-model p99`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: `the replay gives ${again.ratio.toFixed(2)}×` }) });
    }
  }
  for (const b of state.batching) {
    if (b.flushBy === 'yours') {
      claims.push({ claim: `Batcher sweep ${b.id}`, status: 'not-checkable', detail: 'it ran with the student’s own flush rule' });
      continue;
    }
    const again = await batchingSweep(b.costs, b.rate, b.seed);
    const same = again.length === b.rows.length && again.every((r, i) => close(r.throughput, b.rows[i]!.throughput) && close(r.p95, b.rows[i]!.p95));
    claims.push({ claim: `Batcher sweep ${b.id}: throughput and p95 of ${b.rows.length} settings follow from the measured batch costs`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: 'the replay on the recorded batch costs gives other figures' }) });
  }
  for (const r of state.rollouts) {
    const source = tests.get(r.loadTest);
    if (r.verdictBy === 'yours' || !source) {
      claims.push({ claim: `Rollout ${r.id} was ${r.result.outcome}`, status: 'not-checkable', detail: r.verdictBy === 'yours' ? 'it ran with the student’s own check' : `its load test ${r.loadTest} is no longer in the state` });
      continue;
    }
    const again = simulatedRollout(r.plan, r.baselineErrorPct, r.regressionPp, serviceTimes(source), r.seed, undefined, r.testerPct);
    const same = again.outcome === r.result.outcome && again.looks.length === r.result.looks.length && again.canaryRequests === r.result.canaryRequests;
    claims.push({ claim: `Rollout ${r.id} (canary +${r.regressionPp} pp) was ${r.result.outcome} after ${r.result.canaryRequests} canary requests`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: `the replay was ${again.outcome} after ${again.canaryRequests} canary requests` }) });
  }
  for (const t of state.abTests) {
    const again = runAbTest(t.plan, t.perArm, t.trueLift, mulberry32(t.seed));
    const same = again.a.conversions === t.result.a.conversions && again.b.conversions === t.result.b.conversions && again.decision === t.result.decision;
    claims.push({ claim: `A/B test ${t.id}: ${t.result.decision} (p = ${t.result.pValue.toPrecision(3)}) with ${t.perArm} sessions per arm`, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: `the replay gives ${again.a.conversions} and ${again.b.conversions} conversions: ${again.decision}` }) });
  }
  return claims;
};
