/**
 * What a lecturer's verify page can re-derive from a containers report bundle: every recorded build is run again in
 * order from its recorded inputs (Dockerfile, .dockerignore, context checksums and texts, options, day), and its
 * decisions, image size, wasted bytes and smoke test must come out the same; every Compose check is run again on
 * its recorded file. The simulator is deterministic, so anything that differs was changed by hand (or made by
 * another version of the lab).
 */
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { build, emptyBuilder, type Image } from '../../src/labkit/docker/build.ts';
import type { ContainersState } from './lab.ts';
import { requestOf, summarize } from './records.ts';
import { checkCompose } from './stack.ts';

export const verifyContainers: LabVerifier<ContainersState> = async (state) => {
  const claims: Claim[] = [];
  let builder = emptyBuilder();
  const images = new Map<string, Image>();
  let same = 0;
  for (const record of state.builds) {
    if (record.kind === 'prune') {
      builder = { ...emptyBuilder(), images: builder.images };
      continue;
    }
    const missing = record.context.filter((c) => c.text && state.blobs[c.digest] === undefined).map((c) => c.path);
    if (missing.length) {
      claims.push({ claim: `Build ${record.id} can be run again from its inputs`, status: 'not-checkable', detail: `the texts of ${missing.join(', ')} are missing from the evidence` });
      continue;
    }
    const result = build(requestOf(record, state.blobs), builder);
    if (result.image) images.set(record.id, result.image);
    const again = summarize(result);
    const differences: string[] = [];
    const decisions = (steps: { line: number; decision: string }[]) => steps.map((s) => `${s.line}:${s.decision}`).join(' ');
    if (decisions(again.steps) !== decisions(record.steps)) differences.push(`cache decisions (recorded ${decisions(record.steps)}, now ${decisions(again.steps)})`);
    if (again.ok !== record.ok) differences.push(`result (recorded ${record.ok ? 'built' : 'failed'}, now ${again.ok ? 'built' : 'failed'})`);
    if (again.size !== record.size) differences.push(`size (recorded ${record.size} B, now ${again.size} B)`);
    if (again.wasted !== record.wasted) differences.push(`wasted bytes (recorded ${record.wasted}, now ${again.wasted})`);
    if ((again.smoke?.ok ?? null) !== (record.smoke?.ok ?? null)) differences.push('smoke test result');
    if (differences.length) claims.push({ claim: `Build ${record.id} gives the recorded result when run again`, status: 'contradicted', detail: differences.join('; ') });
    else same++;
  }
  const total = state.builds.filter((b) => b.kind === 'build').length;
  if (total) claims.push({ claim: `${same} of ${total} builds give the recorded decisions, sizes and smoke tests when run again from their inputs`, status: same === total ? 'confirmed' : 'contradicted' });
  for (const c of state.compose) {
    const image = c.image ? (images.get(c.image) ?? null) : null;
    const again = checkCompose({ id: c.id, at: c.at, compose: c.compose, env: c.env, image: c.image ? { id: c.image } : null }, image).record;
    const fields = ['errors', 'warnings', 'declaredHealthyWait', 'startedAfterHealthy'] as const;
    const changed = fields.filter((f) => again[f] !== c[f]);
    claims.push({
      claim: `Compose check ${c.id} gives the recorded result when run again`,
      status: changed.length ? 'contradicted' : 'confirmed',
      ...(changed.length ? { detail: changed.map((f) => `${f}: recorded ${String(c[f])}, now ${String(again[f])}`).join('; ') } : {}),
    });
  }
  return claims;
};
export default verifyContainers;
