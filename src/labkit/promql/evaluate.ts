/**
 * An in-page time-series store and a PromQL evaluator with Prometheus 2.42's semantics (the version Debian ships,
 * whose promtool produced the golden cases in fixtures/): instant selectors look back 5 minutes and skip staleness
 * markers; range selectors take the samples in [t − range, t] (both ends included, as Prometheus 2.x does; 3.x left
 * the start out); rate/increase/delta extrapolate to the window's edges exactly as Prometheus' `extrapolatedRate`;
 * histogram_quantile interpolates within buckets as `bucketQuantile`; aggregations and vector matching follow
 * Prometheus' label rules. Timestamps are milliseconds; values are float64.
 */
import { PromQLError, parsePromQL, type BinaryOp, type Expr, type Matcher, type VectorSelector } from './parse.ts';

export type Labels = Readonly<Record<string, string>>;
export const LOOKBACK_MS = 5 * 60_000;

export interface Series {
  labels: Labels;
  t: number[];
  v: number[];
  /** Staleness markers, by index (a series that disappeared from a scrape). */
  stale: boolean[];
}

export const labelsKey = (l: Labels) => JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));

export class SeriesStore {
  private series = new Map<string, Series>();

  /** Appends a sample; samples of one series must come in time order. */
  add(labels: Labels, t: number, v: number, stale = false): void {
    this.appender(labels)(t, v, stale);
  }

  /** A function that appends to one series (a scraper keeps one per series instead of hashing labels per sample). */
  appender(labels: Labels): (t: number, v: number, stale?: boolean) => void {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { ...labels }, t: [], v: [], stale: [] };
      this.series.set(key, s);
    }
    const series = s;
    return (t, v, stale = false) => {
      if (series.t.length && t <= series.t.at(-1)!) throw new RangeError(`sample at ${t} ms for ${key} is not after the previous one`);
      series.t.push(t);
      series.v.push(v);
      series.stale.push(stale);
    };
  }

  all(): Series[] {
    return [...this.series.values()];
  }

  private selections = new WeakMap<Matcher[], { size: number; series: Series[] }>();

  /** The series matching every matcher (remembered per matcher list until a series is added). */
  select(matchers: Matcher[]): Series[] {
    const known = this.selections.get(matchers);
    if (known && known.size === this.series.size) return known.series;
    const tests = matchers.map((m) => {
      const re = m.op === '=~' || m.op === '!~' ? new RegExp(`^(?:${m.value})$`) : null;
      return (l: Labels) => {
        const v = l[m.name] ?? '';
        return m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : m.op === '=~' ? re!.test(v) : !re!.test(v);
      };
    });
    const series = this.all().filter((s) => tests.every((test) => test(s.labels)));
    this.selections.set(matchers, { size: this.series.size, series });
    return series;
  }
}

export interface Sample {
  labels: Labels;
  value: number;
}
export type Value = { type: 'scalar'; value: number } | { type: 'vector'; samples: Sample[] } | { type: 'matrix'; series: { labels: Labels; t: number[]; v: number[] }[] } | { type: 'string'; value: string };

const without = (l: Labels, names: string[]) => Object.fromEntries(Object.entries(l).filter(([k]) => !names.includes(k)));
const only = (l: Labels, names: string[]) => Object.fromEntries(Object.entries(l).filter(([k]) => names.includes(k)));
const dropName = (l: Labels) => without(l, ['__name__']);

