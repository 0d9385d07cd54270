/**
 * The page's side of the lab: the load generator on the real clock, sending every request to the worker through the
 * worker protocol, and the measurement of that path's overhead. Framework-free; the view calls these.
 */
import type { WorkerClient } from '../../src/labkit/lab/worker-rpc.ts';
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { inferBody, sampleImage } from '../../src/labkit/serving/contract.ts';
import { realClock, runLoad, type LoadSpec } from '../../src/labkit/serving/load.ts';
import { DENSE_MNIST } from './server/mnist-dense.mjs';
import { HANDLER_TIMEOUT_MS, type WireRequest } from './protocol.ts';
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

/** A load test against the student's server in the worker; resolves with its record. */
export function startLoadTest(client: WorkerClient<ServingApi>, spec: LoadSpec, thresholds: string, id: string, onProgress: (fraction: number, message: string) => void): Cancellable<LoadRecord> {
  const controller = new AbortController();
  const wire = loadTestRequest();
  const serverMs: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  const ticker = setInterval(() => onProgress(Math.min(1, (performance.now() - t0) / spec.durationMs), `${serverMs.length} answered`), 250);
  const promise = runLoad(
    spec,
    (index, done) => {
      client
        .call('request', wire)
        .promise.then(
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
    .then((result) => loadRecord(id, new Date().toISOString(), result, serverMs, statuses, thresholds))
    .finally(() => clearInterval(ticker));
  return { promise, cancel: () => controller.abort() };
}

/** `count` requests one at a time: the round trip seen by the page and the time inside the handler. */
export function measureOverhead(client: WorkerClient<ServingApi>, count: number, onProgress: (fraction: number, message: string) => void): Cancellable<{ roundTripMs: number[]; serverMs: number[] }> {
  let cancelled = false;
  const promise = (async () => {
    const roundTripMs: number[] = [];
    const serverMs: number[] = [];
    const wire = loadTestRequest();
    for (let i = 0; i < count; i++) {
      if (cancelled) throw new DOMException('cancelled', 'AbortError');
      const t0 = performance.now();
      const r = await client.call('request', wire).promise;
      roundTripMs.push(performance.now() - t0);
      serverMs.push(r.serverMs);
      if (r.status !== 200) throw new Error(`the server answered HTTP ${r.status} to a valid infer request: ${r.body.slice(0, 200)}`);
      if (i % 20 === 0) onProgress(i / count, `${i} of ${count} requests`);
    }
    return { roundTripMs, serverMs };
  })();
  return { promise, cancel: () => (cancelled = true) };
}
