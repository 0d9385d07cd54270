/**
 * One benchmark run, orchestrated from the page: which worker does what, in which order, and how a cancel or a
 * failure ends it. Free of tfjs (the workers load it) and of React, so Vitest drives it with fake workers.
 *
 *   1. One worker on the cpu backend builds the variants of every model once (their bytes are reused below).
 *   2. For every backend, in turn:
 *      a. every variant's first inference in a FRESH worker, started on that backend just for it, so no variant
 *         finds shaders compiled or caches warmed by another (after one untimed worker that warms what the browser
 *         itself keeps between workers, so the variant timed first is not the only one to pay for that);
 *      b. one worker on that backend times the variants of each model interleaved, then the baseline's sweep.
 *   Each backend's problem is kept with that backend; the others still run.
 *
 * Cancel rejects at once with JobCancelled and ends the worker that is running (WorkerClient terminates it when its
 * loop does not stop within its grace period).
 */
import { JobCancelled, WorkerClient, type Job, type WorkerLike } from '../../src/labkit/lab/worker-rpc.ts';
import { specId, type BackendSpec } from '../../src/labkit/bench/backends.ts';
import type { BackendStarted, BackendRefused } from '../../src/labkit/bench/setup.ts';
import type { BackendRun, Run, VariantInfo } from './lab.ts';
import type { SpeedApi } from './worker.ts';
import { modelLabel, type PreparedVariant, type RunPlan, type WorkerSetup } from './protocol.ts';

export interface RunnerDeps {
  /** A new speed-lab worker (a Web Worker in the page, a fake in tests). */
  create: () => WorkerLike;
  setup: WorkerSetup;
  now?: () => Date;
  newId?: () => string;
}

export interface Cancellable<T> {
  promise: Promise<T>;
  cancel(): void;
}

/**
 * Roughly how long each step takes, in seconds, for one progress bar over the whole run: building a model's variants,
 * one fresh worker's first inference, and the steady state of one model's variants (their budget) with its sweep.
 */
