/**
 * Rule unit tests in the format of `promtool test rules` (Prometheus 2.42): input series in the expanding notation
 * ('a+bxn' gives n + 1 values a, a+b, …, a+n·b; 'axn' repeats a n + 1 times; '_' is a missing sample and '_xn' n of
 * them; 'stale' a staleness marker), written at 0, interval, 2·interval, …; the rule groups evaluated every
 * evaluation_interval from time 0; at each eval_time the firing alerts of alertname compared with exp_alerts (labels
 * with alertname added, and annotations) and promql_expr_test results compared with exp_samples, both as sets.
 * `rule_files` is not read: the tests run against the rules given beside them.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { SeriesStore, labelsKey, evaluate, type Labels } from './evaluate.ts';
import { parseDuration, parsePromQL, PromQLError } from './parse.ts';
import { readYaml, RuleEvaluator, RuleFileError, type RuleGroup } from './rules.ts';

export interface AlertCheck {
  kind: 'alert';
  evalTime: number;
  alertname: string;
  expected: { labels: Labels; annotations: Record<string, string> }[];
  got: { labels: Labels; annotations: Record<string, string> }[];
  passed: boolean;
  line: number;
}
export interface ExprCheck {
  kind: 'expr';
  evalTime: number;
  expr: string;
  expected: { labels: Labels; value: number }[];
  got: { labels: Labels; value: number }[];
  passed: boolean;
  line: number;
}
export type Check = AlertCheck | ExprCheck;
export interface TestResult {
  name: string;
  checks: Check[];
  passed: boolean;
}

interface SeriesInput {
  labels: Labels;
  values: (number | null | 'stale')[];
}
interface TestCase {
  name: string;
  interval: number;
  series: SeriesInput[];
  alerts: { evalTime: number; alertname: string; expected: AlertCheck['expected']; line: number }[];
  exprs: { evalTime: number; expr: string; expected: ExprCheck['expected']; line: number }[];
}
export interface TestFile {
  evaluationInterval: number;
  tests: TestCase[];
}

/** Expands promtool's value notation into values (null: missing; 'stale': a staleness marker). */
export function expandValues(text: string): (number | null | 'stale')[] {
  const out: (number | null | 'stale')[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    if (token === '_') out.push(null);
    else if (token === 'stale') out.push('stale');
    else if (/^_x\d+$/.test(token)) for (let i = 0; i < Number(token.slice(2)); i++) out.push(null);
    else {
      const m = /^([-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|Inf|NaN))(?:([-+])(\d+\.?\d*(?:e[-+]?\d+)?))?x(\d+)$/i.exec(token);
      if (m) {
        const start = Number(m[1]!.replace(/inf/i, 'Infinity'));
        const step = m[2] ? (m[2] === '-' ? -1 : 1) * Number(m[3]) : 0;
        for (let i = 0; i <= Number(m[4]); i++) out.push(start + i * step);
      } else {
        const v = Number(token.replace(/^([-+]?)inf$/i, '$1Infinity'));
        if (Number.isNaN(v) && !/^nan$/i.test(token)) throw new RuleFileError(`"${token}" is not a value, a blank (_), "stale" or a sequence such as 1+2x10`);
        out.push(v);
      }
    }
  }
  return out;
}

/** Labels of a series description such as 'metric{a="b"}'. */
export function seriesLabels(text: string): Labels {
  // A description may have no metric name ({job="a"}, or {} for a number): parse it under a placeholder name.
  const nameless = text.trim().startsWith('{');
  const e = parsePromQL(nameless ? `series_placeholder${text.trim()}` : text);
  if (e.kind !== 'vector' || e.matchers.some((m) => m.op !== '=')) throw new RuleFileError(`"${text}" is not a series description such as metric{label="value"}`);
  return Object.fromEntries(e.matchers.filter((m) => !(nameless && m.name === '__name__')).map((m) => [m.name, m.value]));
}

function durationField(node: YamlNode | undefined, where: string, line: (n: YamlNode | null | undefined) => number, fallback?: number): number {
  if (!node) {
    if (fallback !== undefined) return fallback;
    throw new RuleFileError(`${where} is missing`);
  }
  try {
    return parseDuration(String(isScalar(node) ? node.value : ''));
  } catch (error) {
    throw new RuleFileError(`${where} (line ${line(node)}): ${(error as Error).message}`);
  }
}

const get = (map: YAMLMap, key: string) => map.get(key, true) as YamlNode | undefined;
const strings = (node: YamlNode | undefined): Record<string, string> => (isMap(node) ? Object.fromEntries(node.items.map((i) => [String((i.key as { value: unknown }).value), String((i.value as { value: unknown } | null)?.value ?? '')])) : {});

