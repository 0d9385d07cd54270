/**
 * What a lecturer's verify page can re-derive from a speed-lab report bundle. Timings cannot be measured again on
 * another machine, but every summary can be recomputed from the timed runs kept with it, with the lab's reference
 * order statistics: a median or an interval edited by hand, or a student function that is wrong beyond its tests,
 * shows up here.
 */
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import type { SpeedState } from './lab.ts';
import { configuration, steadyRows } from './results.ts';
import { keptSummary } from './summary.ts';

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export const verifySpeed: LabVerifier<SpeedState> = async (state) => {
  const claims: Claim[] = [];
  for (const r of steadyRows(state)) {
    const kept = r.row.summary;
    const again = keptSummary(r.row.samples);
    const wrong = (Object.keys(again) as (keyof typeof again)[]).filter((k) => !same(kept[k], again[k]));
    claims.push({
      claim: `Run ${r.runNumber}, ${configuration(r)}: median ${kept.median.toPrecision(3)} ms (95% CI ${kept.lower.toPrecision(3)}–${kept.upper.toPrecision(3)}) follows from its ${kept.n} timed runs`,
      status: wrong.length ? 'contradicted' : 'confirmed',
      ...(wrong.length ? { detail: `recomputed with the reference: ${wrong.map((k) => `${k} ${again[k]}`).join(', ')}` } : {}),
    });
  }
  if (state.runs.length) claims.push({ claim: 'The timings themselves', status: 'not-checkable', detail: 'they were measured on the student’s machine and cannot be measured again here' });
  return claims;
};
export default verifySpeed;
