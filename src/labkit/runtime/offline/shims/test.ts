/**
 * node:test for the offline runtime: `test`/`it`, `describe`/`suite`, `skip`/`todo` (as functions and options),
 * subtests (`t.test`), the hooks `before`, `after`, `beforeEach`, `afterEach`, and Node 24's default reporter
 * (`spec`): one line per test with its duration, `▶` for suites and tests with subtests, the summary (`ℹ tests …`)
 * and the failing tests again with their location and error. Like `node file.test.mjs`, the tests run once the
 * file has loaded, and the program exits with code 1 when one failed. Colours only on a terminal, as Node decides.
 */
import type { Host } from '../host.ts';
import { inspect } from '../inspect.ts';

type Fn = (t: TestContext) => unknown;
type HookFn = () => unknown;

interface Options {
  skip?: boolean | string;
  todo?: boolean | string;
  only?: boolean;
  timeout?: number;
}

interface Node {
  name: string;
  kind: 'test' | 'suite';
  fn?: Fn | (() => unknown);
  options: Options;
  children: Node[];
  location: string | null;
  hooks: { before: HookFn[]; after: HookFn[]; beforeEach: HookFn[]; afterEach: HookFn[] };
  parent: Node | null;
  // results
  passed?: boolean;
  error?: unknown;
  durationMs?: number;
}

/** What a test function receives (its class name shows in stack frames, as in Node: `TestContext.<anonymous>`). */
class TestContext {
  name: string;
  test: (...args: unknown[]) => Promise<void>;
  diagnostic: (message: string) => void;
  skip: (message?: string) => void;
  todo: (message?: string) => void;
  constructor(members: Omit<TestContext, never>) {
    this.name = members.name;
    this.test = members.test;
    this.diagnostic = members.diagnostic;
    this.skip = members.skip;
    this.todo = members.todo;
  }
}

const SYMBOLS = { pass: '✔', fail: '✖', skip: '﹣', suite: '▶', info: 'ℹ' };

function parseArgs(args: unknown[]): { name: string; options: Options; fn?: Fn } {
  let name = '<anonymous>';
  let options: Options = {};
  let fn: Fn | undefined;
  for (const arg of args) {
    if (typeof arg === 'string') name = arg;
    else if (typeof arg === 'function') fn = arg as Fn;
    else if (arg && typeof arg === 'object') options = arg as Options;
  }
  if (name === '<anonymous>' && fn?.name) name = fn.name;
  return { name, options, fn };
}

const emptyHooks = () => ({ before: [], after: [], beforeEach: [], afterEach: [] });

