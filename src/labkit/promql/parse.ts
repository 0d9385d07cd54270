/**
 * PromQL parsed with the Prometheus project's own grammar (`@prometheus-io/lezer-promql`, the parser of Prometheus'
 * web UI) into a small expression tree for the evaluator (evaluate.ts). The subset: number and string literals,
 * vector and range selectors with label matchers and `offset`, unary minus, arithmetic, comparison (with `bool`) and
 * set operators with `on`/`ignoring`, the aggregations sum, avg, min, max, count (with `by`/`without`) and the
 * functions in FUNCTIONS. What the grammar accepts but the subset does not (subqueries, `@`, `group_left`, other
 * functions) is refused with a message that says so; a syntax error names its line and column.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}
export interface VectorSelector {
  kind: 'vector';
  matchers: Matcher[];
  /** Offset in milliseconds. */
  offset: number;
}
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless';
export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count';
export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | VectorSelector
  | { kind: 'matrix'; vector: VectorSelector; range: number }
  | { kind: 'call'; func: string; args: Expr[] }
  | { kind: 'aggregate'; op: AggregateOp; grouping: string[]; without: boolean; expr: Expr }
  | { kind: 'binary'; op: BinaryOp; lhs: Expr; rhs: Expr; bool: boolean; matching: { on: boolean; labels: string[] } | null }
  | { kind: 'negate'; expr: Expr };

/** The functions the evaluator knows, with their argument kinds ('scalar', 'vector', 'matrix'). */
export const FUNCTIONS: Record<string, readonly ('scalar' | 'vector' | 'matrix')[]> = {
  rate: ['matrix'],
  increase: ['matrix'],
  delta: ['matrix'],
  avg_over_time: ['matrix'],
  sum_over_time: ['matrix'],
  min_over_time: ['matrix'],
  max_over_time: ['matrix'],
  count_over_time: ['matrix'],
  quantile_over_time: ['scalar', 'matrix'],
  histogram_quantile: ['scalar', 'vector'],
  abs: ['vector'],
  clamp_min: ['vector', 'scalar'],
  clamp_max: ['vector', 'scalar'],
  absent: ['vector'],
  time: [],
  vector: ['scalar'],
};

export class PromQLError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromQLError';
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A Prometheus duration ("5m", "1h30m", "100ms") in milliseconds. */
export function parseDuration(text: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let used = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    used += m[0].length;
  }
  if (!text || used !== text.length) throw new PromQLError(`"${text}" is not a duration (use e.g. 30s, 5m, 1h30m)`);
  return total;
}

