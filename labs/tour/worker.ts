/// <reference lib="webworker" />
/**
 * The tour lab's worker: throws darts. Its loop never yields to the event loop (as a training step never does), so
 * Cancel has to terminate the worker: the shared protocol does that within a second.
 */
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { serveWorker, type JobContext, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { wilson as reference } from '../../src/labkit/stats/wilson.mjs';
import type { Batch } from './lab.ts';

type Interval = (k: number, n: number) => { lower: number; upper: number };
let student: Interval | null = null;

/** xorshift128+, seeded from crypto: a fast, good-enough generator for darts. */
function generator(): () => number {
  const seed = new Uint32Array(4);
  crypto.getRandomValues(seed);
  let [a, b, c, d] = seed as unknown as [number, number, number, number];
  return () => {
    let t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    t = d;
    return t / 4294967296;
  };
}

const api = {
  async code(p: { wilson?: string }) {
    student = p.wilson ? ((await importSource(p.wilson)).wilson as Interval) : null;
    return Boolean(student);
  },
  async throw(p: { darts: number }, { progress }: JobContext): Promise<Batch> {
    if (!Number.isInteger(p.darts) || p.darts <= 0 || p.darts > 1e9) throw new RangeError('The number of darts must be a whole number from 1 to 1,000,000,000.');
    const random = generator();
    let inside = 0;
    const chunk = 250_000;
    for (let done = 0; done < p.darts; ) {
      const end = Math.min(p.darts, done + chunk);
      for (let i = done; i < end; i++) {
        const x = random();
        const y = random();
        if (x * x + y * y <= 1) inside++;
      }
      done = end;
      progress(done / p.darts, `${done.toLocaleString('en')} of ${p.darts.toLocaleString('en')} darts`);
    }
    const interval = (student ?? reference)(inside, p.darts);
    return {
      id: `b-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
      darts: p.darts,
      inside,
      lower: 4 * interval.lower,
      upper: 4 * interval.upper,
      studentCode: Boolean(student),
      at: new Date().toISOString(),
    };
  },
};
export type TourApi = typeof api;

serveWorker(self as unknown as WorkerScope, api);
