/**
 * Load generators in the two models k6 and wrk2 distinguish, recording for every request when it was meant to be
 * sent (intended), when it was sent (actual) and when its answer came back:
 *
 * - closed: N virtual users, each sends its next request when the previous answer is back (optionally paced: one
 *   request every `1/rate` seconds per user, the schedule wrk uses). A slow answer delays the next send, so a stall
 *   produces one slow sample instead of the many requests real users would have sent meanwhile: coordinated omission.
 * - open: arrivals at a constant rate or a Poisson process, independent of the answers (k6's arrival-rate executors).
 *   Requests that find `maxInFlight` requests outstanding are dropped and counted (k6's dropped_iterations).
 *
 * Latency from the intended time includes the wait the client imposed (wrk2's corrected latency); from the actual
 * time it does not. `sent − intended` is the client's own lag: in a browser tab, when it grows, the tab is saturated.
 * Time runs on a `Clock`: the real one (performance.now and setTimeout) or a virtual one for simulations.
 */

export interface Clock {
  /** Milliseconds. */
  now(): number;
  /** Runs `fn` at time `t` (at once when t has passed). */
  at(t: number, fn: () => void): void;
}

/** One request's times (ms on the clock) and outcome. */
export interface Sample {
  intended: number;
  sent: number;
  done: number;
  ok: boolean;
}

export interface Outcome {
  ok: boolean;
}

/** Sends request number `index`; calls `done` once with its outcome. */
export type Send = (index: number, done: (outcome: Outcome) => void) => void;

export type LoadSpec =
  | { model: 'closed'; users: number; durationMs: number; /** requests per second per user; 0 = no pacing */ ratePerUser: number }
  | { model: 'open'; arrivals: 'constant' | 'poisson'; rate: number; durationMs: number; maxInFlight: number; seed: number };

export interface LoadResult {
  spec: LoadSpec;
  samples: Sample[];
  /** Open model: arrivals that found maxInFlight requests outstanding. */
  dropped: number;
  /** Requests still unanswered `timeoutMs` after the end: counted as failed samples with done = end + timeout. */
  timedOut: number;
}

/** Why a load spec cannot run, naming the field; null when it can. */
export function checkLoadSpec(spec: LoadSpec): string | null {
  if (!(spec.durationMs > 0 && spec.durationMs <= 120_000)) return 'duration must be more than 0 s and at most 120 s';
  if (spec.model === 'closed') {
    if (!Number.isInteger(spec.users) || spec.users < 1 || spec.users > 256) return 'users must be a whole number from 1 to 256';
    if (!(spec.ratePerUser >= 0 && spec.ratePerUser <= 10_000)) return 'rate per user must be from 0 (no pacing) to 10,000 requests per second';
    return null;
  }
  if (!(spec.rate > 0 && spec.rate <= 200_000)) return 'rate must be more than 0 and at most 200,000 requests per second';
  if (!Number.isInteger(spec.maxInFlight) || spec.maxInFlight < 1) return 'max in flight must be a whole number ≥ 1';
  return null;
}

/** Arrival times in [0, durationMs) for an open model; Poisson gaps are exponential from a seeded generator. */
export function arrivalTimes(spec: Extract<LoadSpec, { model: 'open' }>, random: () => number): number[] {
  const gap = 1000 / spec.rate;
  const out: number[] = [];
  let t = spec.arrivals === 'constant' ? 0 : -Math.log(1 - random()) * gap;
  while (t < spec.durationMs) {
    out.push(t);
    t += spec.arrivals === 'constant' ? gap : -Math.log(1 - random()) * gap;
  }
  return out;
}

/**
 * Runs a load test; resolves when every request is answered, or `timeoutMs` after the last intended send with the
 * unanswered ones counted as timed out, so a server that never answers cannot hang it. An abort stops sending at once
 * and rejects with an AbortError.
 */
