/**
 * The lab's reference server passes the lab's contract test in process, with a stand-in model (the same file the
 * worker runs in the browser; serve.test.ts runs it over real HTTP with the real model), and broken servers fail it
 * with reasons.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { importServer } from './packages.ts';
import { runContract } from './server/contract.mjs';
import { answer, hostModel, loadServer } from './server/host.mjs';
import { DENSE_MNIST } from './server/mnist-dense.mjs';

const source = (name: string) => readFileSync(new URL(`./server/${name}`, import.meta.url), 'utf8');

/** A stand-in for the MNIST model: a softmax over the first ten pixels of each row. */
const fakeModel = hostModel(DENSE_MNIST, async (values, batch) => {
  const out = new Float32Array(batch * 10);
  for (let r = 0; r < batch; r++) {
    const row = Array.from(values.subarray(r * 784, r * 784 + 10), Math.exp);
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((v, i) => (out[r * 10 + i] = v / sum));
  }
  return out;
});

describe('the contract test under Node', () => {
  it('the reference server passes every case', async () => {
    const server = await loadServer(source('reference.mjs'), importSource);
    const outcomes = await runContract((request) => server.fetch(request, { model: fakeModel }), DENSE_MNIST);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(14);
  });

  it('the starter passes health and metadata but not the validation of infer', async () => {
    const server = await loadServer(source('starter.mjs'), importSource);
    const outcomes = await runContract((request) => server.fetch(request, { model: fakeModel }), DENSE_MNIST);
    expect(outcomes.slice(0, 5).every((o) => o.passed)).toBe(true);
    expect(outcomes.filter((o) => !o.passed).length).toBeGreaterThan(0);
  });

  it('the Hono starter, importing the lab\'s bundled Hono, passes health and metadata but not the validation of infer', async () => {
    const server = await loadServer(source('starter-hono.mjs'), importServer);
    const outcomes = await runContract((request) => server.fetch(request, { model: fakeModel }), DENSE_MNIST);
    expect(outcomes.slice(0, 7).filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.filter((o) => !o.passed).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.passed).every((o) => o.name.endsWith('answers 400'))).toBe(true);
  });

  it('a server that throws or answers text fails the cases with the reason', async () => {
    const throws = await runContract(async () => {
      throw new Error('boom');
    }, DENSE_MNIST);
    expect(throws[0]).toMatchObject({ passed: false, message: 'the server failed: boom' });
    const text = await runContract(async () => new Response('ok'), DENSE_MNIST);
    expect(text[0]!.message).toMatch(/not JSON/);
  });

  it('a module without a fetch handler is refused with what to write', async () => {
    await expect(loadServer('export const x = 1;', importSource)).rejects.toThrow(/export default \{ fetch/);
    await expect(loadServer('export default {', importSource)).rejects.toThrow(/does not load/);
  });

  it('the host answers 500 for a throw or a non-Response and 504 for a handler that never answers', async () => {
    const env = { model: fakeModel };
    const req = () => new Request('http://serving.lab/v2/health/live');
    const thrown = await answer({ fetch: () => { throw new TypeError('bad'); } }, env, req(), 1000);
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ error: 'the server threw TypeError: bad' });
    const nothing = await answer({ fetch: () => undefined as unknown as Response }, env, req(), 1000);
    expect((await nothing.json()).error).toMatch(/returned nothing/);
    const never = await answer({ fetch: () => new Promise<Response>(() => undefined) }, env, req(), 20);
    expect(never.status).toBe(504);
  });
});
