/**
 * node:assert and node:assert/strict for the offline runtime: the assertions lab tests use, with Node 24's
 * AssertionError (its properties, and its messages for the common cases: `a !== b` for short values, a `+ actual
 * - expected` line diff with a caret for single lines, a line diff of the inspected values for objects).
 * `assert.ok(expression)` names the expression from the source line, as Node does.
 */
import type { Host } from '../host.ts';
import { inspect } from '../inspect.ts';
import { deepEqual } from './equal.ts';

const SHORT = 12;

export class AssertionError extends Error {
  generatedMessage: boolean;
  code = 'ERR_ASSERTION' as const;
  actual: unknown;
  expected: unknown;
  operator: string;
  diff?: string;

  constructor(options: { message?: string | Error; actual?: unknown; expected?: unknown; operator?: string; generated?: string; diff?: boolean }) {
    const custom = options.message;
    super(typeof custom === 'string' ? custom : (options.generated ?? 'Failed'));
    this.name = 'AssertionError';
    this.generatedMessage = custom === undefined;
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator ?? 'fail';
    if (options.diff !== false) this.diff = 'simple';
    Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true });
    // Node names the code in the stack's first line: "AssertionError [ERR_ASSERTION]: …"
    if (typeof this.stack === 'string') this.stack = this.stack.replace(/^AssertionError(?=:)/, 'AssertionError [ERR_ASSERTION]');
  }
}

const show = (value: unknown) => inspect(value, { compact: 0, depth: 1000, maxArrayLength: Infinity, maxStringLength: Infinity, sorted: true, breakLength: Infinity });

/** A diff of the lines of two inspected values: common lines "  ", actual "+ ", expected "- ". */
function lineDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) for (let j = m - 1; j >= 0; j -= 1) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i += 1;
      j += 1;
      continue;
    }
    const plus: string[] = [];
    const minus: string[] = [];
    while (i < n && (j >= m || a[i] !== b[j]) && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) plus.push(`+ ${a[i++]}`);
    while (j < m && (i >= n || a[i] !== b[j])) minus.push(`- ${b[j++]}`);
    out.push(...plus, ...minus);
  }
  return out;
}

function strictMessage(actual: unknown, expected: unknown, deep: boolean): string {
  const header = deep ? 'Expected values to be strictly deep-equal:' : 'Expected values to be strictly equal:';
  const a = show(actual).split('\n');
  const b = show(expected).split('\n');
  if (a.length === 1 && b.length === 1 && a[0] !== b[0]) {
    const objectLike = (v: unknown) => typeof v === 'object' && v !== null;
    if (!objectLike(actual) && !objectLike(expected) && a[0]!.length + b[0]!.length <= SHORT) return `${header}\n\n${a[0]} !== ${b[0]}\n`;
    let i = 0;
    while (i < a[0]!.length && a[0]![i] === b[0]![i]) i += 1;
    const caret = i > 2 ? `\n  ${' '.repeat(i)}^` : '';
    return `${header}\n+ actual - expected\n\n+ ${a[0]}\n- ${b[0]}${caret}\n`;
  }
  return `${header}\n+ actual - expected\n\n${lineDiff(a, b).join('\n')}\n`;
}

/** The source text of the call that threw, for assert.ok's message (null when it cannot be read). */
function callSource(host: Host, stack: string): string | null {
  const mapped = host.mapStack(stack);
  const m = /file:\/\/(\/[^\s):]+):(\d+):(\d+)/.exec(mapped.split('\n').slice(1).join('\n'));
  if (!m) return null;
  try {
    const line = host.fs.readText(decodeURI(m[1]!)).split('\n')[Number(m[2]) - 1];
    if (line === undefined) return null;
    // The frame points at the called name; the call starts with the object it belongs to (`assert.ok(`).
    let start = Number(m[3]) - 1;
    while (start > 0 && /[\w$.]/.test(line[start - 1]!)) start -= 1;
    const from = line.slice(start);
    let depth = 0;
    for (let i = 0; i < from.length; i += 1) {
      if (from[i] === '(') depth += 1;
      else if (from[i] === ')') {
        depth -= 1;
        if (depth === 0) return from.slice(0, i + 1);
      }
    }
    return null;
  } catch {
    return null;
  }
}