const cost = {
  prepare: 1,
  first: 1,
  steady: (variants: number, plan: RunPlan) => variants * (plan.budgetMs / 1000 + 0.5) + plan.sweep.length * Math.max(0.25, plan.budgetMs / 3000),
};
/** One backend's share: every variant's fresh first inference, and each model's steady state. */
const perBackend = (plan: RunPlan, variantsPerModel: number[]) => cost.first + variantsPerModel.reduce((n, k) => n + k * cost.first + cost.steady(k, plan), 0);

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function startRun(plan: RunPlan, deps: RunnerDeps, onProgress: (fraction: number, message: string) => void): Cancellable<Run> {
  let cancelled = false;
  let current: { client: WorkerClient<SpeedApi>; job: Job<unknown> | null } | null = null;
  let rejectCancelled: (error: Error) => void = () => undefined;
  const cancelledPromise = new Promise<never>((_, reject) => (rejectCancelled = reject));
  cancelledPromise.catch(() => undefined);

  let backendCost = perBackend(plan, plan.models.map(() => plan.variants.length));
  const prepareCost = plan.models.length * cost.prepare;
  const whole = () => prepareCost + plan.backends.length * backendCost;
  let done = 0;
  const report = (within: number, span: number, what: string) => onProgress(Math.min(1, (done + within * span) / whole()), what);

  /** Runs `work` on a fresh worker and ends the worker afterwards, whatever happens. */
  async function withWorker<T>(work: (call: <M extends keyof SpeedApi & string>(method: M, params: Parameters<SpeedApi[M]>[0], span?: number, what?: string) => Promise<Awaited<ReturnType<SpeedApi[M]>>>) => Promise<T>): Promise<T> {
    if (cancelled) throw new JobCancelled();
    const client = new WorkerClient<SpeedApi>({ create: deps.create });
    current = { client, job: null };
    try {
      return await work(async (method, params, span = 0, what = '') => {
        if (cancelled) throw new JobCancelled();
        const job = client.call(method, params as never, { onProgress: (f, m) => span && report(f, span, `${what}${m ? `: ${m}` : ''}`) });
        current!.job = job;
        return (await Promise.race([job.promise, cancelledPromise])) as never;
      });
    } finally {
      client.dispose();
      current = null;
    }
  }

  async function run(): Promise<Run> {
    const out: Run = {
      id: deps.newId?.() ?? `run-${Math.random().toString(36).slice(2, 10)}`,
      at: (deps.now?.() ?? new Date()).toISOString(),
      settings: { budgetMs: plan.budgetMs, batch: plan.batch, sweep: plan.sweep },
      variants: [],
      backends: [],
      skipped: [],
    };
    // 1. The variants, once.
    const prepared: PreparedVariant[] = [];
    await withWorker(async (call) => {
      await call('start', { spec: { backend: 'cpu' }, ...deps.setup });
      for (const choice of plan.models) {
        report(0, cost.prepare, `${modelLabel(choice.key)}: building the variants`);
        try {
          const p = await call('prepare', { choice, kinds: plan.variants });
          prepared.push(...p.variants);
          out.skipped.push(...p.skipped);
        } catch (error) {
          if (error instanceof JobCancelled) throw error;
          out.skipped.push(`${modelLabel(choice.key)}: ${message(error)}`);
        }
        done += cost.prepare;
      }
    });
    out.variants = prepared.map((v): VariantInfo => ({ model: v.model, variant: v.kind, params: v.params, bytes: v.bytes, gzipBytes: v.gzipBytes }));
    if (!prepared.length) throw new Error(`nothing was measured: ${out.skipped.join('; ') || 'no variant could be built'}`);
    const models = [...new Set(prepared.map((v) => v.model))];
    backendCost = perBackend(plan, models.map((m) => prepared.filter((v) => v.model === m).length));

    // 2. Each backend in turn.
    for (const [i, spec] of plan.backends.entries()) {
      const name = specId(spec);
      const backend: BackendRun = { id: name, backend: spec.backend, threads: null, simd: null, first: [], groups: [] };
      out.backends.push(backend);
      const started = (s: BackendStarted | BackendRefused) => {
        if (!s.ok) throw new Error(s.reason);
        Object.assign(backend, { id: s.id, threads: s.threads, simd: s.simd, ...(s.threadsRequested ? { threadsRequested: s.threadsRequested } : {}), ...(s.renderer ? { renderer: s.renderer, software: !!s.software } : {}) });
        return s;
      };
      const start = { spec, ...deps.setup };
      const firstSpan = cost.first;
      try {
        // a. First inference, each variant on a fresh backend. One untimed worker goes first: it warms what the
        //    browser keeps between workers (compiled JavaScript, the compiled wasm module, the GPU's program cache),
        //    so the variant timed first is not the only one to pay for them.
        report(0, cost.first, `${name}: warming the browser's caches (untimed)`);
        await withWorker(async (call) => {
          started(await call('start', start));
          await call('first', { variant: prepared[0]! });
        });
        done += cost.first;
        for (const v of prepared) {
          const what = `${name}: first inference of ${modelLabel(v.model)} ${v.kind} on a fresh backend`;
          report(0, firstSpan, what);
          await withWorker(async (call) => {
            const s = started(await call('start', start));
            const first = await call('first', { variant: v });
            backend.first.push({ ...first, initMs: s.initMs });
          });
          done += firstSpan;
        }
        // b. Steady state: the variants of each model interleaved, in one worker on this backend.
        await withWorker(async (call) => {
          started(await call('start', start));
          await call('code', plan.code);
          for (const model of models) {
            const variants = prepared.filter((v) => v.model === model);
            const steadySpan = cost.steady(variants.length, plan);
            const { group, studentCode } = await call('steady', { variants, batch: plan.batch, budgetMs: plan.budgetMs, sweep: plan.sweep }, steadySpan, `${name}: ${modelLabel(model)}, ${variants.length} variants interleaved`);
            backend.groups.push(group);
            if (studentCode.length) out.studentCode = studentCode;
            done += steadySpan;
          }
        });
      } catch (error) {
        if (error instanceof JobCancelled) throw error;
        backend.error = message(error);
      }
      // A backend that stopped early still counts as done for the progress bar.
      done = prepareCost + (i + 1) * backendCost;
    }
    if (!out.backends.some((b) => b.first.length || b.groups.length)) {
      throw new Error(`nothing was measured: ${out.backends.map((b) => `${b.id}: ${b.error ?? 'no result'}`).join('; ')}`);
    }
    return out;
  }

  const promise = Promise.race([run(), cancelledPromise]);
  promise.catch(() => undefined);
  return {
    promise,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      rejectCancelled(new JobCancelled());
      current?.job?.cancel();
      current?.client.dispose();
    },
  };
}
