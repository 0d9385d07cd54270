/** What the serving lab's page and its worker exchange, besides the lab state's own types. */

/** An HTTP request as it crosses from the page to the worker (Request objects do not cross postMessage). */
export interface WireRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface WireResponse {
  status: number;
  contentType: string;
  body: string;
  /** Milliseconds the handler took inside the worker, from the Request to the Response's body text. */
  serverMs: number;
}

/** How requests reach the server: through the preview's service worker (`fetch`), or straight to the worker. */
export type Route = 'service worker' | 'worker';

/** The student's own functions from the coding exercises, once their tests pass and they switch them on. */
export type StudentCode = { nextFlush?: string; canaryVerdict?: string };

export { ORIGIN } from './server/contract.mjs';
/** How long the worker (and serve.mjs under Node) waits for the student's handler before answering 504. */
export { HANDLER_TIMEOUT_MS } from './server/host.mjs';