export function testModule(host: Host): Record<string, unknown> {
  const root: Node = { name: '<root>', kind: 'suite', options: {}, children: [], location: null, hooks: emptyHooks(), parent: null };
  let current = root;
  let scheduled = false;
  const t0 = performance.now();
  const env = host.process.env as Record<string, string | undefined>;
  const colors = Boolean((host.process.stdout as { isTTY?: boolean }).isTTY) && !env.NO_COLOR && env.FORCE_COLOR !== '0' && env.NODE_DISABLE_COLORS === undefined;
  const paint = (code: number, text: string) => (colors ? `\x1b[${code}m${text}\x1b[39m` : text);
  const cwd = host.cwd();

  /** Where a test() call is, relative to the working folder: `test/data.test.mjs:4:1`. */
  const location = (): string | null => {
    const mapped = host.mapStack(new Error().stack ?? '');
    const m = /file:\/\/(\/[^\s):]+):(\d+):(\d+)/.exec(mapped.split('\n').slice(1).join('\n'));
    if (!m) return null;
    const path = decodeURI(m[1]!);
    return `${path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path}:${m[2]}:${m[3]}`;
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    host.track(new Promise<void>((resolve) => host.setImmediate(() => void runAll().then(resolve, resolve), [])));
  };

  const register = (kind: Node['kind'], args: unknown[], extra: Options = {}): Node => {
    const { name, options, fn } = parseArgs(args);
    const node: Node = { name, kind, fn, options: { ...options, ...extra }, children: [], location: location(), hooks: emptyHooks(), parent: current };
    current.children.push(node);
    if (kind === 'suite' && fn && !node.options.skip && !node.options.todo) {
      const previous = current;
      current = node;
      try {
        (fn as () => unknown)();
      } catch (error) {
        node.error = error;
      } finally {
        current = previous;
      }
    }
    schedule();
    return node;
  };

  const results = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const failures: Node[] = [];
  const out = (text: string) => host.write(text);

  const line = (node: Node, depth: number, symbol: string, suffix = '') => {
    const indent = '  '.repeat(depth);
    const ms = node.durationMs !== undefined ? ` (${node.durationMs.toFixed(6).replace(/\.?0+$/, '') || '0'}ms)` : '';
    const color = symbol === SYMBOLS.pass ? 32 : symbol === SYMBOLS.fail ? 31 : 90;
    out(`${indent}${paint(color, `${symbol} ${node.name}${ms}${suffix}`)}\n`);
  };

  const directive = (node: Node) => {
    if (node.options.skip) return ` # ${typeof node.options.skip === 'string' ? node.options.skip : 'SKIP'}`;
    if (node.options.todo) return ` # ${typeof node.options.todo === 'string' ? node.options.todo : 'TODO'}`;
    return '';
  };

  const runHooks = async (hooks: HookFn[]) => {
    for (const hook of hooks) await hook();
  };
  const eachHooks = (node: Node, which: 'beforeEach' | 'afterEach'): HookFn[] => {
    const chain: HookFn[][] = [];
    for (let p = node.parent; p; p = p.parent) chain.push(p.hooks[which]);
    return (which === 'beforeEach' ? chain.reverse() : chain).flat();
  };

  const runNode = async (node: Node, depth: number): Promise<void> => {
    const start = performance.now();
    if (node.kind === 'suite') {
      results.suites += 1;
      out(`${'  '.repeat(depth)}${SYMBOLS.suite} ${node.name}\n`);
      if (!node.error) {
        try {
          await runHooks(node.hooks.before);
          for (const child of node.children) await runNode(child, depth + 1);
          await runHooks(node.hooks.after);
        } catch (error) {
          node.error = error;
        }
      }
      node.durationMs = performance.now() - start;
      const failed = node.error !== undefined || node.children.some((c) => c.passed === false);
      node.passed = !failed;
      if (node.error !== undefined) failures.push(node);
      line(node, depth, failed ? SYMBOLS.fail : SYMBOLS.pass);
      return;
    }
    results.tests += 1;
    if (node.options.skip) {
      node.durationMs = performance.now() - start;
      results.skipped += 1;
      node.passed = true;
      line(node, depth, SYMBOLS.skip, directive(node));
      return;
    }
    const subtests: Node[] = [];
    let headerShown = false;
    const context = new TestContext({
      name: node.name,
      test: async (...args: unknown[]) => {
        if (!headerShown) {
          headerShown = true;
          out(`${'  '.repeat(depth)}${SYMBOLS.suite} ${node.name}\n`);
        }
        const { name, options, fn } = parseArgs(args);
        const child: Node = { name, kind: 'test', fn, options, children: [], location: location(), hooks: emptyHooks(), parent: node };
        subtests.push(child);
        await runNode(child, depth + 1);
      },
      diagnostic: (message: string) => out(`${'  '.repeat(depth + 1)}${SYMBOLS.info} ${message}\n`),
      skip: (message?: string) => void (node.options.skip = message ?? true),
      todo: (message?: string) => void (node.options.todo = message ?? true),
    });
    try {
      await runHooks(eachHooks(node, 'beforeEach'));
      if (node.fn) await (node.fn as Fn).call(context, context);
      await runHooks(eachHooks(node, 'afterEach'));
    } catch (error) {
      node.error = error;
    }
    node.durationMs = performance.now() - start;
    const failedSub = subtests.some((s) => s.passed === false);
    if (node.error === undefined && failedSub) node.error = new Error(`${subtests.filter((s) => s.passed === false).length} subtest${subtests.filter((s) => s.passed === false).length === 1 ? '' : 's'} failed`);
    if (node.options.todo) {
      results.todo += 1;
      node.passed = true;
      line(node, depth, node.error === undefined ? SYMBOLS.pass : SYMBOLS.fail, directive(node));
      return;
    }
    if (node.options.skip) {
      results.skipped += 1;
      node.passed = true;
      line(node, depth, SYMBOLS.skip, directive(node));
      return;
    }
    node.passed = node.error === undefined;
    if (node.passed) results.pass += 1;
    else {
      results.fail += 1;
      if (!failedSub) failures.push(node);
    }
    line(node, depth, node.passed ? SYMBOLS.pass : SYMBOLS.fail);
  };

  const runAll = async () => {
    await runHooks(root.hooks.before);
    for (const node of root.children) await runNode(node, 0);
    await runHooks(root.hooks.after);
    const info = (label: string, value: number | string) => out(`${paint(34, `${SYMBOLS.info} ${label} ${value}`)}\n`);
    info('tests', results.tests);
    info('suites', results.suites);
    info('pass', results.pass);
    info('fail', results.fail);
    info('cancelled', results.cancelled);
    info('skipped', results.skipped);
    info('todo', results.todo);
    info('duration_ms', Number((performance.now() - t0).toFixed(6)));
    if (failures.length) {
      out(`\n${paint(31, `${SYMBOLS.fail} failing tests:`)}\n\n`);
      failures.forEach((node, i) => {
        if (node.location) out(`${node.kind === 'suite' ? 'suite' : 'test'} at ${node.location}\n`);
        line(node, 0, SYMBOLS.fail);
        const text = host.mapStack(inspect(node.error, { depth: 0, breakLength: Infinity }));
        out(`${text.split('\n').map((l) => `  ${l}`).join('\n')}\n${i < failures.length - 1 ? '\n' : ''}`);
      });
    }
    if (results.fail > 0 || failures.length) host.process.exitCode = 1;
  };

  const test = (...args: unknown[]) => void register('test', args);
  const describe = (...args: unknown[]) => void register('suite', args);
  const variants = (fn: (...args: unknown[]) => void, kind: Node['kind']) =>
    Object.assign(fn, {
      skip: (...args: unknown[]) => void register(kind, args, { skip: true }),
      todo: (...args: unknown[]) => void register(kind, args, { todo: true }),
      only: (...args: unknown[]) => void register(kind, args, { only: true }),
    });
  const hook = (which: keyof Node['hooks']) => (fn: HookFn) => void current.hooks[which].push(fn);
  const testFn = variants(test, 'test');
  const suiteFn = variants(describe, 'suite');
  return {
    default: testFn,
    test: testFn,
    it: variants((...args: unknown[]) => void register('test', args), 'test'),
    describe: suiteFn,
    suite: suiteFn,
    before: hook('before'),
    after: hook('after'),
    beforeEach: hook('beforeEach'),
    afterEach: hook('afterEach'),
  };
}
