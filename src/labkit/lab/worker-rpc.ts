/**
 * One protocol between a lab page and its Web Worker: calls with ids, progress, a result or an error.
 *
 * Worker side: `serveWorker(scope, api)` runs each call's handler with an AbortSignal and a progress callback.
 * Page side: `WorkerClient` starts the worker, runs `setup` (load a backend, a model) before any call, and gives each
 * call a `Job` with `cancel()`.
 *
 * Cancel always answers at once (the job's promise rejects with `JobCancelled`) and stops the work within a second:
 * the worker is asked to abort, and when its loops do not yield within `graceMs` (training steps in tfjs never
 * return to the event loop), the worker is terminated and a fresh one is started and set up again in the background.
 * A worker that crashes, or stays silent during a job for `stallMs`, is replaced the same way, and the job fails with
 * `WorkerFailed` saying why. After each job the worker reports `stats` (for tfjs labs: tensors in memory).
 */

export interface JobContext {
  signal: AbortSignal;
  /** Reports progress: a fraction from 0 to 1 and what is happening. */
  progress(fraction: number, message?: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers take any params; call sites are typed by the API
export type Handler = (params: any, context: JobContext) => unknown;
export type WorkerApi = Record<string, Handler>;
export type ParamsOf<H> = H extends (params: infer P, context: JobContext) => unknown ? P : never;
export type ResultOf<H> = H extends (...args: never[]) => infer R ? Awaited<R> : never;

export type ToWorker = { rpc: 'call'; id: number; method: string; params: unknown } | { rpc: 'cancel'; id: number };
export type FromWorker =
  | { rpc: 'progress'; id: number; fraction: number; message: string }
  | { rpc: 'result'; id: number; value: unknown; stats?: Record<string, number> }
  | { rpc: 'error'; id: number; name: string; message: string; cancelled: boolean; stats?: Record<string, number> };

/** What `serveWorker` needs of a worker's global scope (a DedicatedWorkerGlobalScope, or a test double). */
export interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: { data: ToWorker }) => void) | null;
}

/** A result with buffers to transfer rather than copy (model weights). */
export interface Transfer<T> {
  value: T;
  transfer: Transferable[];
}
const TRANSFER = Symbol('transfer');
export function transfer<T>(value: T, buffers: Transferable[]): T {
  return Object.assign(Object.create(null) as object, { [TRANSFER]: { value, transfer: buffers } }) as T;
}
function unwrap(value: unknown): Transfer<unknown> {
  const t = value && typeof value === 'object' ? (value as { [TRANSFER]?: Transfer<unknown> })[TRANSFER] : undefined;
  return t ?? { value, transfer: [] };
}

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

export class WorkerFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailed';
  }
}

const aborted = (error: unknown, signal: AbortSignal) => signal.aborted || (error instanceof Error && error.name === 'AbortError');

/** Worker side: answers calls with the handlers in `api`. */
export function serveWorker(scope: WorkerScope, api: WorkerApi, options: { stats?: () => Record<string, number> } = {}): void {
  const jobs = new Map<number, AbortController>();
  const stats = () => {
    try {
      return options.stats?.();
    } catch {
      return undefined;
    }
  };
  scope.onmessage = async ({ data }) => {
    if (data.rpc === 'cancel') {
      jobs.get(data.id)?.abort();
      return;
    }
    const { id, method, params } = data;
    const controller = new AbortController();
    jobs.set(id, controller);
    try {
      const handler = Object.hasOwn(api, method) ? api[method] : undefined;
      if (!handler) throw new Error(`the worker has no method "${method}"`);
      const context: JobContext = {
        signal: controller.signal,
        progress: (fraction, message = '') => scope.postMessage({ rpc: 'progress', id, fraction, message }),
      };
      const { value, transfer: buffers } = unwrap(await handler(params, context));
      scope.postMessage({ rpc: 'result', id, value, stats: stats() }, buffers);
    } catch (error) {
      const cancelled = aborted(error, controller.signal);
      const e = error instanceof Error ? error : new Error(String(error));
      scope.postMessage({ rpc: 'error', id, name: cancelled ? 'JobCancelled' : e.name, message: cancelled ? 'cancelled' : e.message, cancelled, stats: stats() });
    } finally {
      jobs.delete(id);
    }
  };
}

/** Throws an AbortError when the job was cancelled: call it between steps of a long loop. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
}

// ---------------------------------------------------------------------------------------------------------------
// Page side

/** The part of the Worker API the client uses (a browser Worker, or an adapter over a Node worker thread). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null;
}

export interface CallOptions {
  onProgress?: (fraction: number, message: string) => void;
  transfer?: Transferable[];
}

export interface Job<T> {
  id: number;
  promise: Promise<T>;
  /** Stops the job: its promise rejects with JobCancelled at once, and the work stops within a second. */
  cancel(): void;
}

