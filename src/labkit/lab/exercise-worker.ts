/// <reference lib="webworker" />
/**
 * The sandbox for a student's exercise code: a worker of its own with no network (the same lockdown as the offline
 * Node runtime), answering through the shared worker protocol. The page stops it when the code runs too long.
 */
import { lockNetwork } from '../runtime/offline/lockdown.ts';
import { runExercise, type ExerciseSpec } from './exercise.ts';
import { serveWorker, type ToWorker, type WorkerScope } from './worker-rpc.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// Taken before the lockdown, which takes postMessage and message events away from the student's code.
const post = scope.postMessage.bind(scope);
let handler: WorkerScope['onmessage'] = null;
scope.addEventListener('message', (event: MessageEvent<ToWorker>) => handler?.({ data: event.data }));

const api = {
  run: (p: { spec: Pick<ExerciseSpec, 'reference' | 'tests' | 'exportName'>; source: string }) => runExercise(p.spec, p.source),
};
export type ExerciseApi = typeof api;

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