function where(src: string, pos: number): string {
  const before = src.slice(0, pos).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function unquote(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  return JSON.parse(raw.startsWith("'") ? `"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : raw) as string;
}

function parseNumber(text: string): number {
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (t === 'nan') return NaN;
  if (/^[0-9.]+(e[+-]?\d+)?$/.test(t) || /^0x[0-9a-f]+$/.test(t)) return Number(t);
  return parseDuration(text) / 1000;
}

export function parsePromQL(src: string): Expr {
  if (!src.trim()) throw new PromQLError('the expression is empty');
  const tree = parser.parse(src);
  let error: number | null = null;
  tree.iterate({
    enter: (n) => {
      if (error === null && n.type.isError) error = n.from;
    },
  });
  if (error !== null) {
    const at = error as number;
    const near = src.slice(at, at + 12).trim();
    throw new PromQLError(`syntax error at ${where(src, at)}${near ? ` near "${near}"` : ' (the expression ends too early)'}`);
  }
  const text = (n: SyntaxNode) => src.slice(n.from, n.to);
  const kids = (n: SyntaxNode) => {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const unsupported = (n: SyntaxNode, what: string): never => {
    throw new PromQLError(`${what} (at ${where(src, n.from)}) is valid PromQL but not part of this lab's subset`);
  };

  const selector = (n: SyntaxNode): VectorSelector => {
    const matchers: Matcher[] = [];
    for (const c of kids(n)) {
      if (c.name === 'Identifier') matchers.push({ name: '__name__', op: '=', value: text(c) });
      else if (c.name === 'LabelMatchers') {
        for (const m of kids(c)) {
          if (m.name === 'UnquotedLabelMatcher' || m.name === 'QuotedLabelMatcher') {
            const [name, op, value] = kids(m);
            matchers.push({ name: name!.name === 'QuotedLabelName' ? unquote(text(name!)) : text(name!), op: text(op!) as MatchOp, value: unquote(text(value!)) });
          } else if (m.name === 'QuotedLabelName') matchers.push({ name: '__name__', op: '=', value: unquote(text(m)) });
        }
      }
    }
    if (!matchers.some((m) => m.op === '=' ? m.value !== '' : m.op === '=~' ? !new RegExp(`^(?:${m.value})$`).test('') : false)) {
      throw new PromQLError(`the selector "${text(n)}" at ${where(src, n.from)} must have a metric name or a matcher that does not match the empty value`);
    }
    return { kind: 'vector', matchers, offset: 0 };
  };

  const walk = (n: SyntaxNode): Expr => {
    switch (n.name) {
      case 'PromQL':
      case 'ParenExpr':
        return walk(kids(n).find((c) => c.name !== '(' && c.name !== ')')!);
      case 'NumberDurationLiteral':
        return { kind: 'number', value: parseNumber(text(n)) };
      case 'StringLiteral':
        return { kind: 'string', value: unquote(text(n)) };
      case 'VectorSelector':
        return selector(n);
      case 'MatrixSelector': {
        const [v, d] = kids(n);
        return { kind: 'matrix', vector: selector(v!), range: parseDuration(text(d!)) };
      }
      case 'OffsetExpr': {
        const [inner, , duration] = kids(n);
        const offset = (text(n).slice(text(n).lastIndexOf('offset') + 6).trim().startsWith('-') ? -1 : 1) * parseDuration(text(duration!).replace(/^-/, ''));
        // The UI grammar hangs `offset` on a whole binary expression (a - b offset 1d); Prometheus' own parser gives
        // it to the selector just before it, and so does this: it goes down the right-hand side to that selector.
        const apply = (e: Expr): Expr => {
          if (e.kind === 'vector') return { ...e, offset };
          if (e.kind === 'matrix') return { ...e, vector: { ...e.vector, offset } };
          if (e.kind === 'binary') return { ...e, rhs: apply(e.rhs) };
          if (e.kind === 'negate') return { ...e, expr: apply(e.expr) };
          return unsupported(n, '`offset` on something other than a selector');
        };
        return apply(walk(inner!));
      }
      case 'UnaryExpr': {
        const [op, inner] = kids(n);
        const e = walk(inner!);
        return text(op!) === '-' ? { kind: 'negate', expr: e } : e;
      }
      case 'FunctionCall': {
        const [id, body] = kids(n);
        const func = text(id!);
        if (!(func in FUNCTIONS)) return unsupported(n, `the function ${func}()`);
        const args = kids(body!).map(walk);
        const want = FUNCTIONS[func]!;
        if (args.length !== want.length) throw new PromQLError(`${func}() at ${where(src, n.from)} takes ${want.length} argument${want.length === 1 ? '' : 's'}, got ${args.length}`);
        want.forEach((k, i) => {
          const a = args[i]!;
          const ok = k === 'matrix' ? a.kind === 'matrix' : k === 'scalar' ? a.kind === 'number' || (a.kind === 'negate' && a.expr.kind === 'number') || a.kind === 'call' && a.func === 'time' : a.kind !== 'matrix' && a.kind !== 'string';
          if (!ok) throw new PromQLError(`argument ${i + 1} of ${func}() at ${where(src, n.from)} must be ${k === 'matrix' ? 'a range vector such as x[5m]' : k === 'scalar' ? 'a number' : 'an instant vector'}`);
        });
        return { kind: 'call', func, args };
      }
      case 'AggregateExpr': {
        let op = '';
        let grouping: string[] = [];
        let without = false;
        let expr: Expr | null = null;
        for (const c of kids(n)) {
          if (c.name === 'AggregateOp') op = text(c);
          else if (c.name === 'AggregateModifier') {
            without = kids(c)[0]!.name === 'Without';
            grouping = kids(kids(c)[1]!).map(text);
          } else if (c.name === 'FunctionCallBody') {
            const args = kids(c);
            if (args.length !== 1) return unsupported(c, `${op} with a parameter`);
            expr = walk(args[0]!);
          }
        }
        if (!['sum', 'avg', 'min', 'max', 'count'].includes(op)) return unsupported(n, `the aggregation ${op}`);
        if (!expr || expr.kind === 'matrix') throw new PromQLError(`${op} at ${where(src, n.from)} needs an instant vector`);
        return { kind: 'aggregate', op: op as AggregateOp, grouping, without, expr };
      }
      case 'BinaryExpr': {
        const parts = kids(n);
        const lhs = walk(parts[0]!);
        const rhs = walk(parts.at(-1)!);
        const op = text(parts[1]!) as BinaryOp;
        if (op === ('atan2' as BinaryOp)) return unsupported(parts[1]!, 'atan2');
        let bool = false;
        let matching: { on: boolean; labels: string[] } | null = null;
        for (const c of parts.slice(2, -1)) {
          if (c.name === 'BoolModifier') bool = true;
          if (c.name === 'MatchingModifierClause') {
            const mk = kids(c);
            if (mk.some((k) => k.name === 'GroupLeft' || k.name === 'GroupRight')) return unsupported(c, 'group_left/group_right');
            matching = { on: mk[0]!.name === 'On', labels: kids(mk[1]!).map(text) };
          }
        }
        for (const side of [lhs, rhs]) if (side.kind === 'matrix' || side.kind === 'string') throw new PromQLError(`"${op}" at ${where(src, parts[1]!.from)} needs numbers or instant vectors on both sides`);
        if (bool && !['==', '!=', '>', '<', '>=', '<='].includes(op)) throw new PromQLError(`"bool" at ${where(src, parts[1]!.from)} only goes with a comparison`);
        if (['and', 'or', 'unless'].includes(op) && (lhs.kind === 'number' || rhs.kind === 'number')) throw new PromQLError(`"${op}" at ${where(src, parts[1]!.from)} needs instant vectors on both sides`);
        return { kind: 'binary', op, lhs, rhs, bool, matching };
      }
      case 'SubqueryExpr':
        return unsupported(n, 'a subquery');
      case 'StepInvariantExpr':
        return unsupported(n, 'the @ modifier');
      default:
        return unsupported(n, `"${text(n)}"`);
    }
  };
  return walk(tree.topNode);
}
