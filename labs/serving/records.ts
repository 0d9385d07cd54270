/** A load test as the state keeps it: one column per time, rounded to microseconds. */
import type { LoadResult } from '../../src/labkit/serving/load.ts';
import { evaluateThresholds, parseThresholds, type ThresholdResult } from '../../src/labkit/serving/thresholds.ts';
import type { LoadRecordState } from './schema.ts';
import type { Route } from './protocol.ts';

export type LoadRecord = LoadRecordState;

const us = (ms: number) => Math.round(ms * 1000) / 1000;

/** The record of a finished load test; `serverMs[i]` and `status[i]` come from the answers. */
export function loadRecord(id: string, at: string, result: LoadResult, serverMs: number[], statuses: Record<string, number>, thresholds = '', route: Route = 'worker'): LoadRecord {
  const s = result.samples;
  return {
    id,
    at,
    route,
    spec: result.spec,
    intended: s.map((x) => us(x.intended)),
    sent: s.map((x) => us(x.sent)),
    done: s.map((x) => us(x.done)),
    ok: s.map((x) => (x.ok ? 1 : 0)),
    serverMs: s.map((_, i) => us(serverMs[i] ?? 0)),
    dropped: result.dropped,
    timedOut: result.timedOut,
    statuses,
    thresholds,
  };
}

/** The record's thresholds evaluated on its answered requests (durations from the intended time). */
export function thresholdResults(r: LoadRecord): ThresholdResult[] {
  const durations = sampleLatencies(r, 'intended').filter((_, i) => r.ok[i] === 1);
  const failed = r.ok.filter((x) => x === 0).length;
  return evaluateThresholds(parseThresholds(r.thresholds), durations, failed, r.ok.length);
}

/** "passed", "failed: p(95)<50 (62.1)" or "" when there are none. */
export function thresholdSummary(r: LoadRecord): string {
  const results = thresholdResults(r);
  if (!results.length) return '';
  const failed = results.filter((t) => t.pass === false);
  const skipped = results.filter((t) => t.pass === null);
  const show = (t: ThresholdResult) => `${t.expr}${t.value !== null ? ` (${+t.value.toPrecision(4)})` : ''}`;
  return `${failed.length ? `FAILED: ${failed.map(show).join(', ')}` : 'passed'}${skipped.length ? `; not evaluated: ${skipped.map((t) => `${t.expr} (${t.why})`).join(', ')}` : ''}`;
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