export function parseTests(text: string): TestFile {
  const { root, line } = readYaml(text, 'test file');
  if (!root || !isMap(root)) throw new RuleFileError('test file: line 1: expected a map with a "tests" list');
  const evaluationInterval = durationField(get(root, 'evaluation_interval'), 'evaluation_interval', line, 60_000);
  const tests = get(root, 'tests');
  if (!isSeq(tests) || !tests.items.length) throw new RuleFileError(`test file (line ${line(root)}): "tests" must be a list with at least one test`);
  return {
    evaluationInterval,
    tests: tests.items.map((t, ti) => {
      const where = `tests[${ti}]`;
      if (!isMap(t)) throw new RuleFileError(`${where} (line ${line(t as YamlNode)}) must be a map`);
      const nameNode = get(t, 'name');
      const series = get(t, 'input_series');
      const alerts = get(t, 'alert_rule_test');
      const exprs = get(t, 'promql_expr_test');
      return {
        name: isScalar(nameNode) ? String(nameNode.value) : `test ${ti + 1}`,
        interval: durationField(get(t, 'interval'), `${where}.interval`, line, evaluationInterval),
        series: (isSeq(series) ? series.items : []).map((s, si) => {
          const w = `${where}.input_series[${si}]`;
          if (!isMap(s)) throw new RuleFileError(`${w} (line ${line(s as YamlNode)}) must be a map with "series" and "values"`);
          const desc = get(s, 'series');
          const values = get(s, 'values');
          try {
            return { labels: seriesLabels(String(isScalar(desc) ? desc.value : '')), values: expandValues(String(isScalar(values) ? values.value : '')) };
          } catch (error) {
            throw new RuleFileError(`${w} (line ${line(s)}): ${(error as Error).message}`);
          }
        }),
        alerts: (isSeq(alerts) ? alerts.items : []).map((a, ai) => {
          const w = `${where}.alert_rule_test[${ai}]`;
          if (!isMap(a)) throw new RuleFileError(`${w} (line ${line(a as YamlNode)}) must be a map`);
          const name = get(a, 'alertname');
          if (!isScalar(name)) throw new RuleFileError(`${w} (line ${line(a)}): "alertname" is missing`);
          const exp = get(a, 'exp_alerts');
          return {
            evalTime: durationField(get(a, 'eval_time'), `${w}.eval_time`, line),
            alertname: String(name.value),
            expected: (isSeq(exp) ? exp.items : []).map((x) => ({ labels: { ...strings(get(x as YAMLMap, 'exp_labels')), alertname: String(name.value) }, annotations: strings(get(x as YAMLMap, 'exp_annotations')) })),
            line: line(a),
          };
        }),
        exprs: (isSeq(exprs) ? exprs.items : []).map((e, ei) => {
          const w = `${where}.promql_expr_test[${ei}]`;
          if (!isMap(e)) throw new RuleFileError(`${w} (line ${line(e as YamlNode)}) must be a map`);
          const expr = get(e, 'expr');
          if (!isScalar(expr)) throw new RuleFileError(`${w} (line ${line(e)}): "expr" is missing`);
          const exp = get(e, 'exp_samples');
          return {
            evalTime: durationField(get(e, 'eval_time'), `${w}.eval_time`, line),
            expr: String(expr.value),
            expected: (isSeq(exp) ? exp.items : []).map((x) => {
              const labels = get(x as YAMLMap, 'labels');
              const value = get(x as YAMLMap, 'value');
              return { labels: isScalar(labels) && String(labels.value) ? seriesLabels(String(labels.value)) : {}, value: Number(isScalar(value) ? value.value : NaN) };
            }),
            line: line(e),
          };
        }),
      };
    }),
  };
}

const sameSet = <T>(a: T[], b: T[], key: (x: T) => string) => {
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
};
const closeEnough = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

/** Runs every test of the file against the rule groups. */
export function runTests(groups: RuleGroup[], file: TestFile): TestResult[] {
  return file.tests.map((tc) => {
    const store = new SeriesStore();
    for (const s of tc.series) s.values.forEach((v, i) => v !== null && store.add(s.labels, i * tc.interval, v === 'stale' ? NaN : v, v === 'stale'));
    const rules = new RuleEvaluator(groups, store);
    const checks: Check[] = [];
    const last = Math.max(0, ...tc.alerts.map((a) => a.evalTime), ...tc.exprs.map((e) => e.evalTime));
    const pendingAlerts = [...tc.alerts].sort((a, b) => a.evalTime - b.evalTime);
    for (let ts = 0; ts <= last; ts += file.evaluationInterval) {
      rules.evaluate(ts);
      while (pendingAlerts.length && pendingAlerts[0]!.evalTime <= ts) {
        const a = pendingAlerts.shift()!;
        const got = rules.alerts().filter((x) => x.state === 'firing' && x.rule === a.alertname).map((x) => ({ labels: x.labels, annotations: x.annotations }));
        const key = (x: { labels: Labels; annotations: Record<string, string> }) => `${labelsKey(x.labels)}|${labelsKey(x.annotations)}`;
        checks.push({ kind: 'alert', evalTime: a.evalTime, alertname: a.alertname, expected: a.expected, got, passed: sameSet(a.expected, got, key), line: a.line });
      }
    }
    for (const e of tc.exprs) {
      let got: { labels: Labels; value: number }[];
      try {
        const v = evaluate(parsePromQL(e.expr), store, e.evalTime);
        got = v.type === 'vector' ? v.samples.map((s) => ({ labels: s.labels, value: s.value })) : v.type === 'scalar' ? [{ labels: {}, value: v.value }] : [];
      } catch (error) {
        if (error instanceof PromQLError) throw new RuleFileError(`promql_expr_test (line ${e.line}): ${error.message}`);
        throw error;
      }
      const byLabels = new Map(got.map((g) => [labelsKey(g.labels), g.value]));
      const passed = got.length === e.expected.length && e.expected.every((x) => byLabels.has(labelsKey(x.labels)) && closeEnough(byLabels.get(labelsKey(x.labels))!, x.value));
      checks.push({ kind: 'expr', evalTime: e.evalTime, expr: e.expr, expected: e.expected, got, passed, line: e.line });
    }
    return { name: tc.name, checks, passed: checks.every((c) => c.passed) };
  });
}
