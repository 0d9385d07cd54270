/**
 * The tuning lab's coordinator worker for the page, and the jobs it runs. Progress messages that start with "@" are
 * the worker's own events (a trial update, the trial that has the thread); they go to `onEvent`, and only plain
 * progress reaches the job bar, at most five times a second, so a fast replay does not re-render the page for
 * every simulated epoch.
 */
import type { TuningApi, TrialUpdate } from '../../../../labs/tuning/worker.ts';
import type { WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';

export type WorkerEvent = { kind: 'trial'; trial: TrialUpdate } | { kind: 'active'; trial: number };

/** A worker silent this long during a job is stuck (a study file whose objective blocks the thread). */
export const STALL_MS = 15_000;

export function useTuningWorker(studentCode: () => { sampleRandom?: string; promotable?: string }) {
  return useWorkerClient<TuningApi>({
    create: () => new Worker(new URL('../../../../labs/tuning/worker.ts', import.meta.url), { type: 'module', name: 'tuning-coordinator' }) as unknown as WorkerLike,
    setup: async (call) => {
      await call('code', studentCode());
    },
    stallMs: STALL_MS,
  });
}

/** Splits the worker's progress into events and throttled job-bar progress. */
export function progressRouter(onProgress: (fraction: number, message: string) => void, onEvent: (e: WorkerEvent) => void) {
  let last = 0;
  return (fraction: number, message: string) => {
    if (message.startsWith('@active ')) return onEvent({ kind: 'active', trial: Number(message.slice(8)) });
    if (message.startsWith('@')) return onEvent({ kind: 'trial', trial: JSON.parse(message.slice(1)) as TrialUpdate });
    const now = performance.now();
    if (now - last < 200 && fraction < 1) return;
    last = now;
    onProgress(fraction, message);
  };
}
