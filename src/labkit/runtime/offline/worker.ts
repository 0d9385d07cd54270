/// <reference lib="webworker" />
/** The offline runtime's Web Worker: one program per worker; the page terminates it to stop the program. */
import { serve, type RunMessage } from './serve.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// Taken before the program runs: lockNetwork() then takes postMessage and the message events away from it.
const post = scope.postMessage.bind(scope);
const importModule = (url: string) => import(/* @vite-ignore */ url);

serve({
  post: (message) => post(message),
  listen: (handler) => scope.addEventListener('message', (event: MessageEvent<RunMessage>) => handler(event.data)),
  onUncaught: ({ error, rejection }) => {
    scope.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault();
      error(event.error ?? new Error(event.message));
    });
    scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
      event.preventDefault();
      rejection(event.reason);
    });
  },
  makeUrl: (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })),
  revokeUrl: (url) => URL.revokeObjectURL(url),
  importUrl: importModule,
  readBlobSync: (blob) => new Uint8Array(new FileReaderSync().readAsArrayBuffer(blob)),
  scope: scope as unknown as Record<string, unknown>,
});