/** Why a worker was replaced: a cancel that did not stop in time, a crash, a stall, or new settings (a backend). */
export type RestartReason = 'cancel' | 'crash' | 'stall' | 'settings';

export type SetupCall<A extends WorkerApi> = <M extends keyof A & string>(method: M, params: ParamsOf<A[M]>) => Promise<ResultOf<A[M]>>;

export interface ClientOptions<A extends WorkerApi> {
  create: () => WorkerLike;
  /**
   * Runs on every fresh worker before any other call (init a backend, load the current model). Its `call` goes
   * straight to the new worker; the client's own `call` waits until setup has finished.
   */
  setup?: (call: SetupCall<A>) => Promise<unknown>;
  /** How long a cancelled job may take to stop by itself before the worker is terminated (default 300 ms). */
  graceMs?: number;
  /** A job that sends nothing for this long is declared stuck and its worker replaced (default 120 s). */
  stallMs?: number;
  /** After each job: what the worker reports (e.g. `{ numTensors }`). */
  onStats?: (stats: Record<string, number>) => void;
  /** A worker was replaced: after a cancel that did not stop in time, a crash or a stall. */
  onRestart?: (reason: RestartReason) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: CallOptions['onProgress'];
  stall: ReturnType<typeof setTimeout> | undefined;
  /** A setup call runs on the worker it was made for, before the client counts as ready. */
  internal: boolean;
}

export class WorkerClient<A extends WorkerApi> {
  private worker: WorkerLike | null = null;
  private generation = 0;
  private next = 1;
  private pending = new Map<number, Pending>();
  /** Settles when the current worker has been set up; calls wait for it. */
  private ready: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly graceMs: number;
  private readonly stallMs: number;
  private readonly options: ClientOptions<A>;
  /** Crashes in a row before a worker finished its setup: a worker that cannot start is not restarted forever. */
  private failedStarts = 0;

  constructor(options: ClientOptions<A>) {
    this.options = options;
    this.graceMs = options.graceMs ?? 300;
    this.stallMs = options.stallMs ?? 120_000;
    this.start();
  }

  /** Settles when the worker is set up (rejects with the setup's error). */
  whenReady(): Promise<void> {
    return this.afterSetup();
  }

  /** Waits for the current worker's setup; when the worker was replaced meanwhile, for the new one's. */
  private async afterSetup(): Promise<void> {
    for (;;) {
      await this.quiet;
      const generation = this.generation;
      try {
        await this.ready;
        if (generation !== this.generation || this.stopping.size) continue;
        return;
      } catch (error) {
        if (generation === this.generation) throw error;
      }
    }
  }

  call<M extends keyof A & string>(method: M, params: ParamsOf<A[M]>, options: CallOptions = {}): Job<ResultOf<A[M]>> {
    return this.send(method, params, options, false);
  }

