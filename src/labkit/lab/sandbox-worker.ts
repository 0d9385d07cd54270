/// <reference lib="webworker" />
/**
 * Serves the worker protocol from a worker that runs a student's code without network access. The protocol's own
 * postMessage and message events are taken first; then the lockdown (the offline Node runtime's) takes them, and
 * fetch, Worker and the rest, away from the student's code. Returns the Worker constructor as it was before, for a
 * sandbox that starts workers of its own (a tuning study's trainers).
 */
import { lockNetwork } from '../runtime/offline/lockdown.ts';
import { serveWorker, type ToWorker, type WorkerApi, type WorkerScope } from './worker-rpc.ts';

export function serveSandboxed(api: WorkerApi): { Worker: typeof Worker } {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const post = scope.postMessage.bind(scope);
  const spawn = (scope as unknown as { Worker: typeof Worker }).Worker;
  let handler: WorkerScope['onmessage'] = null;
  scope.addEventListener('message', (event: MessageEvent<ToWorker>) => handler?.({ data: event.data }));
  serveWorker(
    {
      postMessage: (message, transfer) => post(message, transfer ?? []),
      get onmessage() {
        return handler;
      },
      set onmessage(fn) {
        handler = fn;
      },
    },
    api,
  );
  lockNetwork(scope as unknown as Record<string, unknown>);
  return { Worker: spawn };
}
