/**
 * Prometheus rule files (YAML) and the alerting state machine of Prometheus 2.42 (rules/alerting.go): each evaluation
 * runs the rule's expression; a new series becomes a pending alert (active since then), a pending alert fires once
 * it has been active for `for`, an alert whose series is gone is dropped when pending and resolved when firing,
 * unless `keep_firing_for` keeps it firing for that long after the first evaluation that missed it. Recording rules
 * write their result into the store at the evaluation time, where later rules of the group see it.
 *
 * Templates in labels and annotations: `{{ $labels.name }}`, `{{ $value }}`, `{{ $value | humanize }}` and
 * `{{ printf "%.2f" $value }}` (a subset of Go templates; anything else is refused with the line it is on).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { evaluate, labelsKey, type Labels, type SeriesStore } from './evaluate.ts';
import { parseDuration, parsePromQL, PromQLError, type Expr } from './parse.ts';

export interface AlertingRule {
  kind: 'alert';
  name: string;
  expr: Expr;
  exprText: string;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  line: number;
}
export interface RecordingRule {
  kind: 'record';
  name: string;
  expr: Expr;
  exprText: string;
  labels: Record<string, string>;
  line: number;
}
export type Rule = AlertingRule | RecordingRule;
export interface RuleGroup {
  name: string;
  intervalMs: number | null;
  rules: Rule[];
}

export class RuleFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleFileError';
  }
}

/** Reads YAML into a document, turning YAML errors into messages with a line. */
export function readYaml(text: string, what: string): { root: YamlNode | null; line: (node: YamlNode | null | undefined) => number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new RuleFileError(`${what}: line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  return { root: doc.contents as YamlNode | null, line: (node) => (node?.range ? lines.linePos(node.range[0]).line : 0) };
}

function stringMap(node: YamlNode | null | undefined, where: string, line: (n: YamlNode | null | undefined) => number): Record<string, string> {
  if (!node) return {};
  if (!isMap(node)) throw new RuleFileError(`${where} (line ${line(node)}) must be a map of names to strings`);
  const out: Record<string, string> = {};
  for (const item of node.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!isScalar(item.value)) throw new RuleFileError(`${where}.${key} (line ${line(item.value as YamlNode)}) must be a string`);
    out[key] = String(item.value.value);
  }
  return out;
}

const get = (map: YAMLMap, key: string) => map.get(key, true) as YamlNode | undefined;

export function parseRules(text: string): RuleGroup[] {
  const { root, line } = readYaml(text, 'rule file');
  if (!root || !isMap(root)) throw new RuleFileError('rule file: line 1: expected a map with a "groups" list');
  const groups = get(root, 'groups');
  if (!isSeq(groups)) throw new RuleFileError(`rule file: line ${line(root)}: "groups" must be a list`);
  const names = new Set<string>();
  return groups.items.map((g, gi) => {
    if (!isMap(g)) throw new RuleFileError(`groups[${gi}] (line ${line(g as YamlNode)}) must be a map`);
    const name = get(g, 'name');
    if (!isScalar(name) || !String(name.value)) throw new RuleFileError(`groups[${gi}] (line ${line(g)}): a group needs a name`);
    if (names.has(String(name.value))) throw new RuleFileError(`groups[${gi}] (line ${line(name)}): the group name "${String(name.value)}" is used twice`);
    names.add(String(name.value));
    const interval = get(g, 'interval');
    const rules = get(g, 'rules');
    if (!isSeq(rules)) throw new RuleFileError(`group "${String(name.value)}" (line ${line(g)}): "rules" must be a list`);
    return {
      name: String(name.value),
      intervalMs: isScalar(interval) ? durationAt(String(interval.value), `group "${String(name.value)}".interval`, line(interval)) : null,
      rules: rules.items.map((r, ri) => parseRule(r as YamlNode, `group "${String(name.value)}", rule ${ri + 1}`, line)),
    };
  });
}

function durationAt(text: string, where: string, lineNo: number): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new RuleFileError(`${where} (line ${lineNo}): ${(error as Error).message}`);
  }
}

const KNOWN = new Set(['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

function parseRule(node: YamlNode, where: string, line: (n: YamlNode | null | undefined) => number): Rule {
  if (!isMap(node)) throw new RuleFileError(`${where} (line ${line(node)}) must be a map`);
  for (const item of node.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!KNOWN.has(key)) throw new RuleFileError(`${where} (line ${line(item.key as YamlNode)}): unknown field "${key}"`);
  }
  const alert = get(node, 'alert');
  const record = get(node, 'record');
  const exprNode = get(node, 'expr');
  if (!alert === !record) throw new RuleFileError(`${where} (line ${line(node)}): a rule has either "alert" or "record"`);
  if (!isScalar(exprNode) || !String(exprNode.value).trim()) throw new RuleFileError(`${where} (line ${line(node)}): "expr" is missing`);
  const exprText = String(exprNode.value);
  let expr: Expr;
  try {
    expr = parsePromQL(exprText);
  } catch (error) {
    throw new RuleFileError(`${where}, expr (line ${line(exprNode)}): ${(error as Error).message}`);
  }
  const labels = stringMap(get(node, 'labels'), `${where}.labels`, line);
  if (record) {
    const name = String((record as { value?: unknown }).value ?? '');
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new RuleFileError(`${where} (line ${line(record)}): "${name}" is not a valid metric name`);
    for (const f of ['for', 'keep_firing_for', 'annotations']) if (get(node, f)) throw new RuleFileError(`${where} (line ${line(get(node, f))}): a recording rule has no "${f}"`);
    return { kind: 'record', name, expr, exprText, labels, line: line(node) };
  }
  const name = String((alert as { value?: unknown }).value ?? '');
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new RuleFileError(`${where} (line ${line(alert)}): "${name}" is not a valid alert name`);
  const forNode = get(node, 'for');
  const kffNode = get(node, 'keep_firing_for');
  const annotations = stringMap(get(node, 'annotations'), `${where}.annotations`, line);
  for (const [k, v] of Object.entries({ ...labels, ...annotations })) checkTemplate(v, `${where}: "${k}"`);
  return {
    kind: 'alert',
    name,
    expr,
    exprText,
    forMs: isScalar(forNode) ? durationAt(String(forNode.value), `${where}.for`, line(forNode)) : 0,
    keepFiringForMs: isScalar(kffNode) ? durationAt(String(kffNode.value), `${where}.keep_firing_for`, line(kffNode)) : 0,
    labels,
    annotations,
    line: line(node),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Templates

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

function checkTemplate(text: string, where: string): void {
  for (const m of text.matchAll(ACTION)) if (!templateAction(m[1]!)) throw new RuleFileError(`${where}: the template {{ ${m[1]} }} is not supported here (use $labels.name, $value, $value | humanize or printf "%.2f" $value)`);
}

function templateAction(action: string): ((labels: Labels, value: number) => string) | null {
  let m = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(action);
  if (m) return (l) => l[m![1]!] ?? '<no value>';
  if (action === '$value') return (_, v) => formatGo(v, -1);
  if (/^\$value\s*\|\s*humanize$/.test(action) || /^humanize\s+\$value$/.test(action)) return (_, v) => humanize(v);
  m = /^printf\s+"%\.(\d+)f"\s+\$value$/.exec(action);
  if (m) return (_, v) => v.toFixed(Number(m![1]));
  return null;
}

export function expandTemplate(text: string, labels: Labels, value: number): string {
  return text.replace(ACTION, (_, action: string) => templateAction(action)!(labels, value));
}

/** Go's %v (prec −1: shortest) and %.Ng for a float64. */
export function formatGo(v: number, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const digits = prec < 0 ? v.toExponential() : v.toExponential(Math.max(0, prec - 1));
  const [mant, expText] = digits.split('e');
  const exp = Number(expText);
  const eprec = prec < 0 ? 6 : prec;
  const trimmed = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= eprec) return `${trimmed(mant!)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trimmed(prec < 0 ? String(v) : Number(`${mant}e${exp}`).toFixed(Math.max(0, prec - 1 - exp)));
}

/** Prometheus' `humanize` template function (template/template.go). */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatGo(v, 4);
  let x = v;
  let prefix = '';
  if (Math.abs(x) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(x) < 1000) break;
      prefix = p;
      x /= 1000;
    }
  } else {
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(x) >= 1) break;
      prefix = p;
      x *= 1000;
    }
  }
  return `${formatGo(x, 4)}${prefix}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export type AlertState = 'pending' | 'firing' | 'inactive';
export interface Alert {
  rule: string;
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  activeAt: number;
  value: number;
  firedAt?: number;
  resolvedAt?: number;
  keepFiringSince?: number;
}

const RESOLVED_RETENTION_MS = 15 * 60_000;

/** The state of every alerting rule of a set of groups, advanced one evaluation at a time. */
export class RuleEvaluator {
  private active = new Map<AlertingRule, Map<string, Alert>>();
  readonly groups: RuleGroup[];
  private readonly store: SeriesStore;

  constructor(groups: RuleGroup[], store: SeriesStore) {
    this.groups = groups;
    this.store = store;
  }

  /** Evaluates every group at time ts (ms), in order. */
  evaluate(ts: number): void {
    for (const g of this.groups) {
      for (const rule of g.rules) {
        const v = evaluate(rule.expr, this.store, ts);
        if (v.type !== 'vector') throw new PromQLError(`the rule "${rule.name}" (line ${rule.line}) gives ${v.type === 'scalar' ? 'a number' : `a ${v.type}`}, not an instant vector`);
        if (rule.kind === 'record') {
          for (const s of v.samples) this.store.add({ ...s.labels, ...rule.labels, __name__: rule.name }, ts, s.value);
          continue;
        }
        this.step(rule, v.samples, ts);
      }
    }
  }

  private step(rule: AlertingRule, samples: { labels: Labels; value: number }[], ts: number): void {
    let active = this.active.get(rule);
    if (!active) this.active.set(rule, (active = new Map()));
    const seen = new Set<string>();
    for (const s of samples) {
      const base = Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== '__name__'));
      const extra = Object.fromEntries(Object.entries(rule.labels).map(([k, t]) => [k, expandTemplate(t, base, s.value)]));
      const labels = { ...base, ...extra, alertname: rule.name };
      const key = labelsKey(labels);
      if (seen.has(key)) throw new PromQLError(`the alert "${rule.name}" gives two series with the same labels after its labels are applied`);
      seen.add(key);
      const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, t]) => [k, expandTemplate(t, base, s.value)]));
      const existing = active.get(key);
      if (existing && existing.state !== 'inactive') {
        existing.value = s.value;
        existing.annotations = annotations;
        continue;
      }
      active.set(key, { rule: rule.name, labels, annotations, state: 'pending', activeAt: ts, value: s.value });
    }
    for (const [key, a] of active) {
      if (!seen.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && rule.keepFiringForMs > 0) {
          a.keepFiringSince ??= ts;
          if (ts - a.keepFiringSince < rule.keepFiringForMs) keepFiring = true;
        }
        if (!keepFiring) {
          if (a.state === 'pending' || (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) active.delete(key);
          if (a.state !== 'inactive') {
            a.state = 'inactive';
            a.resolvedAt = ts;
          }
          continue;
        }
      } else delete a.keepFiringSince;
      if (a.state === 'pending' && ts - a.activeAt >= rule.forMs) {
        a.state = 'firing';
        a.firedAt = ts;
      }
    }
  }

  /** Every alert the rules hold now (pending, firing, and resolved ones kept for 15 minutes). */
  alerts(): Alert[] {
    return [...this.active.values()].flatMap((m) => [...m.values()]).map((a) => ({ ...a }));
  }
}
