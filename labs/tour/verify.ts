/** What the verify page re-checks of a tour-lab bundle: each batch's interval, recomputed from its counts. */
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { wilson } from '../../src/labkit/stats/wilson.mjs';
import type { TourState } from './lab.ts';

export const verify: LabVerifier<TourState> = async (state) => {
  const claims: Claim[] = [{ claim: `${state.batches.length} batches of random darts were thrown`, status: 'not-checkable', detail: 'random darts cannot be thrown again the same way' }];
  for (const b of state.batches) {
    const ci = wilson(b.inside, b.darts);
    const same = Math.abs(4 * ci.lower - b.lower) < 1e-9 && Math.abs(4 * ci.upper - b.upper) < 1e-9;
    claims.push({
      claim: `Batch ${b.id}: the interval ${b.lower.toFixed(5)} to ${b.upper.toFixed(5)} follows from ${b.inside} of ${b.darts} darts`,
      status: same ? 'confirmed' : 'contradicted',
      ...(same ? {} : { detail: `the Wilson interval gives ${(4 * ci.lower).toFixed(5)} to ${(4 * ci.upper).toFixed(5)}${b.studentCode ? ' (this batch used the student’s own function)' : ''}` }),
    });
  }
  return claims;
};