  /** Sends a call now (`internal`: part of setup) or once the worker is set up. */
  private send<M extends keyof A & string>(method: M, params: ParamsOf<A[M]>, options: CallOptions, internal: boolean): Job<ResultOf<A[M]>> {
    const id = this.next++;
    let cancelled = false;
    let rejectUnsent: (error: Error) => void = () => undefined;
    const promise = new Promise<ResultOf<A[M]>>((resolve, reject) => {
      rejectUnsent = reject;
      const send = () => {
        if (cancelled) return;
        if (this.disposed || !this.worker) return reject(new WorkerFailed('the worker was closed'));
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress, stall: undefined, internal });
        this.arm(id);
        this.worker.postMessage({ rpc: 'call', id, method, params } satisfies ToWorker, options.transfer ?? []);
      };
      if (internal) send();
      else this.afterSetup().then(send, reject);
    });
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      const job = this.pending.get(id);
      this.settle(id);
      if (!job) {
        rejectUnsent(new JobCancelled()); // not sent yet: nothing runs
        return;
      }
      job.reject(new JobCancelled());
      const generation = this.generation;
      this.worker?.postMessage({ rpc: 'cancel', id } satisfies ToWorker);
      // The worker answers a cancel it could honour with an error reply; until then it counts as still busy, and new
      // calls wait: they go to this worker if the job stops in time, or to the fresh one.
      let settle!: () => void;
      const stopped = new Promise<void>((resolve) => (settle = resolve));
      this.quiet = Promise.all([this.quiet, stopped]).then(() => undefined);
      this.stopping.set(id, {
        timer: setTimeout(() => {
          this.stopping.delete(id);
          if (this.generation === generation) this.restart('cancel', 'the worker was restarted to stop a cancelled job');
          settle();
        }, this.graceMs),
        settle,
      });
    };
    // A job whose caller never looks at the promise still must not produce an unhandled rejection.
    promise.catch(() => undefined);
    return { id, promise, cancel };
  }

  /** Replaces the worker now (new settings, or to free memory), failing any job still running; setup runs again. */
  restart(reason: RestartReason, message = 'the worker was restarted'): void {
    for (const [id, job] of [...this.pending]) {
      this.settle(id);
      job.reject(new WorkerFailed(message));
    }
    for (const { timer, settle } of this.stopping.values()) {
      clearTimeout(timer);
      settle();
    }
    this.stopping.clear();
    this.worker?.terminate();
    this.worker = null;
    if (this.disposed) return;
    this.options.onRestart?.(reason);
    this.start();
  }

  dispose(): void {
    this.disposed = true;
    for (const [id, job] of [...this.pending]) {
      this.settle(id);
      job.reject(new WorkerFailed('the worker was closed'));
    }
    for (const { timer, settle } of this.stopping.values()) {
      clearTimeout(timer);
      settle();
    }
    this.worker?.terminate();
    this.worker = null;
  }

  // -------------------------------------------------------------------------------------------------------------

  /** Cancelled jobs whose worker has been asked to stop: id → the deadline's timer, and what tells waiting calls. */
  private stopping = new Map<number, { timer: ReturnType<typeof setTimeout>; settle: () => void }>();
  /** Settles when no cancelled job is still stopping. */
  private quiet: Promise<void> = Promise.resolve();

  private start() {
    const generation = ++this.generation;
    const worker = this.options.create();
    this.worker = worker;
    worker.onmessage = ({ data }) => {
      if (this.generation === generation) this.receive(data as FromWorker);
    };
    let started = false;
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (this.generation !== generation) return;
      const message = `the worker failed: ${event.message || 'it stopped unexpectedly'}`;
      if (!started && ++this.failedStarts >= 3) {
        // It fails while starting, every time: stop here and let every call say why.
        this.ready = Promise.reject(new WorkerFailed(message));
        this.ready.catch(() => undefined);
        for (const [id, job] of [...this.pending]) {
          this.settle(id);
          job.reject(new WorkerFailed(message));
        }
        worker.terminate();
        this.worker = null;
        return;
      }
      this.restart('crash', message);
    };
    const setup = this.options.setup;
    const direct: SetupCall<A> = (method, params) => {
      if (this.generation !== generation) return Promise.reject(new WorkerFailed('the worker was replaced during its setup'));
      return this.send(method, params, {}, true).promise;
    };
    let run: Promise<unknown>;
    try {
      run = setup ? setup(direct) : Promise.resolve();
    } catch (error) {
      run = Promise.reject(error);
    }
    this.ready = run.then(() => {
      started = true;
      this.failedStarts = 0;
    });
    this.ready.catch(() => undefined);
  }

  private arm(id: number) {
    const job = this.pending.get(id);
    // Setup (loading a backend or a model) may take long without progress; only jobs are watched.
    if (!job || job.internal) return;
    clearTimeout(job.stall);
    job.stall = setTimeout(() => this.restart('stall', `the worker sent nothing for ${Math.round(this.stallMs / 1000)} s, so it was stopped`), this.stallMs);
  }

  private settle(id: number) {
    const job = this.pending.get(id);
    if (job) clearTimeout(job.stall);
    this.pending.delete(id);
  }

  private receive(message: FromWorker) {
    if (!message || typeof message !== 'object' || !('rpc' in message)) return;
    if (message.rpc !== 'progress') {
      const stopping = this.stopping.get(message.id);
      if (stopping) {
        // The cancelled job stopped by itself in time: keep this worker.
        clearTimeout(stopping.timer);
        this.stopping.delete(message.id);
        stopping.settle();
      }
      if (message.stats) this.options.onStats?.(message.stats);
    }
    const job = this.pending.get(message.id);
    if (!job) return;
    if (message.rpc === 'progress') {
      this.arm(message.id);
      job.onProgress?.(message.fraction, message.message);
      return;
    }
    this.settle(message.id);
    if (message.rpc === 'result') job.resolve(message.value);
    else if (message.cancelled) job.reject(new JobCancelled());
    else job.reject(Object.assign(new Error(message.message), { name: message.name === 'Error' ? 'Error' : message.name }));
  }
}

/**
 * A client whose worker has finished its setup, or why it could not start (no Web Workers in this runtime, a worker
 * that fails to load, a setup that throws). For checks that need a lab's own worker, such as the verify page's, and
 * must say when they cannot run rather than fail.
 */
export async function startedClient<A extends WorkerApi>(options: ClientOptions<A>): Promise<WorkerClient<A> | WorkerFailed> {
  let client: WorkerClient<A> | undefined;
  try {
    client = new WorkerClient(options);
    await client.whenReady();
    return client;
  } catch (error) {
    client?.dispose();
    if (typeof Worker === 'undefined' && !client) return new WorkerFailed('there are no Web Workers here (a browser has them)');
    return new WorkerFailed(error instanceof Error ? error.message : String(error));
  }
}
