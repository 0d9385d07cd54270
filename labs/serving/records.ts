/** A load test as the state keeps it: one column per time, rounded to microseconds. */
import type { LoadResult } from '../../src/labkit/serving/load.ts';
import type { LoadRecordState } from './schema.ts';

export type LoadRecord = LoadRecordState;

const us = (ms: number) => Math.round(ms * 1000) / 1000;

/** The record of a finished load test; `serverMs[i]` and `status[i]` come from the answers. */
export function loadRecord(id: string, at: string, result: LoadResult, serverMs: number[], statuses: Record<string, number>): LoadRecord {
  const s = result.samples;
  return {
    id,
    at,
    spec: result.spec,
    intended: s.map((x) => us(x.intended)),
    sent: s.map((x) => us(x.sent)),
    done: s.map((x) => us(x.done)),
    ok: s.map((x) => (x.ok ? 1 : 0)),
    serverMs: s.map((_, i) => us(serverMs[i] ?? 0)),
    dropped: result.dropped,
    timedOut: result.timedOut,
    statuses,
  };
}

/** Latency of each request from its actual or intended send. */
export function sampleLatencies(r: LoadRecord, from: 'sent' | 'intended'): number[] {
  return r.done.map((d, i) => d - (from === 'sent' ? r.sent[i]! : r.intended[i]!));
}

/** The client's lag behind its schedule, per request. */
export function lags(r: LoadRecord): number[] {
  return r.sent.map((s, i) => s - r.intended[i]!);
}

/** Service times of answered requests (time inside the worker's handler), for the virtual-time replays. */
export function serviceTimes(r: LoadRecord): number[] {
  return r.serverMs.filter((_, i) => r.ok[i] === 1 && r.serverMs[i]! > 0);
}

/** Answered requests per second over the test. */
export function achievedRate(r: LoadRecord): number {
  const end = Math.max(r.spec.durationMs, ...r.done);
  return (r.ok.filter((x) => x === 1).length / end) * 1000;
}