function isRegExp(v: unknown): v is RegExp {
  return Object.prototype.toString.call(v) === '[object RegExp]';
}

function makeAssert(host: Host, strict: boolean): Record<string, unknown> {
  const fail = (options: ConstructorParameters<typeof AssertionError>[0]): never => {
    if (options.message instanceof Error) throw options.message;
    throw new AssertionError(options);
  };

  const ok = (value: unknown, message?: string | Error) => {
    if (value) return;
    if (message !== undefined) fail({ message, actual: value, expected: true, operator: '==' });
    const source = callSource(host, new Error().stack ?? '');
    fail({
      actual: value,
      expected: true,
      operator: '==',
      generated: source ? `The expression evaluated to a falsy value:\n\n  ${source}\n` : 'No value argument passed to `assert.ok()`',
    });
  };

  const strictEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (Object.is(actual, expected)) return;
    fail({ message, actual, expected, operator: 'strictEqual', generated: strictMessage(actual, expected, false) });
  };
  const notStrictEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (!Object.is(actual, expected)) return;
    fail({ message, actual, expected, operator: 'notStrictEqual', generated: `Expected "actual" to be strictly unequal to: ${show(expected)}` });
  };
  const deepStrictEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (deepEqual(actual, expected, true)) return;
    fail({ message, actual, expected, operator: 'deepStrictEqual', generated: strictMessage(actual, expected, true) });
  };
  const notDeepStrictEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (!deepEqual(actual, expected, true)) return;
    fail({ message, actual, expected, operator: 'notDeepStrictEqual', generated: `Expected "actual" not to be strictly deep-equal to: ${show(expected)}` });
  };
  const looseEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) return;
    fail({ message, actual, expected, operator: '==', generated: `${show(actual)} == ${show(expected)}`, diff: false });
  };
  const notLooseEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (actual != expected) return;
    fail({ message, actual, expected, operator: '!=', generated: `${show(actual)} != ${show(expected)}`, diff: false });
  };
  const looseDeepEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (deepEqual(actual, expected, false)) return;
    fail({ message, actual, expected, operator: 'deepEqual', generated: `Expected values to be loosely deep-equal:\n\n${show(actual)}\n\nshould loosely deep-equal\n\n${show(expected)}`, diff: false });
  };
  const notLooseDeepEqual = (actual: unknown, expected: unknown, message?: string | Error) => {
    if (!deepEqual(actual, expected, false)) return;
    fail({ message, actual, expected, operator: 'notDeepEqual', generated: `"actual" deepEqual "expected"`, diff: false });
  };

  /** Whether a thrown value satisfies `expected` (a class, a RegExp, a validation function or an object). */
  const check = (thrown: unknown, expected: unknown, operator: string, message?: string | Error) => {
    if (expected === undefined) return;
    if (isRegExp(expected)) {
      const text = String(thrown);
      if (expected.test(text)) return;
      fail({ message, actual: thrown, expected, operator, generated: `The input did not match the regular expression ${String(expected)}. Input:\n\n${show(text)}\n` });
    }
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && thrown instanceof (expected as new () => unknown)) return;
      if (Error.isPrototypeOf(expected) || expected === Error) {
        fail({ message, actual: thrown, expected, operator, generated: `The error is expected to be an instance of "${(expected as { name: string }).name}". Received "${(thrown as Error)?.constructor?.name ?? typeof thrown}"\n\nError message:\n\n${(thrown as Error)?.message}` });
      }
      if ((expected as (e: unknown) => unknown)(thrown) === true) return;
      fail({ message, actual: thrown, expected, operator, generated: `The ${(expected as { name?: string }).name ? `"${(expected as { name: string }).name}" ` : ''}validation function is expected to return "true". Received ${show((expected as (e: unknown) => unknown)(thrown))}` });
    }
    if (typeof expected === 'object' && expected !== null) {
      for (const [key, want] of Object.entries(expected)) {
        const got = (thrown as Record<string, unknown>)?.[key];
        if (isRegExp(want) && typeof got === 'string' ? want.test(got) : deepEqual(got, want, true)) continue;
        fail({ message, actual: thrown, expected, operator, generated: `Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ ${key}: ${show(got)}\n- ${key}: ${show(want)}\n` });
      }
    }
  };

  const throws = (fn: () => unknown, expected?: unknown, message?: string | Error) => {
    if (typeof expected === 'string') [message, expected] = [expected, undefined];
    try {
      fn();
    } catch (error) {
      check(error, expected, 'throws', message);
      return;
    }
    fail({ message: message ?? 'Missing expected exception.', actual: undefined, expected, operator: 'throws' });
  };
  const doesNotThrow = (fn: () => unknown, message?: string | Error) => {
    try {
      fn();
    } catch (error) {
      fail({ message: typeof message === 'string' ? message : undefined, actual: error, operator: 'doesNotThrow', generated: `Got unwanted exception.\nActual message: "${(error as Error)?.message}"` });
    }
  };
  const rejects = async (promiseOrFn: Promise<unknown> | (() => Promise<unknown>), expected?: unknown, message?: string | Error) => {
    if (typeof expected === 'string') [message, expected] = [expected, undefined];
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (error) {
      check(error, expected, 'rejects', message);
      return;
    }
    fail({ message: message ?? 'Missing expected rejection.', actual: undefined, expected, operator: 'rejects' });
  };
  const doesNotReject = async (promiseOrFn: Promise<unknown> | (() => Promise<unknown>), message?: string | Error) => {
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (error) {
      fail({ message: typeof message === 'string' ? message : undefined, actual: error, operator: 'doesNotReject', generated: `Got unwanted rejection.\nActual message: "${(error as Error)?.message}"` });
    }
  };
  const match = (text: string, regexp: RegExp, message?: string | Error) => {
    if (typeof text === 'string' && regexp.test(text)) return;
    fail({ message, actual: text, expected: regexp, operator: 'match', generated: `The input did not match the regular expression ${String(regexp)}. Input:\n\n${show(text)}\n` });
  };
  const doesNotMatch = (text: string, regexp: RegExp, message?: string | Error) => {
    if (typeof text === 'string' && !regexp.test(text)) return;
    fail({ message, actual: text, expected: regexp, operator: 'doesNotMatch', generated: `The input was expected to not match the regular expression ${String(regexp)}. Input:\n\n${show(text)}\n` });
  };
  const failFn = (message?: string | Error) => fail({ message, operator: 'fail', generated: 'Failed' });
  const ifError = (value: unknown) => {
    if (value === null || value === undefined) return;
    if (value instanceof Error) throw value;
    fail({ actual: value, expected: null, operator: 'ifError', generated: `ifError got unwanted exception: ${show(value)}` });
  };

  const members = {
    ok,
    equal: strict ? strictEqual : looseEqual,
    notEqual: strict ? notStrictEqual : notLooseEqual,
    deepEqual: strict ? deepStrictEqual : looseDeepEqual,
    notDeepEqual: strict ? notDeepStrictEqual : notLooseDeepEqual,
    strictEqual,
    notStrictEqual,
    deepStrictEqual,
    notDeepStrictEqual,
    throws,
    doesNotThrow,
    rejects,
    doesNotReject,
    match,
    doesNotMatch,
    fail: failFn,
    ifError,
    AssertionError,
  };
  const assert = Object.assign((value: unknown, message?: string | Error) => ok(value, message), members);
  return assert as unknown as Record<string, unknown>;
}

export function assertModule(host: Host): Record<string, unknown> {
  const assert = makeAssert(host, false);
  const strict = makeAssert(host, true);
  Object.assign(assert, { strict });
  Object.assign(strict, { strict });
  return Object.assign(assert, { default: assert });
}

export function assertStrictModule(host: Host): Record<string, unknown> {
  const strict = makeAssert(host, true);
  Object.assign(strict, { strict });
  return Object.assign(strict, { default: strict });
}
