/**
 * Test support (Node only, never bundled for the page): a worker thread behind the `WorkerLike` interface the page
 * uses for Web Workers, and the worker thread's side of `serveWorker`.
 */
import { Worker, parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerLike, WorkerScope } from '../worker-rpc.ts';

export function nodeWorker(url: URL): WorkerLike & { exited: Promise<number> } {
  const worker = new Worker(url);
  const like: WorkerLike & { exited: Promise<number> } = {
    onmessage: null,
    onerror: null,
    postMessage: (message, transfer) => worker.postMessage(message, transfer as never),
    terminate: () => void worker.terminate(),
    exited: new Promise((resolve) => worker.on('exit', resolve)),
  };
  worker.on('message', (data) => like.onmessage?.({ data }));
  worker.on('error', (error) => like.onerror?.({ message: error.message }));
  return like;
}

/** In a worker thread: the scope `serveWorker` answers on. */
export function threadScope(): WorkerScope {
  const port = parentPort;
  if (!port) throw new Error('threadScope() must run in a worker thread');
  let handler: WorkerScope['onmessage'] = null;
  port.on('message', (data: ToWorker) => handler?.({ data }));
  return {
    postMessage: (message: FromWorker, transfer?: Transferable[]) => port.postMessage(message, transfer as never),
    get onmessage() {
      return handler;
    },
    set onmessage(fn) {
      handler = fn;
    },
  };
}
