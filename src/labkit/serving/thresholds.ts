/**
 * Pass/fail thresholds on a load test, in k6's expression syntax (grafana.com/docs/k6/latest/using-k6/thresholds):
 * `p(95)<200` on the request duration in milliseconds, `med`, `avg`, `max` and `min` likewise, and `rate<0.01` on
 * the share of failed requests; operators <, <=, >, >=, ==, !=. A test fails when any threshold fails.
 *
 * One difference from k6, on purpose: durations are counted from each request's intended send time (what a user
 * waits), where k6's http_req_duration starts at the actual send. And a percentile the sample cannot support
 * (p99 below 1,000 answers, see ./percentiles.ts) is not evaluated rather than passed.
 */
import { minSamples } from './percentiles.ts';
import { quantileSorted } from '../stats/samples.ts';

export interface Threshold {
  expr: string;
  aggregation: { kind: 'p'; p: number } | { kind: 'med' | 'avg' | 'max' | 'min' | 'rate' };
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  limit: number;
}

const PATTERN = /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|med|avg|max|min|rate)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Parses a comma-separated list; the error names the expression that does not parse. */
export function parseThresholds(text: string): Threshold[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  return parts.map((expr) => {
    const m = PATTERN.exec(expr);
    if (!m) throw new SyntaxError(`threshold "${expr}": write it as p(95)<200, med<50, avg<50, max<1000 or rate<0.01`);
    const p = m[2] !== undefined ? Number(m[2]) : undefined;
    if (p !== undefined && !(p > 0 && p < 100)) throw new RangeError(`threshold "${expr}": the percentile must be between 0 and 100`);
    return { expr, aggregation: p !== undefined ? { kind: 'p', p: p / 100 } : { kind: m[1] as 'med' | 'avg' | 'max' | 'min' | 'rate' }, op: m[3] as Threshold['op'], limit: Number(m[4]) };
  });
}

export interface ThresholdResult {
  expr: string;
  /** null: not evaluated (too few samples for that percentile, or nothing answered). */
  pass: boolean | null;
  value: number | null;
  why?: string;
}

const compare = (v: number, op: Threshold['op'], limit: number) =>
  op === '<' ? v < limit : op === '<=' ? v <= limit : op === '>' ? v > limit : op === '>=' ? v >= limit : op === '==' ? v === limit : v !== limit;

/** Evaluates thresholds on the answered requests' durations (ms) and the share of failed requests. */
export function evaluateThresholds(thresholds: readonly Threshold[], durations: readonly number[], failed: number, total: number): ThresholdResult[] {
  const sorted = [...durations].sort((a, b) => a - b);
  return thresholds.map((t) => {
    const a = t.aggregation;
    let value: number;
    if (a.kind === 'rate') {
      if (total === 0) return { expr: t.expr, pass: null, value: null, why: 'no requests' };
      value = failed / total;
    } else {
      if (sorted.length === 0) return { expr: t.expr, pass: null, value: null, why: 'no answered requests' };
      if (a.kind === 'p' && sorted.length < minSamples(a.p)) return { expr: t.expr, pass: null, value: null, why: `needs ${minSamples(a.p)} answered requests, has ${sorted.length}` };
      value =
        a.kind === 'p' ? quantileSorted(sorted, a.p)
        : a.kind === 'med' ? quantileSorted(sorted, 0.5)
        : a.kind === 'max' ? sorted[sorted.length - 1]!
        : a.kind === 'min' ? sorted[0]!
        : sorted.reduce((s, x) => s + x, 0) / sorted.length;
    }
    return { expr: t.expr, pass: compare(value, t.op, t.limit), value };
  });
}
