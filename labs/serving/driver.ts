/**
 * The page's side of the lab: the two routes a request can take to the student's server, the load generator on the
 * real clock, and the measurement of each route's overhead. Framework-free; the view calls these.
 *
 * - `viaServiceWorker`: an ordinary `fetch` made by the preview page (the lab's sandbox), which its service worker
 *   routes to the worker over a port (src/labkit/sandbox/relay.ts). This is HTTP as a browser client sends it.
 * - `viaWorker`: the worker protocol, straight from this page to the worker, with no service worker in between.
 */
import { JobCancelled, type WorkerClient } from '../../src/labkit/lab/worker-rpc.ts';
import { handlerMs } from './preview.ts';
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { inferBody, sampleImage } from './server/contract.mjs';
import { realClock, runLoad, type LoadSpec } from '../../src/labkit/serving/load.ts';
import { DENSE_MNIST } from './server/mnist-dense.mjs';
import { HANDLER_TIMEOUT_MS, ORIGIN, type Route, type WireRequest, type WireResponse } from './protocol.ts';
import { loadRecord, type LoadRecord } from './records.ts';
import type { ServingApi } from './worker.ts';

export interface Cancellable<T> {
  promise: Promise<T>;
  cancel(): void;
}

/** The request every load test sends: one image to infer. */
export function loadTestRequest(): WireRequest {
  return { method: 'POST', path: `/v2/models/${DENSE_MNIST.name}/infer`, body: JSON.stringify(inferBody(DENSE_MNIST, [sampleImage()])) };
}

/** Sends one request to the student's server and resolves with its answer. */
export type Send = (wire: WireRequest) => Promise<WireResponse>;

/** Work on the page as a job for the lab shell; Cancel stops waiting for it (requests already sent still run). */
export function cancellable<T>(work: Promise<T>): Cancellable<T> {
  let stop: (error: Error) => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => (stop = reject));
  return { promise: Promise.race([work, cancelled]), cancel: () => stop(new JobCancelled()) };
}

export const viaWorker =
  (client: WorkerClient<ServingApi>): Send =>
  (wire) =>
    client.call('request', wire).promise;

/**
 * `fetch` as the preview page (`sandbox`, a window the sandbox's service worker controls) makes it, to the API below
 * `scope`: what the server sees is the request's path and query, method, headers and body.
 */
export const previewFetch =
  (sandbox: Window, scope: string) =>
  async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    return sandbox.fetch(`${scope}api${url.pathname}${url.search}`, { method: request.method, headers: request.headers, ...(body !== undefined ? { body } : {}) });
  };

/** A request through the preview's service worker; the handler's time comes back in the Server-Timing header. */
export const viaServiceWorker = (fetchInPreview: (request: Request) => Promise<Response>): Send => async (wire) => {
  const response = await fetchInPreview(new Request(`${ORIGIN}${wire.path}`, { method: wire.method, ...(wire.body !== undefined ? { body: wire.body, headers: { 'content-type': 'application/json' } } : {}) }));
  const body = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body, serverMs: handlerMs(response.headers.get('server-timing')) ?? 0 };
};

/** A load test against the student's server over `send`; resolves with its record. */
export function startLoadTest(send: Send, route: Route, spec: LoadSpec, thresholds: string, id: string, onProgress: (fraction: number, message: string) => void): Cancellable<LoadRecord> {
  const controller = new AbortController();
  const wire = loadTestRequest();
  const serverMs: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  const ticker = setInterval(() => onProgress(Math.min(1, (performance.now() - t0) / spec.durationMs), `${serverMs.length} answered`), 250);
  const promise = runLoad(
    spec,
    (index, done) => {
      send(wire).then(
          (r) => {
            serverMs[index] = r.serverMs;
            if (r.status !== 200) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
            done({ ok: r.status === 200 });
          },
          (error: unknown) => {
            statuses.failed = (statuses.failed ?? 0) + 1;
            serverMs[index] = 0;
            done({ ok: false });
            if (!controller.signal.aborted) onProgress(1, error instanceof Error ? error.message : String(error));
          },
        );
    },
    realClock,
    mulberry32('seed' in spec ? spec.seed : 1),
    HANDLER_TIMEOUT_MS + 1000,
    controller.signal,
  )
    .then((result) => loadRecord(id, new Date().toISOString(), result, serverMs, statuses, thresholds, route))
    .finally(() => clearInterval(ticker));
  return { promise, cancel: () => controller.abort() };
}

export interface PathTimes {
  roundTripMs: number[];
  serverMs: number[];
}

/**
 * `count` requests one at a time over each route, the routes alternating request by request so that both see the
 * same conditions: the round trip seen by the page and the time inside the handler.
 */
export function measureOverhead(routes: { worker: Send; serviceWorker?: Send | undefined }, count: number, onProgress: (fraction: number, message: string) => void): Cancellable<{ worker: PathTimes; serviceWorker?: PathTimes }> {
  let cancelled = false;
  const promise = (async () => {
    const wire = loadTestRequest();
    const order = (['worker', 'serviceWorker'] as const).filter((route) => routes[route]);
    const times = Object.fromEntries(order.map((route) => [route, { roundTripMs: [], serverMs: [] } as PathTimes])) as { worker: PathTimes; serviceWorker?: PathTimes };
    for (let i = 0; i < count; i++) {
      for (const route of i % 2 ? [...order].reverse() : order) {
        if (cancelled) throw new DOMException('cancelled', 'AbortError');
        const t0 = performance.now();
        const r = await routes[route]!(wire);
        times[route]!.roundTripMs.push(performance.now() - t0);
        times[route]!.serverMs.push(r.serverMs);
        if (r.status !== 200) throw new Error(`the server answered HTTP ${r.status} to a valid infer request: ${r.body.slice(0, 200)}`);
      }
      if (i % 20 === 0) onProgress(i / count, `${i} of ${count} requests per route`);
    }
    return times;
  })();
  return { promise, cancel: () => (cancelled = true) };
}
