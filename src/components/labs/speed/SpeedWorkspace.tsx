/**
 * The speed lab's view: the lab's own controls and results. The shell (../shell) gives the status, the job bar with
 * Cancel, the criteria, the report and Reset; labs/speed/lab.ts says what is measured; labs/speed/runner.ts decides
 * which worker does what; labs/speed/worker.ts does the work. tfjs never loads on this page, only in the workers.
 */
import { useEffect, useMemo, useState } from 'react';
import speed, { type SpeedState } from '../../../../labs/speed/lab.ts';
import { startRun } from '../../../../labs/speed/runner.ts';
import type { SpeedApi } from '../../../../labs/speed/worker.ts';
import type { RunPlan, StudentCode } from '../../../../labs/speed/protocol.ts';
import { backendName } from '../../../../labs/speed/results.ts';
import type { Environment } from '../../../labkit/bench/environment.ts';
import { environmentRows } from '../../../labkit/bench/environment.ts';
import { codeInUse } from '../../../labkit/lab/exercise.ts';
import { WorkerClient, type WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { exercisesOf } from '../code/exercises.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell, type LabShellApi } from '../shell/useLabShell.ts';
import { siteBase, WASM } from '../../../labkit/ml/tfjs-assets.ts';
import { MachineSection } from './MachineSection.tsx';
import { SetupSection } from './SetupSection.tsx';
import { defaultChoices, type Choices } from './choices.ts';
import { CodeSection } from './CodeSection.tsx';
import { ResultsSection } from './ResultsSection.tsx';

const EXERCISES = exercisesOf('speed');

const createWorker = () => new Worker(new URL('../../../../labs/speed/worker.ts', import.meta.url), { type: 'module', name: 'speed-lab' }) as unknown as WorkerLike;

export type SpeedShell = LabShellApi<SpeedState>;

export default function SpeedWorkspace({ lab }: LabProps) {
  const [env, setEnv] = useState<Environment | Error | null>(null);
  const detected = env && !(env instanceof Error) ? env : null;
  const shell = useLabShell(speed, lab, {
    environment: () => (detected ? Object.fromEntries(environmentRows(detected)) : {}),
  });
  const [choices, setChoices] = useState<Choices | null>(null);

  // What this browser offers, detected in a worker of its own (tfjs never loads on the page).
  useEffect(() => {
    const client = new WorkerClient<SpeedApi>({ create: createWorker });
    client
      .call('detect', undefined as never)
      .promise.then(
        (found) => {
          setEnv(found);
          setChoices((c) => c ?? defaultChoices(found));
        },
        (error: unknown) => setEnv(error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => client.dispose());
    return () => client.dispose();
  }, []);

  // The student's own functions, once all their tests pass and they switch them on.
  const code: StudentCode = codeInUse(EXERCISES, shell.session.meta.code);

  const run = async (plan: Omit<RunPlan, 'code'>) => {
    const result = await shell.run('Run benchmark', (onProgress) => startRun({ ...plan, code }, { create: createWorker, setup: { base: siteBase(), wasm: WASM } }, onProgress));
    if (!result) return;
    shell.session.update((s) => ({ runs: [...s.runs, result] }));
    const failed = result.backends.filter((b) => b.error);
    const measured = result.backends.filter((b) => b.groups.length || b.first.length);
    shell.say(
      `Run ${shell.session.state.runs.length}: measured on ${measured.map((b) => backendName(b)).join('; ')}.` +
        (failed.length ? ` Not fully measured: ${failed.map((b) => `${b.id} (${b.error})`).join('; ')}.` : '') +
        (result.skipped.length ? ` Not built: ${result.skipped.join('; ')}.` : ''),
    );
  };

  const status = useMemo(() => {
    if (!env) return 'Detecting backends in a Web Worker…';
    if (env instanceof Error) return `Backend detection failed: ${env.message}`;
    const mine = Object.keys(code);
    return `TensorFlow.js ${env.tfjs} runs in Web Workers, a fresh one for each measurement; this page never loads it.${mine.length ? ` Summaries use your ${mine.join(' and ')}.` : ''}`;
  }, [env, JSON.stringify(code)]); // eslint-disable-line react-hooks/exhaustive-deps -- the code's text stands for it

  return (
    <LabShell shell={shell} status={<span data-testid="speed-status">{status}</span>}>
      <MachineSection env={env} busy={!!shell.job} choices={choices} onChoices={setChoices} />
      <SetupSection shell={shell} env={detected} choices={choices} onChoices={setChoices} onRun={run} createWorker={createWorker} />
      <CodeSection shell={shell} exercises={EXERCISES} />
      <ResultsSection shell={shell} />
    </LabShell>
  );
}