export function runLoad(spec: LoadSpec, send: Send, clock: Clock, random: () => number, timeoutMs = 5_000, signal?: AbortSignal): Promise<LoadResult> {
  const problem = checkLoadSpec(spec);
  if (problem) return Promise.reject(new RangeError(problem));
  return new Promise((resolve, reject) => {
    const start = clock.now();
    const end = start + spec.durationMs;
    const samples: Sample[] = [];
    const open = new Set<Sample>();
    let dropped = 0;
    let scheduled = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const s of open) {
        s.done = end + timeoutMs;
        s.ok = false;
      }
      const timedOut = open.size;
      open.clear();
      resolve({ spec, samples: samples.map((s) => ({ intended: s.intended - start, sent: s.sent - start, done: s.done - start, ok: s.ok })), dropped, timedOut });
    };
    const maybeFinish = () => {
      if (scheduled === 0 && open.size === 0) finish();
    };
    signal?.addEventListener('abort', () => {
      finished = true;
      reject(new DOMException('cancelled', 'AbortError'));
    });
    const fire = (intended: number, then?: () => void) => {
      if (finished) return;
      const sample: Sample = { intended, sent: clock.now(), done: NaN, ok: false };
      samples.push(sample);
      open.add(sample);
      let answered = false;
      send(samples.length - 1, (outcome) => {
        if (answered || finished) return;
        answered = true;
        sample.done = clock.now();
        sample.ok = outcome.ok;
        open.delete(sample);
        then?.();
        maybeFinish();
      });
    };
    if (spec.model === 'open') {
      const times = arrivalTimes(spec, random);
      scheduled = times.length;
      for (const t of times) {
        clock.at(start + t, () => {
          scheduled--;
          if (open.size >= spec.maxInFlight) dropped++;
          else fire(start + t);
          maybeFinish();
        });
      }
    } else {
      const gap = spec.ratePerUser > 0 ? 1000 / spec.ratePerUser : 0;
      scheduled = spec.users;
      for (let u = 0; u < spec.users; u++) {
        // Each user's next request is due one gap after the previous one was due, but it can only leave once the
        // previous answer is back: after a slow answer the user skips the slots it missed and goes on from now, so a
        // stall leaves one slow sample where an open model would have recorded every request sent meanwhile.
        const loop = (intended: number) => {
          if (intended >= end) {
            scheduled--;
            maybeFinish();
            return;
          }
          clock.at(intended, () => fire(intended, () => loop(Math.max(intended + gap, clock.now()))));
        };
        loop(start + (gap * u) / spec.users);
      }
    }
    clock.at(end + timeoutMs, finish);
    maybeFinish();
  });
}

/**
 * The real clock of a page or worker. Browsers truncate a timeout to whole milliseconds, so a timer can fire up to
 * 1 ms before the time asked for; it is then set again, so nothing is sent before its intended time.
 */
export const realClock: Clock = {
  now: () => performance.now(),
  at: (t, fn) => {
    const check = () => {
      const left = t - performance.now();
      if (left > 0) setTimeout(check, Math.ceil(left));
      else fn();
    };
    check();
  },
};

/** A virtual clock for simulations: `run()` plays the events in time order, synchronously, until none is left. */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private heap: { t: number; seq: number; fn: () => void }[] = [];

  now(): number {
    return this.time;
  }

  at(t: number, fn: () => void): void {
    const item = { t: Math.max(t, this.time), seq: this.seq++, fn };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private before(a: { t: number; seq: number }, b: { t: number; seq: number }): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }

  private pop() {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Plays every event; events scheduled while playing are played too. */
  run(): void {
    while (this.heap.length) {
      const next = this.pop();
      this.time = next.t;
      next.fn();
    }
  }
}

/** Latencies of answered samples, from the actual send (`'sent'`) or from the intended send (`'intended'`). */
export function latencies(samples: readonly Sample[], from: 'sent' | 'intended'): number[] {
  return samples.map((s) => s.done - (from === 'sent' ? s.sent : s.intended));
}

/** The client's lag: how late each request left compared with its schedule. */
export function sendLag(samples: readonly Sample[]): number[] {
  return samples.map((s) => s.sent - s.intended);
}
