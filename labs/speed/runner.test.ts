/**
 * The run orchestration with fake workers that answer on the real worker protocol. A fake worker behaves like a tfjs
 * backend: the first predict() in a realm is slow (shader compilation) and later ones are fast, so the tests can
 * tell whether each variant's first inference really ran on a fresh backend.
 */
import { describe, expect, it } from 'vitest';
import { JobCancelled, serveWorker, type FromWorker, type JobContext, type ToWorker, type WorkerLike, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import type { BackendSpec } from '../../src/labkit/bench/backends.ts';
import { startRun } from './runner.ts';
import type { PreparedVariant, RunPlan } from './protocol.ts';
import { keptSummary } from './summary.ts';

interface World {
  workers: number;
  terminated: number;
  steadyStarted?: () => void;
}

function fakeWorker(world: World, options: { refuse?: string; hang?: boolean }): WorkerLike {
  world.workers++;
  let compiled = false;
  let backend = '';
  const like: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => queueMicrotask(() => scope.onmessage?.({ data: message as ToWorker })),
    terminate: () => void world.terminated++,
  };
  const scope: WorkerScope = { onmessage: null, postMessage: (message: FromWorker) => queueMicrotask(() => like.onmessage?.({ data: message })) };
  const variant = (model: string, kind: PreparedVariant['kind']): PreparedVariant => ({ model, kind, params: kind === 'structured50' ? 50 : 100, json: '{}', weights: new Uint8Array(4), bytes: kind === 'uint8' ? 150 : 500, gzipBytes: kind === 'uint8' ? 100 : 400 });
  serveWorker(scope, {
    start: ({ spec }: { spec: BackendSpec }) => {
      backend = spec.backend;
      if (options.refuse && spec.backend === options.refuse) return { ok: false, id: spec.backend, reason: `${spec.backend} is not available here` };
      return { ok: true, id: spec.backend, backend: spec.backend, initMs: 5, threads: spec.backend === 'cpu' ? 1 : null, simd: null };
    },
    prepare: ({ choice, kinds }: { choice: { key: string }; kinds: PreparedVariant['kind'][] }) => ({ variants: kinds.map((k) => variant(choice.key, k)), skipped: [] }),
    code: () => [],
    first: ({ variant: v }: { variant: PreparedVariant }) => {
      const warmupMs = compiled ? 1 : 100; // a second model in the same realm finds its shaders compiled
      compiled = true;
      return { model: v.model, variant: v.kind, loadMs: 2, warmupMs, firstPredictionMs: 0.5 };
    },
    steady: async (p: { variants: PreparedVariant[]; batch: number }, { signal, progress }: JobContext) => {
      world.steadyStarted?.();
      progress(0.5, 'timing');
      if (options.hang) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError'))));
      const samples = Array.from({ length: 30 }, (_, i) => (backend === 'cpu' ? 2 : 1) + (i % 3) * 0.01);
      return {
        group: { model: p.variants[0]!.model, batch: p.batch, rows: p.variants.map((v) => ({ variant: v.kind, params: v.params, samples, summary: keptSummary(samples), stopReason: 'converged' })), sweep: [], leaked: 0 },
        studentCode: [],
      };
    },
  });
  return like;
}

const plan = (backends: BackendSpec['backend'][]): RunPlan => ({
  backends: backends.map((backend) => ({ backend })),
  models: [{ key: 'dense' }],
  variants: ['baseline', 'uint8', 'structured50'],
  budgetMs: 500,
  batch: 1,
  sweep: [],
  code: {},
});

const deps = (world: World, options: { refuse?: string; hang?: boolean } = {}) => ({ create: () => fakeWorker(world, options), setup: { base: '/', wasm: {} } });

describe('a benchmark run', () => {
  it('measures every variant’s first inference on a fresh backend, and times the variants together', async () => {
    const world: World = { workers: 0, terminated: 0 };
    const fractions: number[] = [];
    const run = await startRun(plan(['cpu', 'webgl']), deps(world), (f) => fractions.push(f)).promise;
    // 1 worker builds the variants; per backend 1 untimed warm-up worker, 3 fresh workers for first inference and 1
    // for the steady state.
    expect(world.workers).toBe(1 + 2 * (1 + 3 + 1));
    expect(world.terminated).toBe(world.workers);
    for (const b of run.backends) {
      expect(b.first.map((f) => f.variant)).toEqual(['baseline', 'uint8', 'structured50']);
      expect(b.first.every((f) => f.warmupMs === 100)).toBe(true); // none inherited compiled shaders
      expect(b.first.every((f) => f.initMs === 5)).toBe(true);
      expect(b.groups).toHaveLength(1);
      expect(b.groups[0]!.rows.map((r) => r.variant)).toEqual(['baseline', 'uint8', 'structured50']);
    }
    expect(run.backends.map((b) => [b.id, b.threads])).toEqual([['cpu', 1], ['webgl', null]]);
    expect(run.variants.find((v) => v.variant === 'uint8')?.gzipBytes).toBe(100);
    // One progress bar over the whole run: it never goes back.
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBeLessThanOrEqual(1);
  });

  it('keeps each backend’s problem with that backend and measures the others', async () => {
    const world: World = { workers: 0, terminated: 0 };
    const run = await startRun(plan(['webgl', 'cpu']), deps(world, { refuse: 'webgl' }), () => undefined).promise;
    expect(run.backends.map((b) => [b.id, b.error ?? null])).toEqual([
      ['webgl', 'webgl is not available here'],
      ['cpu', null],
    ]);
    expect(run.backends[1]!.groups).toHaveLength(1);
    expect(world.terminated).toBe(world.workers);
  });

  it('says so, instead of "done", when nothing could be measured', async () => {
    const world: World = { workers: 0, terminated: 0 };
    await expect(startRun(plan(['webgl']), deps(world, { refuse: 'webgl' }), () => undefined).promise).rejects.toThrow('nothing was measured: webgl: webgl is not available here');
  });

  it('cancels at once and ends the worker that was running', async () => {
    const world: World = { workers: 0, terminated: 0 };
    let started!: () => void;
    const steadyStarted = new Promise<void>((resolve) => (started = resolve));
    world.steadyStarted = started;
    const job = startRun(plan(['cpu']), deps(world, { hang: true }), () => undefined);
    await steadyStarted;
    const t0 = performance.now();
    job.cancel();
    await expect(job.promise).rejects.toBeInstanceOf(JobCancelled);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(world.terminated).toBe(world.workers);
  });
});
