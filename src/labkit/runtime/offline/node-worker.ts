/**
 * The offline runtime's worker as a Node worker thread, so that tests and the benchmark run the very code the
 * browser's Web Worker runs (serve.ts), with data: URLs in place of blob: URLs.
 */
import { parentPort } from 'node:worker_threads';
import { serve, type RunMessage } from './serve.ts';
import { dataUrl } from './loader.ts';

if (!parentPort) throw new Error('node-worker.ts must run in a worker thread');
const port = parentPort;
const post = port.postMessage.bind(port);

serve({
  post: (message) => post(message),
  listen: (handler) => port.on('message', (message: RunMessage) => handler(message)),
  onUncaught: ({ error, rejection }) => {
    process.on('uncaughtException', (e) => error(e));
    process.on('unhandledRejection', (reason) => rejection(reason));
  },
  makeUrl: dataUrl,
  importUrl: (url) => import(url),
  scope: globalThis as unknown as Record<string, unknown>,
});
