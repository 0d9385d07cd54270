/**
 * The serving lab's view. The shell (../shell) gives the status, the job bar with Cancel, the criteria, the report and
 * Reset; labs/serving/lab.ts says what is measured; the worker runs the student's server with the model and the
 * virtual-time experiments; labs/serving/driver.ts is the load generator on the page.
 */
import { useEffect, useMemo, useState } from 'react';
import serving, { type ServingState } from '../../../../labs/serving/lab.ts';
import type { ServingApi } from '../../../../labs/serving/worker.ts';
import type { StudentCode } from '../../../../labs/serving/protocol.ts';
import type { TfjsInfo } from '../../../labkit/ml/worker-env.ts';
import { codeInUse } from '../../../labkit/lab/exercise.ts';
import type { WorkerClient, WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell, type LabShellApi } from '../shell/useLabShell.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';
import { siteBase, WASM } from '../shell/tfjs-assets.ts';
import { exercisesOf } from '../code/exercises.ts';
import { ServerSection } from './ServerSection.tsx';
import { LoadSection } from './LoadSection.tsx';
import { OmissionSection } from './OmissionSection.tsx';
import { BatchingSection } from './BatchingSection.tsx';
import { CanarySection } from './CanarySection.tsx';
import { AbSection } from './AbSection.tsx';
import starter from '../../../../labs/serving/server/starter.mjs?raw';

const EXERCISES = exercisesOf('serving');

export interface ServingContext {
  shell: LabShellApi<ServingState>;
  state: ServingState;
  client: WorkerClient<ServingApi>;
  /** Whether the worker is ready and no job runs. */
  busy: boolean;
  /** Whether the student's server is running in the worker. */
  serverUp: boolean;
  setServerUp(up: boolean): void;
  exercises: typeof EXERCISES;
  using: StudentCode;
  newId(prefix: string): string;
  starter: string;
}

export default function ServingWorkspace({ lab }: LabProps) {
  const [info, setInfo] = useState<(TfjsInfo & { params: number }) | Error | null>(null);
  const [serverUp, setServerUp] = useState(false);
  const shell = useLabShell(serving, lab, {
    environment: () => ({
      'tfjs backend': info && !(info instanceof Error) ? info.backend : null,
      'tfjs version': info && !(info instanceof Error) ? info.tfjs : null,
      model: 'dense MNIST (edge lab)',
      'hardware threads': typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : null,
    }),
    onReset: () => setServerUp(false),
  });
  const state = shell.session.state;

  const using: StudentCode = codeInUse(EXERCISES, shell.session.meta.code);
  const usingKey = JSON.stringify(using);

  const { client } = useWorkerClient<ServingApi>({
    create: () => new Worker(new URL('../../../../labs/serving/worker.ts', import.meta.url), { type: 'module', name: 'serving-lab' }) as unknown as WorkerLike,
    setup: async (call) => {
      try {
        setInfo(await call('init', { backend: 'wasm', base: siteBase(), wasm: WASM }));
      } catch (error) {
        setInfo(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      // A fresh worker (after a crash or a Cancel that had to stop it) starts without the student's server.
      setServerUp(false);
    },
    stallMs: 60_000,
  });

  useEffect(() => {
    void client.call('code', using).promise.catch((error: unknown) => shell.warn(`Your functions could not be loaded: ${error instanceof Error ? error.message : String(error)}`));
  }, [usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the code in use

  const ready = !!info && !(info instanceof Error);
  const ctx: ServingContext = {
    shell,
    state,
    client,
    busy: !!shell.job || !ready,
    serverUp,
    setServerUp,
    exercises: EXERCISES,
    using,
    newId: (p) => `${p}${Math.random().toString(36).slice(2, 6)}`,
    starter,
  };
  // Tensors in memory, asked for when a job ends (the worker reports no stats per request, see worker.ts).
  const [tensors, setTensors] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (shell.job || !ready) return;
    void client.call('memory', undefined as never).promise.then(setTensors, () => undefined);
  }, [shell.job, ready]); // eslint-disable-line react-hooks/exhaustive-deps -- after each job
  const status = useMemo(() => {
    if (!info) return 'Starting TensorFlow.js and the model in a Web Worker…';
    if (info instanceof Error) return `The worker could not start: ${info.message}`;
    const mine = Object.keys(using);
    return `TensorFlow.js ${info.tfjs} on ${info.backend} in a Web Worker, serving the dense MNIST model (${info.params.toLocaleString('en')} parameters). Your server: ${serverUp ? 'running' : 'not started'}.${tensors !== undefined ? ` Tensors in memory: ${tensors}.` : ''}${mine.length ? ` Using your ${mine.join(' and ')}.` : ''}`;
  }, [info, serverUp, tensors, usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- usingKey stands for using

  return (
    <LabShell shell={shell} status={<span data-testid="serving-status">{status}</span>}>
      <ServerSection ctx={ctx} />
      <LoadSection ctx={ctx} />
      <OmissionSection ctx={ctx} />
      <BatchingSection ctx={ctx} />
      <CanarySection ctx={ctx} />
      <AbSection ctx={ctx} />
    </LabShell>
  );
}