/** Index of the last sample at or before t (−1 when none). */
function lastAtOrBefore(ts: number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function instant(store: SeriesStore, sel: VectorSelector, t: number): Sample[] {
  const ref = t - sel.offset;
  const out: Sample[] = [];
  for (const s of store.select(sel.matchers)) {
    const i = lastAtOrBefore(s.t, ref);
    if (i < 0 || s.t[i]! < ref - LOOKBACK_MS || s.stale[i]) continue;
    out.push({ labels: s.labels, value: s.v[i]! });
  }
  return out;
}

function range(store: SeriesStore, sel: VectorSelector, rangeMs: number, t: number) {
  const end = t - sel.offset;
  const start = end - rangeMs;
  const out: { labels: Labels; t: number[]; v: number[] }[] = [];
  for (const s of store.select(sel.matchers)) {
    const from = lastAtOrBefore(s.t, start - 1) + 1;
    const to = lastAtOrBefore(s.t, end) + 1;
    if (to <= from) continue;
    let ts = s.t.slice(from, to);
    let vs = s.v.slice(from, to);
    if (s.stale.slice(from, to).includes(true)) {
      const keep = s.stale.slice(from, to).map((x) => !x);
      ts = ts.filter((_, k) => keep[k]);
      vs = vs.filter((_, k) => keep[k]);
    }
    if (ts.length) out.push({ labels: s.labels, t: ts, v: vs });
  }
  return out;
}

/** Prometheus' extrapolatedRate (promql/functions.go, 2.42). */
function extrapolatedRate(t: number[], v: number[], rangeStart: number, rangeEnd: number, rangeSeconds: number, isCounter: boolean, isRate: boolean): number | null {
  if (t.length < 2) return null;
  let result = v.at(-1)! - v[0]!;
  if (isCounter) {
    let last = 0;
    for (const x of v) {
      if (x < last) result += last;
      last = x;
    }
  }
  let durationToStart = (t[0]! - rangeStart) / 1000;
  const durationToEnd = (rangeEnd - t.at(-1)!) / 1000;
  const sampledInterval = (t.at(-1)! - t[0]!) / 1000;
  const average = sampledInterval / (t.length - 1);
  if (isCounter && result > 0 && v[0]! >= 0) {
    const durationToZero = sampledInterval * (v[0]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = average * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : average / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : average / 2;
  // One factor, as Prometheus multiplies it in (the order of the operations shows in the last digits).
  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= rangeSeconds;
  return result * factor;
}

/** Type-7 quantile as Prometheus' `quantile` (promql/quantile.go). */
function quantileOf(q: number, values: number[]): number {
  if (!values.length || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const s = [...values].sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(s.length - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return s[lower]! * (1 - weight) + s[upper]! * weight;
}

/** Prometheus' bucketQuantile (promql/quantile.go, 2.42). */
export function bucketQuantile(q: number, input: { upper: number; count: number }[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...input].sort((a, b) => a.upper - b.upper);
  if (!sorted.length || sorted.at(-1)!.upper !== Infinity) return NaN;
  const buckets: { upper: number; count: number }[] = [];
  for (const b of sorted) {
    if (buckets.length && buckets.at(-1)!.upper === b.upper) buckets.at(-1)!.count += b.count;
    else buckets.push({ ...b });
  }
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets.at(-1)!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upper;
  if (b === 0 && buckets[0]!.upper <= 0) return buckets[0]!.upper;
  let start = 0;
  const end = buckets[b]!.upper;
  let count = buckets[b]!.count;
  if (b > 0) {
    start = buckets[b - 1]!.upper;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

function arith(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
    default:
      throw new PromQLError(`"${op}" is not an arithmetic operator`);
  }
}
function cmp(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      throw new PromQLError(`"${op}" is not a comparison`);
  }
}
const isComparison = (op: BinaryOp) => ['==', '!=', '>', '<', '>=', '<='].includes(op);

export function evaluate(expr: Expr, store: SeriesStore, t: number): Value {
  const scalarOf = (e: Expr): number => {
    const v = evaluate(e, store, t);
    if (v.type !== 'scalar') throw new PromQLError('expected a number');
    return v.value;
  };
  const vectorOf = (e: Expr): Sample[] => {
    const v = evaluate(e, store, t);
    if (v.type !== 'vector') throw new PromQLError('expected an instant vector');
    return v.samples;
  };
  switch (expr.kind) {
    case 'number':
      return { type: 'scalar', value: expr.value };
    case 'string':
      return { type: 'string', value: expr.value };
    case 'vector':
      return { type: 'vector', samples: instant(store, expr, t) };
    case 'matrix':
      return { type: 'matrix', series: range(store, expr.vector, expr.range, t) };
    case 'negate': {
      const v = evaluate(expr.expr, store, t);
      if (v.type === 'scalar') return { type: 'scalar', value: -v.value };
      if (v.type === 'vector') return { type: 'vector', samples: v.samples.map((s) => ({ labels: dropName(s.labels), value: -s.value })) };
      throw new PromQLError('unary minus needs a number or an instant vector');
    }
    case 'call':
      return call(expr.func, expr.args, store, t, scalarOf, vectorOf);
    case 'aggregate': {
      const groups = new Map<string, { labels: Labels; n: number; value: number }>();
      for (const s of vectorOf(expr.expr)) {
        const labels = expr.without ? without(s.labels, [...expr.grouping, '__name__']) : only(s.labels, expr.grouping);
        const key = labelsKey(labels);
        const g = groups.get(key);
        if (!g) {
          groups.set(key, { labels, n: 1, value: expr.op === 'count' ? 1 : s.value });
          continue;
        }
        g.n++;
        if (expr.op === 'sum') g.value += s.value;
        else if (expr.op === 'count') g.value++;
        else if (expr.op === 'avg') g.value += s.value / g.n - g.value / g.n;
        else if (expr.op === 'max' && (g.value < s.value || Number.isNaN(g.value))) g.value = s.value;
        else if (expr.op === 'min' && (g.value > s.value || Number.isNaN(g.value))) g.value = s.value;
      }
      return { type: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: g.value })) };
    }
    case 'binary':
      return binary(expr, evaluate(expr.lhs, store, t), evaluate(expr.rhs, store, t));
  }
}

function call(func: string, args: Expr[], store: SeriesStore, t: number, scalarOf: (e: Expr) => number, vectorOf: (e: Expr) => Sample[]): Value {
  const matrixArg = (i: number) => {
    const m = args[i] as Extract<Expr, { kind: 'matrix' }>;
    return { m, series: range(store, m.vector, m.range, t) };
  };
  const perSeries = (i: number, f: (ts: number[], vs: number[]) => number | null): Value => {
    const { series } = matrixArg(i);
    const samples: Sample[] = [];
    for (const s of series) {
      const value = f(s.t, s.v);
      if (value !== null) samples.push({ labels: dropName(s.labels), value });
    }
    return { type: 'vector', samples };
  };
  switch (func) {
    case 'rate':
    case 'increase':
    case 'delta': {
      const { m } = matrixArg(0);
      const end = t - m.vector.offset;
      return perSeries(0, (ts, vs) => extrapolatedRate(ts, vs, end - m.range, end, m.range / 1000, func !== 'delta', func === 'rate'));
    }
    case 'avg_over_time':
      return perSeries(0, (_, vs) => {
        let mean = 0;
        vs.forEach((x, i) => (mean += x / (i + 1) - mean / (i + 1)));
        return mean;
      });
    case 'sum_over_time':
      return perSeries(0, (_, vs) => vs.reduce((a, b) => a + b, 0));
    case 'min_over_time':
      return perSeries(0, (_, vs) => vs.reduce((a, b) => (b < a || Number.isNaN(a) ? b : a)));
    case 'max_over_time':
      return perSeries(0, (_, vs) => vs.reduce((a, b) => (b > a || Number.isNaN(a) ? b : a)));
    case 'count_over_time':
      return perSeries(0, (_, vs) => vs.length);
    case 'quantile_over_time': {
      const q = scalarOf(args[0]!);
      return perSeries(1, (_, vs) => quantileOf(q, vs));
    }
    case 'histogram_quantile': {
      const q = scalarOf(args[0]!);
      const groups = new Map<string, { labels: Labels; buckets: { upper: number; count: number }[] }>();
      for (const s of vectorOf(args[1]!)) {
        const le = s.labels.le;
        const upper = le === undefined ? NaN : le === '+Inf' ? Infinity : Number(le);
        if (Number.isNaN(upper)) continue;
        const labels = without(s.labels, ['le', '__name__']);
        const key = labelsKey(labels);
        if (!groups.has(key)) groups.set(key, { labels, buckets: [] });
        groups.get(key)!.buckets.push({ upper, count: s.value });
      }
      return { type: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets) })) };
    }
    case 'abs':
      return { type: 'vector', samples: vectorOf(args[0]!).map((s) => ({ labels: dropName(s.labels), value: Math.abs(s.value) })) };
    case 'clamp_min':
    case 'clamp_max': {
      const bound = scalarOf(args[1]!);
      return { type: 'vector', samples: vectorOf(args[0]!).map((s) => ({ labels: dropName(s.labels), value: func === 'clamp_min' ? Math.max(s.value, bound) : Math.min(s.value, bound) })) };
    }
    case 'absent': {
      if (vectorOf(args[0]!).length) return { type: 'vector', samples: [] };
      const a = args[0]!;
      const labels = a.kind === 'vector' ? Object.fromEntries(a.matchers.filter((m) => m.op === '=' && m.name !== '__name__').map((m) => [m.name, m.value])) : {};
      return { type: 'vector', samples: [{ labels, value: 1 }] };
    }
    case 'time':
      return { type: 'scalar', value: t / 1000 };
    case 'vector':
      return { type: 'vector', samples: [{ labels: {}, value: scalarOf(args[0]!) }] };
    default:
      throw new PromQLError(`the function ${func}() is not part of this lab's subset`);
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, l: Value, r: Value): Value {
  const { op } = e;
  if (l.type === 'scalar' && r.type === 'scalar') {
    if (isComparison(op)) {
      if (!e.bool) throw new PromQLError('comparisons between numbers must use the bool modifier');
      return { type: 'scalar', value: cmp(op, l.value, r.value) ? 1 : 0 };
    }
    return { type: 'scalar', value: arith(op, l.value, r.value) };
  }
  if (l.type === 'vector' && r.type === 'scalar') return { type: 'vector', samples: withScalar(op, e.bool, l.samples, r.value, false) };
  if (l.type === 'scalar' && r.type === 'vector') return { type: 'vector', samples: withScalar(op, e.bool, r.samples, l.value, true) };
  if (l.type !== 'vector' || r.type !== 'vector') throw new PromQLError(`"${op}" needs numbers or instant vectors`);
  const m = e.matching;
  const signature = (labels: Labels) => labelsKey(m?.on ? only(labels, m.labels) : without(labels, [...(m?.labels ?? []), '__name__']));
  if (op === 'and' || op === 'or' || op === 'unless') {
    const right = new Set(r.samples.map((s) => signature(s.labels)));
    if (op === 'and') return { type: 'vector', samples: l.samples.filter((s) => right.has(signature(s.labels))) };
    if (op === 'unless') return { type: 'vector', samples: l.samples.filter((s) => !right.has(signature(s.labels))) };
    const left = new Set(l.samples.map((s) => signature(s.labels)));
    return { type: 'vector', samples: [...l.samples, ...r.samples.filter((s) => !left.has(signature(s.labels)))] };
  }
  const rightBySig = new Map<string, Sample>();
  for (const s of r.samples) {
    const sig = signature(s.labels);
    if (rightBySig.has(sig)) throw new PromQLError('found duplicate series for the match group on the right-hand side of the operation: many-to-many matching is not allowed');
    rightBySig.set(sig, s);
  }
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const ls of l.samples) {
    const sig = signature(ls.labels);
    const rs = rightBySig.get(sig);
    if (!rs) continue;
    if (seen.has(sig)) throw new PromQLError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right is not part of this subset)');
    seen.add(sig);
    let labels: Labels = isComparison(op) && !e.bool ? ls.labels : dropName(ls.labels);
    if (m) labels = m.on ? only(labels, m.labels) : without(labels, m.labels);
    if (isComparison(op)) {
      const keep = cmp(op, ls.value, rs.value);
      if (e.bool) out.push({ labels, value: keep ? 1 : 0 });
      else if (keep) out.push({ labels, value: ls.value });
    } else out.push({ labels, value: arith(op, ls.value, rs.value) });
  }
  return { type: 'vector', samples: out };
}

function withScalar(op: BinaryOp, bool: boolean, samples: Sample[], scalar: number, scalarLeft: boolean): Sample[] {
  const out: Sample[] = [];
  for (const s of samples) {
    const [a, b] = scalarLeft ? [scalar, s.value] : [s.value, scalar];
    if (isComparison(op)) {
      const keep = cmp(op, a, b);
      if (bool) out.push({ labels: dropName(s.labels), value: keep ? 1 : 0 });
      else if (keep) out.push({ labels: s.labels, value: s.value });
    } else out.push({ labels: dropName(s.labels), value: arith(op, a, b) });
  }
  return out;
}

/** Parses and evaluates `query` at time t (ms). */
export function query(store: SeriesStore, text: string, t: number): Value {
  return evaluate(parsePromQL(text), store, t);
}
