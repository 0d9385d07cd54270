/// <reference lib="webworker" />
/** The offline runtime's Web Worker: one program per worker; the page terminates it to stop the program. */
import { serve, type RunMessage } from './serve.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

serve({
  post: (message) => scope.postMessage(message),
  listen: (handler) => scope.addEventListener('message', (event: MessageEvent<RunMessage>) => handler(event.data)),
  onUnhandled: (handler) =>
    scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
      event.preventDefault();
      handler(event.reason);
    }),
  makeUrl: (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })),
  revokeUrl: (url) => URL.revokeObjectURL(url),
  importUrl: (url) => import(/* @vite-ignore */ url),
});
