/** A worker thread for the worker-rpc tests: handlers that finish, yield, never yield, fail and crash. */
import { serveWorker, throwIfCancelled, transfer } from '../worker-rpc.ts';
import { threadScope } from './node-worker.ts';

let made = 0;
let setups = 0;

serveWorker(
  threadScope(),
  {
    setup: async () => ++setups,
    echo: async (params: { text: string }) => params.text,
    /** Counts to `n`, yielding to the event loop between steps, so a cancel message gets through. */
    count: async (params: { n: number }, { signal, progress }) => {
      for (let i = 0; i < params.n; i++) {
        throwIfCancelled(signal);
        progress(i / params.n, `step ${i}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return params.n;
    },
    /** A loop that never returns to the event loop (like tfjs training steps). */
    spin: async (params: { ms: number }) => {
      const end = Date.now() + params.ms;
      while (Date.now() < end) made++;
      return made;
    },
    silent: () => new Promise(() => undefined),
    fail: async () => {
      throw new RangeError('sparsity must be below 1');
    },
    crash: () => {
      setTimeout(() => {
        throw new Error('out of memory');
      });
      return new Promise(() => undefined);
    },
    buffer: async () => {
      const bytes = new Uint8Array([1, 2, 3]);
      return transfer({ bytes }, [bytes.buffer]);
    },
  },
  { stats: () => ({ made, setups }) },
);
