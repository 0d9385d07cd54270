/**
 * What the verify page re-checks of a pipeline bundle: the student's final project runs again in the offline runtime
 * (a fresh project, four runs: the pipeline twice, then with --epochs=50 and --epochs=0), and each criterion is
 * evaluated on those fresh run records. A report whose code does not do what its records say is contradicted.
 */
import { strFromU8 } from 'fflate';
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { emptyProject } from '../../src/labkit/lab/project.ts';
import { evaluateCriteria } from '../../src/labkit/report/criteria.ts';
import { createBrowserOfflineRuntime } from '../../src/labkit/runtime/offline.ts';
import type { LabRuntime } from '../../src/labkit/runtime/types.ts';
import { keep, pipeline, runRecords, type PipelineState } from './lab.ts';

export const REPLAY: string[][] = [[], [], ['--epochs=50'], ['--epochs=0']];

async function written(rt: LabRuntime, dir = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await rt.readdir(dir)) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.directory) Object.assign(out, await written(rt, path));
    else if (keep(path)) out[path] = (await rt.readFile(path)) ?? '';
  }
  return out;
}

/** Runs the project four times in a fresh offline runtime; the state those runs would have made. */
export async function replay(project: Record<string, string>, run: (rt: LabRuntime, args: string[]) => Promise<void>, rt: LabRuntime): Promise<PipelineState> {
  await rt.mount(project);
  for (const args of REPLAY) await run(rt, args);
  return { project: { ...emptyProject(), generated: await written(rt) } };
}

export const verify: LabVerifier<PipelineState> = async (state, files, evidence) => {
  const project: Record<string, string> = {};
  for (const [path, bytes] of Object.entries(files)) if (path.startsWith('project/')) project[path.slice('project/'.length)] = strFromU8(bytes);
  if (!project['pipeline.mjs']) return [{ claim: 'The student’s project runs again', status: 'not-checkable', detail: 'the bundle holds no project files' }];
  const rt = createBrowserOfflineRuntime();
  try {
    const fresh = await replay(
      { ...project, 'criteria.json': JSON.stringify(evidence.criteria) },
      async (runtime, args) => void (await runtime.run({ entry: 'pipeline.mjs', args, timeoutMs: 30_000, onOutput: () => undefined }).done),
      rt,
    );
    const { records } = runRecords(fresh.project);
    const claims: Claim[] = [{ claim: `The final project runs again offline (${REPLAY.length} runs: ${REPLAY.map((a) => `node pipeline.mjs ${a.join(' ')}`.trim()).join('; ')})`, status: records.length === REPLAY.length ? 'confirmed' : 'contradicted', ...(records.length === REPLAY.length ? {} : { detail: `${records.length} run records were written` }) }];
    const before = evaluateCriteria(evidence.criteria, pipeline.measure(state));
    const after = evaluateCriteria(evidence.criteria, pipeline.measure(fresh));
    for (const [i, e] of before.entries()) {
      if (e.status !== 'met') continue;
      const again = after[i]!;
      claims.push({
        claim: `"${e.criterion.label}" holds when the lab runs the final code again`,
        status: again.status === 'met' ? 'confirmed' : 'contradicted',
        ...(again.status === 'met' ? {} : { detail: `run again, ${e.criterion.quantity} = ${again.value ?? 'nothing'}` }),
      });
    }
    return claims;
  } finally {
    await rt.dispose();
  }
};
