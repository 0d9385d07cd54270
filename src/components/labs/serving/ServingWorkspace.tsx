/**
 * The serving lab's view. The shell (../shell) gives the status, the job bar with Cancel, the criteria, the report and
 * Reset; labs/serving/lab.ts says what is measured; the worker runs the student's server with the model and the
 * virtual-time experiments; labs/serving/driver.ts is the load generator on the page.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import serving, { type ServingState } from '../../../../labs/serving/lab.ts';
import type { ServingApi } from '../../../../labs/serving/worker.ts';
import type { Route, StudentCode } from '../../../../labs/serving/protocol.ts';
import { previewFetch, viaServiceWorker, viaWorker, type Send } from '../../../../labs/serving/driver.ts';
import { openSandbox, type Sandbox } from '../../../labkit/sandbox/connect.ts';
import type { TfjsInfo } from '../../../labkit/ml/worker-env.ts';
import { codeInUse } from '../../../labkit/lab/exercise.ts';
import type { WorkerClient, WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell, type LabShellApi } from '../shell/useLabShell.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';
import { siteBase, WASM } from '../../../labkit/ml/tfjs-assets.ts';
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
  /** The lab's sandbox (its service worker is running and holds a port to the worker), or why it could not start. */
  sandbox: Sandbox | Error | null;
  /** The preview page's window once it has loaded: its `fetch` goes through the sandbox's service worker. */
  preview: Window | null;
  setPreview(preview: Window | null): void;
  /** The routes requests can take; `serviceWorker` once the preview has loaded. */
  routes: { worker: Send; serviceWorker?: Send | undefined };
  /** `fetch` as the preview page makes it (through the sandbox's service worker), once the preview has loaded. */
  inPreview?: ((request: Request) => Promise<Response>) | undefined;
  /** The route the client panel, the terminal and the load tests use. */
  route: Route;
  setRoute(route: Route): void;
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

  const [sandbox, setSandbox] = useState<Sandbox | Error | null>(null);
  const [preview, setPreview] = useState<Window | null>(null);
  const [chosenRoute, setRoute] = useState<Route>('service worker');
  const sandboxRef = useRef<Sandbox | null>(null);

  const { client } = useWorkerClient<ServingApi>({
    create: () => new Worker(new URL('../../../../labs/serving/worker.ts', import.meta.url), { type: 'module', name: 'serving-lab' }) as unknown as WorkerLike,
    setup: async (call) => {
      try {
        setInfo(await call('init', { backend: 'wasm', base: siteBase(), wasm: WASM }));
      } catch (error) {
        setInfo(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      // A fresh worker (after a crash or a Cancel that had to stop it) starts without the student's server, and the
      // sandbox's port led to the old one: hand the service worker a port to this one (once setup is over).
      setServerUp(false);
      if (sandboxRef.current) void sandboxRef.current.reconnect().catch(() => undefined);
    },
    stallMs: 60_000,
  });

  useEffect(() => {
    void client.call('code', using).promise.catch((error: unknown) => shell.warn(`Your functions could not be loaded: ${error instanceof Error ? error.message : String(error)}`));
  }, [usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the code in use

  const ready = !!info && !(info instanceof Error);

  useEffect(() => {
    if (!ready) return;
    let closed = false;
    const newPort = async () => {
      const channel = new MessageChannel();
      await client.call('attach', { port: channel.port1 }, { transfer: [channel.port1] }).promise;
      return channel.port2;
    };
    openSandbox(`${siteBase()}labs/serving/sandbox/`, newPort).then(
      (opened) => {
        if (closed) return opened.dispose();
        sandboxRef.current = opened;
        setSandbox(opened);
      },
      (error: unknown) => !closed && setSandbox(error instanceof Error ? error : new Error(String(error))),
    );
    return () => {
      closed = true;
      sandboxRef.current?.dispose();
      sandboxRef.current = null;
    };
  }, [ready]); // eslint-disable-line react-hooks/exhaustive-deps -- once the worker is up; the client is stable

  const inPreview = useMemo(() => (preview && sandbox && !(sandbox instanceof Error) ? previewFetch(preview, sandbox.scope) : undefined), [preview, sandbox]);
  const routes = useMemo(() => ({ worker: viaWorker(client), serviceWorker: inPreview && viaServiceWorker(inPreview) }), [client, inPreview]);
  const route: Route = chosenRoute === 'service worker' && routes.serviceWorker ? 'service worker' : 'worker';
  const ctx: ServingContext = {
    shell,
    state,
    client,
    busy: !!shell.job || !ready,
    serverUp,
    setServerUp,
    sandbox,
    preview,
    setPreview,
    routes,
    inPreview,
    route,
    setRoute,
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
