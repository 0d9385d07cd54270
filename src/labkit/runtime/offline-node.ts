/** The offline runtime over Node worker threads: for the unit tests and the benchmark (never bundled for the page). */
import { Worker } from 'node:worker_threads';
import { OfflineRuntime, type WorkerLike } from './offline.ts';

export function nodeWorker(): WorkerLike {
  const worker = new Worker(new URL('./offline/node-worker.ts', import.meta.url));
  const like: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => worker.postMessage(message),
    terminate: () => void worker.terminate(),
  };
  worker.on('message', (data) => like.onmessage?.({ data }));
  worker.on('error', (error) => like.onerror?.({ message: error.message }));
  return like;
}

export function createNodeOfflineRuntime(): OfflineRuntime {
  return new OfflineRuntime(nodeWorker);
}
