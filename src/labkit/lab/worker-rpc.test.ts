import { afterEach, describe, expect, it } from 'vitest';
import { nodeWorker } from './testing/node-worker.ts';
import { JobCancelled, startedClient, WorkerClient, WorkerFailed, type WorkerApi } from './worker-rpc.ts';

type Api = {
  setup: () => Promise<number>;
  echo: (p: { text: string }) => Promise<string>;
  count: (p: { n: number }) => Promise<number>;
  spin: (p: { ms: number }) => Promise<number>;
  silent: (p: Record<string, never>) => Promise<never>;
  fail: (p: Record<string, never>) => Promise<never>;
  crash: (p: Record<string, never>) => Promise<never>;
  buffer: (p: Record<string, never>) => Promise<{ bytes: Uint8Array }>;
} & WorkerApi;

const url = new URL('./testing/rpc-worker.ts', import.meta.url);
const clients: WorkerClient<Api>[] = [];

function client(options: Partial<ConstructorParameters<typeof WorkerClient<Api>>[0]> = {}) {
  const workers: ReturnType<typeof nodeWorker>[] = [];
  const stats: Record<string, number>[] = [];
  const restarts: string[] = [];
  const c = new WorkerClient<Api>({
    create: () => {
      const w = nodeWorker(url);
      workers.push(w);
      return w;
    },
    setup: (call) => call('setup', undefined as never),
    onStats: (s) => stats.push(s),
    onRestart: (reason) => restarts.push(reason),
    ...options,
  });
  clients.push(c);
  return { c, workers, stats, restarts };
}

afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});

describe('worker protocol', () => {
  it('answers a call after setup, with progress and stats', async () => {
    const { c, stats } = client();
    const progress: string[] = [];
    await expect(c.call('count', { n: 3 }, { onProgress: (_, m) => progress.push(m) }).promise).resolves.toBe(3);
    expect(progress).toEqual(['step 0', 'step 1', 'step 2']);
    expect(await c.call('echo', { text: 'hi' }).promise).toBe('hi');
    expect(stats.at(-1)).toMatchObject({ setups: 1 });
  });

  it('passes an error with its name and message, and the worker stays usable', async () => {
    const { c } = client();
    await expect(c.call('fail', {}).promise).rejects.toMatchObject({ name: 'RangeError', message: 'sparsity must be below 1' });
    expect(await c.call('echo', { text: 'still here' }).promise).toBe('still here');
  });

  it('cancels a job that yields without replacing the worker', async () => {
    const { c, restarts, workers } = client();
    const job = c.call('count', { n: 1000 });
    await new Promise((r) => setTimeout(r, 50));
    job.cancel();
    await expect(job.promise).rejects.toBeInstanceOf(JobCancelled);
    expect(await c.call('echo', { text: 'ok' }).promise).toBe('ok');
    expect(restarts).toEqual([]);
    expect(workers).toHaveLength(1);
  });

  it('cancels a job that never yields within a second by replacing the worker, and sets the new one up again', async () => {
    const { c, restarts, workers, stats } = client({ graceMs: 200 });
    await c.whenReady();
    const job = c.call('spin', { ms: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    job.cancel();
    await expect(job.promise).rejects.toBeInstanceOf(JobCancelled);
    expect(performance.now() - t0, 'the job answers the cancel at once').toBeLessThan(50);
    await expect(workers[0]!.exited).resolves.toBeTypeOf('number');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(restarts).toEqual(['cancel']);
    expect(await c.call('echo', { text: 'fresh' }).promise).toBe('fresh');
    expect(stats.at(-1)).toMatchObject({ setups: 1, made: 0 });
  });

  it('reports a crashed worker, fails its job with the reason and replaces it', async () => {
    const { c, restarts } = client();
    await expect(c.call('crash', {}).promise).rejects.toThrow(WorkerFailed);
    await expect(c.call('crash', {}).promise.catch((e: Error) => e.message)).resolves.toMatch(/out of memory/);
    expect(restarts).toEqual(['crash', 'crash']);
    expect(await c.call('echo', { text: 'alive' }).promise).toBe('alive');
  });

  it('declares a silent job stuck after stallMs and replaces the worker', async () => {
    const { c, restarts } = client({ stallMs: 200 });
    await expect(c.call('silent', {}).promise).rejects.toThrow(/sent nothing for/);
    expect(restarts).toEqual(['stall']);
    expect(await c.call('echo', { text: 'again' }).promise).toBe('again');
  });

  it('transfers buffers in a result', async () => {
    const { c } = client();
    const { bytes } = await c.call('buffer', {}).promise;
    expect([...bytes]).toEqual([1, 2, 3]);
  });

  it('runs a setup of several calls, the later ones after an await, and again after a restart', async () => {
    const { c, stats } = client({ setup: async (call) => {
      await call('setup', undefined as never);
      await call('echo', { text: 'second' });
    }, graceMs: 100 });
    expect(await c.call('echo', { text: 'after setup' }).promise).toBe('after setup');
    const job = c.call('spin', { ms: 30_000 });
    await new Promise((r) => setTimeout(r, 100));
    job.cancel();
    expect(await c.call('echo', { text: 'after restart' }).promise).toBe('after restart');
    expect(stats.at(-1)).toMatchObject({ setups: 1 });
  });

  it('fails calls with the setup error when setup fails', async () => {
    const { c } = client({ setup: (call) => call('fail', {}) });
    await expect(c.call('echo', { text: 'x' }).promise).rejects.toThrow(/sparsity/);
  });
});

describe('a client that must say when its worker cannot start', () => {
  it('resolves once the worker is set up', async () => {
    const c = await startedClient<Api>({ create: () => nodeWorker(url), setup: (call) => call('setup', undefined as never) });
    expect(c).toBeInstanceOf(WorkerClient);
    const started = c as WorkerClient<Api>;
    clients.push(started);
    expect(await started.call('echo', { text: 'ready' }).promise).toBe('ready');
  });

  it("gives the setup's error instead of a client", async () => {
    const c = await startedClient<Api>({ create: () => nodeWorker(url), setup: (call) => call('fail', {}) });
    expect(c).toBeInstanceOf(WorkerFailed);
    expect((c as WorkerFailed).message).toBe('sparsity must be below 1');
  });

  it('says there are no Web Workers where the runtime has none (Node, where these tests run)', async () => {
    expect(typeof Worker).toBe('undefined');
    const c = await startedClient<Api>({ create: () => new Worker(url, { type: 'module' }) as never });
    expect((c as WorkerFailed).message).toMatch(/no Web Workers here/);
  });
});
