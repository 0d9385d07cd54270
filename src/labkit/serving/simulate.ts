/**
 * Servers in virtual time, for experiments that would take minutes in real time: a single-worker FIFO server (one
 * request at a time, like the lab's Web Worker) with an optional planted periodic stall, and a server behind a
 * dynamic batcher whose batch cost comes from a measured table. Both plug into `runLoad` as its `Send`.
 */
import { nextFlush as referenceFlush } from './batcher.mjs';
import type { Clock, Send } from './load.ts';

/** A planted stall: the server does nothing for `forMs` at the end of every `everyMs` window. */
export interface Stall {
  everyMs: number;
  forMs: number;
}

/** The first moment at or after t that is not inside a stall. */
export function afterStall(t: number, stall: Stall | null): number {
  if (!stall) return t;
  const phase = t % stall.everyMs;
  const start = stall.everyMs - stall.forMs;
  return phase >= start ? t - phase + stall.everyMs : t;
}

/** One worker, first in first out; each request takes `serviceMs()` of work, which a stall pauses. */
export function queueServer(clock: Clock, serviceMs: () => number, stall: Stall | null = null): Send {
  let freeAt = 0;
  return (_index, done) => {
    let t = afterStall(Math.max(clock.now(), freeAt), stall);
    let work = serviceMs();
    // Work runs until the next stall begins, then waits for it to end.
    while (stall) {
      const untilStall = stall.everyMs - stall.forMs - (t % stall.everyMs);
      if (work <= untilStall) break;
      work -= untilStall;
      t = t + untilStall + stall.forMs;
    }
    freeAt = t + work;
    clock.at(freeAt, () => done({ ok: true }));
  };
}

export interface BatcherOptions {
  maxBatchSize: number;
  maxQueueDelayMs: number;
}

export type FlushRule = typeof referenceFlush;

/** Milliseconds to run a batch of `size`, interpolated linearly in a measured table of (size, ms), ascending. */
export function batchCost(table: readonly { size: number; ms: number }[]): (size: number) => number {
  if (!table.length) throw new RangeError('the batch cost table is empty');
  return (size) => {
    let i = 0;
    while (i < table.length - 1 && table[i + 1]!.size < size) i++;
    const a = table[i]!;
    const b = table[Math.min(i + 1, table.length - 1)]!;
    if (size <= a.size || a.size === b.size) return (a.ms * size) / a.size;
    return a.ms + ((b.ms - a.ms) * (size - a.size)) / (b.size - a.size);
  };
}

/** A dynamic batcher in front of one model worker: batches leave by `flush` (the reference rule, or the student's). */
export function batchingServer(clock: Clock, costMs: (size: number) => number, options: BatcherOptions, flush: FlushRule = referenceFlush): Send & { batches: number[] } {
  const queue: { arrived: number; done: (o: { ok: boolean }) => void }[] = [];
  const batches: number[] = [];
  let busy = false;
  let timerAt = Infinity;
  const consider = () => {
    if (busy) return;
    const plan = flush(queue.length, queue[0]?.arrived ?? 0, clock.now(), options);
    if (!plan) return;
    if (plan.atMs > clock.now()) {
      if (plan.atMs < timerAt) {
        timerAt = plan.atMs;
        clock.at(plan.atMs, () => {
          timerAt = Infinity;
          consider();
        });
      }
      return;
    }
    const batch = queue.splice(0, Math.max(1, Math.min(plan.size, queue.length)));
    batches.push(batch.length);
    busy = true;
    clock.at(clock.now() + costMs(batch.length), () => {
      busy = false;
      for (const r of batch) r.done({ ok: true });
      consider();
    });
  };
  const send: Send = (_index, done) => {
    queue.push({ arrived: clock.now(), done });
    consider();
  };
  return Object.assign(send, { batches });
}
