/// <reference lib="webworker" />
/**
 * The serving lab's Web Worker: the model (the edge lab's dense MNIST classifier on tfjs), the student's server file
 * that answers HTTP requests with it, and the experiments that run in virtual time. Requests arrive by two routes
 * (labs/serving/driver.ts): straight from the page by the shared worker protocol (`request`), or from the preview's
 * fetch calls through the sandbox's service worker, over the port `attach` receives. Several arrive at once; the
 * worker answers them one at a time, as a single-threaded server does.
 *
 * The student's server runs with the worker's network (a server may call others); the site's Content-Security-Policy
 * (connect-src: the site itself, and StackBlitz for WebContainers' probe) bounds it. tfjs needs fetch to load its wasm binary and the model, so the offline runtime's
 * lockdown, which takes fetch away before any code runs, does not fit here.
 */
import * as tf from '@tensorflow/tfjs';
import { serveWorker, type JobContext, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { siteUrl, startTfjs, type TfjsSetup } from '../../src/labkit/ml/worker-env.ts';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { importServer } from './packages.ts';
import { runContract } from './server/contract.mjs';
import { measureBatchCosts, type BatchCost } from '../../src/labkit/serving/batch-cost.ts';
import { nextFlush as referenceFlush } from '../../src/labkit/serving/batcher.mjs';
import { canaryVerdict as referenceVerdict } from '../../src/labkit/serving/canary.mjs';
import type { RolloutPlan, Verdict } from '../../src/labkit/serving/canary.ts';
import type { FlushRule } from '../../src/labkit/serving/simulate.ts';
import { runAbTest, type AbPlan } from '../../src/labkit/serving/abtest.ts';
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { serveRelay } from '../../src/labkit/sandbox/relay.ts';
import { answer, HANDLER_TIMEOUT_MS, loadServer, type HostedModel, type ServerModule } from './server/host.mjs';
import { DENSE_MNIST, hostDenseMnist } from './server/mnist-dense.mjs';
import { BATCH_SIZES, batchingSweep, coordinatedOmission, simulatedRollout } from './experiments.ts';
import { ORIGIN, type StudentCode, type WireRequest, type WireResponse } from './protocol.ts';

let hosted: HostedModel | null = null;
let server: ServerModule | null = null;
let flush: FlushRule = referenceFlush;
let verdict: Verdict = referenceVerdict;

function need<T>(value: T | null, what: string): T {
  if (!value) throw new Error(what);
  return value;
}

/** Requests are answered one at a time, in arrival order: the worker is one server process with one thread. */
let line: Promise<unknown> = Promise.resolve();
function inLine<T>(job: () => Promise<T>): Promise<T> {
  const next = line.then(job);
  line = next.catch(() => undefined);
  return next;
}

/** The student's server answers one request; `serverMs` is the time from the Request to the Response's body text. */
async function handle(request: Request): Promise<{ response: Response; body: string; serverMs: number }> {
  const srv = need(server, 'start your server first');
  const env = { model: need(hosted, 'the model is not loaded') };
  const t0 = performance.now();
  const response = await answer(srv, env, request, HANDLER_TIMEOUT_MS);
  const body = await response.text();
  return { response, body, serverMs: performance.now() - t0 };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A request that came through the sandbox's service worker: the answer says how long the handler took (Server-Timing). */
async function handleRelayed(request: Request): Promise<Response> {
  if (!server) return new Response(JSON.stringify({ error: 'your server is not started: press "Start the server" in the lab' }), { status: 503, headers: { 'content-type': 'application/json', 'x-served-by': 'lab-host' } });
  const { response, body, serverMs } = await handle(request);
  const headers = new Headers(response.headers);
  headers.set('server-timing', `handler;dur=${serverMs.toFixed(3)}`);
  return new Response(NULL_BODY.has(response.status) ? null : body, { status: response.status, statusText: response.statusText, headers });
}

async function studentCode(sources: StudentCode) {
  const load = async (source: string | undefined, name: string) => {
    if (!source) return undefined;
    const fn = (await importSource(source))[name];
    if (typeof fn !== 'function') throw new Error(`your module does not export ${name}`);
    return fn;
  };
  flush = ((await load(sources.nextFlush, 'nextFlush')) as FlushRule | undefined) ?? referenceFlush;
  verdict = ((await load(sources.canaryVerdict, 'canaryVerdict')) as Verdict | undefined) ?? referenceVerdict;
  return { flush: flush === referenceFlush ? 'reference' : 'yours', verdict: verdict === referenceVerdict ? 'reference' : 'yours' };
}

const api = {
  /** Starts tfjs and loads the dense MNIST model. */
  async init(setup: TfjsSetup) {
    const info = await startTfjs(setup);
    const model = await tf.loadLayersModel(siteUrl('models/dense/model.json'));
    hosted = hostDenseMnist(tf, model);
    return { ...info, params: model.countParams() };
  },

  /** Tensors in memory, for the status line (asked for after each experiment, not after each request). */
  memory() {
    return tf.memory().numTensors;
  },

  code: (sources: StudentCode) => studentCode(sources),

  /** Loads the student's server file; the error says what is wrong with it. */
  async server(p: { source: string }) {
    server = null;
    server = await loadServer(p.source, importServer);
    return { model: DENSE_MNIST.name };
  },

  /** One HTTP request to the student's server, straight from the page. */
  request(wire: WireRequest): Promise<WireResponse> {
    const request = new Request(`${ORIGIN}${wire.path}`, { method: wire.method, ...(wire.body !== undefined ? { body: wire.body, headers: { 'content-type': 'application/json' } } : {}) });
    return inLine(() => handle(request)).then(({ response, body, serverMs }) => ({ status: response.status, contentType: response.headers.get('content-type') ?? '', body, serverMs }));
  },

  /** The end of a port the sandbox's service worker sends the preview's requests on (src/labkit/sandbox/relay.ts). */
  attach(p: { port: MessagePort }) {
    serveRelay(p.port, (request) => inLine(() => handleRelayed(request)));
    return true;
  },

  /** The contract test, in this worker, against the student's server. */
  async contract() {
    const srv = need(server, 'start your server first');
    const env = { model: need(hosted, 'the model is not loaded') };
    return runContract((request) => answer(srv, env, request, HANDLER_TIMEOUT_MS), DENSE_MNIST);
  },

  /** The model's cost per batch size, sizes interleaved. */
  async costs(p: { reps: number }, { signal, progress }: JobContext) {
    const { predict } = need(hosted, 'the model is not loaded');
    const pixels = new Float32Array(32 * 784).map((_, i) => ((i * 7919) % 256) / 255);
    progress(0.1, `timing batches of ${BATCH_SIZES.join(', ')}`);
    return measureBatchCosts(async (size) => void (await predict(pixels.subarray(0, size * 784), size)), BATCH_SIZES, p.reps, signal);
  },

  /** The batcher sweep in virtual time, with the student's flush rule when they use it. */
  batching: (p: { costs: BatchCost[]; rate: number; seed: number }) => batchingSweep(p.costs, p.rate, p.seed, flush),

  omission: (p: { serviceMs: number[]; seed: number }) => coordinatedOmission(p.serviceMs, p.seed),

  /** An A/B test on simulated sessions, run once to the planned size. */
  ab: (p: { plan: AbPlan; perArm: number; trueLift: number; seed: number }) => runAbTest(p.plan, p.perArm, p.trueLift, mulberry32(p.seed)),

  /** A rollout on simulated traffic whose latencies are drawn from the student's load test. */
  canary: (p: { plan: RolloutPlan; baselineErrorPct: number; regressionPp: number; testerPct: number; serviceMs: number[]; seed: number }) => simulatedRollout(p.plan, p.baselineErrorPct, p.regressionPp, p.serviceMs, p.seed, verdict, p.testerPct),
};

export type ServingApi = typeof api;

// No per-job stats: every answered request would re-render the page, and the load test would measure that.
serveWorker(self as unknown as WorkerScope, api);
