/**
 * The environment one program runs in: its process object, console, timers and file system, and the bookkeeping
 * that tells when it has finished, as Node's event loop does: the entry module has been evaluated and nothing is
 * left to wait for (no timer that keeps the loop alive, no tracked operation such as a module still loading).
 *
 * The built-in modules are made on first import from the registry in ./shims/ (each built-in is one file there).
 */
import { format, inspect, table } from './inspect.ts';
import type { MemFS } from '../memfs.ts';
import { normalize } from '../memfs.ts';
import { createBuiltin, type BuiltinName } from './shims/index.ts';
import { Buffer } from './shims/buffer.ts';

export const OFFLINE_NODE_VERSION = 'v24.0.0-offline';

export interface HostOptions {
  fs: MemFS;
  cwd: string;
  argv: string[];
  env: Record<string, string>;
  /** Output (stdout and stderr together, as a terminal shows them). */
  write: (text: string) => void;
  /** Called once, when the program ends (process.exit, an uncaught error, or nothing left to do). */
  onExit: (code: number) => void;
}

/** Thrown by process.exit() to unwind the program. */
export class ExitSignal {
  code: number;
  constructor(code: number) {
    this.code = code;
  }
}

type Callback = (...args: unknown[]) => void;

/** What setTimeout and setInterval return, as in Node: a handle with ref/unref that converts to its id. */
export class Timeout {
  readonly id: number;
  private host: Host;
  constructor(host: Host, id: number) {
    this.id = id;
    this.host = host;
  }
  ref(): this {
    this.host.refTimer(this.id, true);
    return this;
  }
  unref(): this {
    this.host.refTimer(this.id, false);
    return this;
  }
  hasRef(): boolean {
    return this.host.timerHasRef(this.id);
  }
  refresh(): this {
    this.host.refreshTimer(this.id);
    return this;
  }
  close(): this {
    this.host.clearTimer(this);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

interface TimerRecord {
  handle: ReturnType<typeof setTimeout>;
  ref: boolean;
  repeat: boolean;
  start: () => ReturnType<typeof setTimeout>;
}

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realSetInterval = globalThis.setInterval.bind(globalThis);
const realClearInterval = globalThis.clearInterval.bind(globalThis);

/** The location of a top-level await that has started and not yet finished. */
export interface AwaitSite {
  file: string;
  line: number;
  column: number;
}

export class Host {
  readonly fs: MemFS;
  readonly write: (text: string) => void;
  private options: HostOptions;
  private cwdPath: string;
  private exitedFlag = false;
  private mainSettled = false;
  private timers = new Map<number, TimerRecord>();
  private nextTimer = 1;
  private tracked = 0;
  private exitListeners: ((code: number) => void)[] = [];
  private modules = new Map<string, Record<string, unknown>>();
  private idleCheck: ReturnType<typeof setTimeout> | null = null;
  /** Maps generated module URLs and positions in stack text back to the project's files. */
  mapStack: (text: string) => string = (text) => text;
  /** Prints Node's "unsettled top-level await" warning; set by the loader, which knows where the await is. */
  describeUnsettled: () => string = () => 'Warning: Detected unsettled top-level await\n';
  readonly process: ReturnType<typeof createProcess>;
  readonly console: Record<string, unknown>;

  constructor(options: HostOptions) {
    this.options = options;
    this.fs = options.fs;
    this.cwdPath = options.cwd;
    this.write = (text) => {
      if (!this.exitedFlag) options.write(text);
    };
    this.process = createProcess(this, options);
    this.console = createConsole(this);
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  cwd(): string {
    return this.cwdPath;
  }

  chdir(dir: string): void {
    const next = normalize(dir.startsWith('/') ? dir : `${this.cwdPath}/${dir}`);
    if (!this.fs.isDir(next)) {
      const error = new Error(`ENOENT: no such file or directory, chdir ${this.cwdPath} -> '${dir}'`) as Error & { code: string };
      error.code = 'ENOENT';
      throw error;
    }
    this.cwdPath = next;
  }

  /** A built-in module's exports, made on first use. */
  builtin(name: BuiltinName): Record<string, unknown> {
    let module = this.modules.get(name);
    if (!module) {
      module = createBuiltin(name, this);
      this.modules.set(name, module);
    }
    return module;
  }

  onExitEvent(listener: (code: number) => void): void {
    this.exitListeners.push(listener);
  }

  exit(code: number): void {
    if (this.exitedFlag) return;
    this.process.exitCode = code;
    for (const listener of this.exitListeners.splice(0)) {
      try {
        listener(code);
      } catch {
        /* an exit listener's error does not change the exit */
      }
    }
    this.exitedFlag = true;
    for (const timer of this.timers.values()) {
      realClearTimeout(timer.handle);
      realClearInterval(timer.handle);
    }
    this.timers.clear();
    this.options.onExit(code);
  }

  /** An error nobody caught: print it as Node does (with util.inspect) and exit with code 1. */
  uncaught = (error: unknown): void => {
    if (error instanceof ExitSignal) return this.exit(error.code);
    if (this.exitedFlag) return;
    const text = error instanceof Error ? inspect(error) : `Uncaught ${inspect(error)}`;
    this.write(`${this.mapStack(nodeHints(text))}\n\nNode.js ${OFFLINE_NODE_VERSION}\n`);
    this.exit(1);
  };

  /** A promise rejected with nobody to handle it: Node 24 ends the program as for an uncaught error. */
  unhandledRejection = (reason: unknown): void => {
    if (reason instanceof Error || reason instanceof ExitSignal) return this.uncaught(reason);
    if (this.exitedFlag) return;
    const text =
      '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, ' +
      `or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${inspect(reason)}".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}`;
    this.write(`${text}\n\nNode.js ${OFFLINE_NODE_VERSION}\n`);
    this.exit(1);
  };

  /** Run a callback the way the event loop does: an error it throws is uncaught. */
  invoke(fn: Callback, args: unknown[]): void {
    if (this.exitedFlag) return;
    try {
      fn(...args);
    } catch (error) {
      this.uncaught(error);
    }
  }

  // ---- the event loop's bookkeeping

  private get alive(): boolean {
    if (this.tracked > 0) return true;
    for (const timer of this.timers.values()) if (timer.ref) return true;
    return false;
  }

  /** Keep the program alive until the promise settles (modules loading, WebAssembly compiling...). */
  track<T>(promise: Promise<T>): Promise<T> {
    this.tracked += 1;
    const done = () => {
      this.tracked -= 1;
      this.scheduleIdleCheck();
    };
    promise.then(done, done);
    return promise;
  }

  /** The entry module has finished evaluating (or failed). */
  mainDone(error?: unknown): void {
    this.mainSettled = true;
    if (error !== undefined) this.uncaught(error);
    else this.scheduleIdleCheck();
  }

  /**
   * Check, after the pending callbacks and promise jobs have run, whether the program is done: it exits with its
   * exit code, or with code 13 and Node's warning when the entry module still waits on a top-level await that
   * nothing can settle any more. The check runs twice, a turn of the real event loop apart, so that work the
   * runtime cannot see (a Blob being read, say) has a moment to finish.
   */
  scheduleIdleCheck(): void {
    if (this.exitedFlag || this.idleCheck) return;
    const check = (again: boolean) => {
      this.idleCheck = null;
      if (this.exitedFlag || this.alive) return;
      if (again) {
        this.idleCheck = realSetTimeout(() => check(false), 4);
        return;
      }
      if (this.mainSettled) this.exit(Number(this.process.exitCode ?? 0) || 0);
      else {
        this.write(this.describeUnsettled());
        this.exit(13);
      }
    };
    this.idleCheck = realSetTimeout(() => check(true), 0);
  }

  // ---- timers, tracked so that the program ends when none is left

  setTimer(fn: Callback, ms: unknown, args: unknown[], repeat: boolean): Timeout {
    if (typeof fn !== 'function') {
      const error = new TypeError(`The "callback" argument must be of type function. Received ${inspect(fn)}`) as TypeError & { code: string };
      error.code = 'ERR_INVALID_ARG_TYPE';
      throw error;
    }
    const id = this.nextTimer++;
    const timeout = new Timeout(this, id);
    if (this.exitedFlag) return timeout;
    const delay = Math.max(1, Math.min(Number(ms) || 1, 2 ** 31 - 1));
    const start = () =>
      repeat
        ? realSetInterval(() => this.invoke(fn, args), delay)
        : realSetTimeout(() => {
            this.timers.delete(id);
            this.invoke(fn, args);
            this.scheduleIdleCheck();
          }, delay);
    this.timers.set(id, { handle: start(), ref: true, repeat, start });
    return timeout;
  }

  setImmediate(fn: Callback, args: unknown[]): Timeout {
    const id = this.nextTimer++;
    const timeout = new Timeout(this, id);
    if (this.exitedFlag) return timeout;
    const start = () =>
      realSetTimeout(() => {
        this.timers.delete(id);
        this.invoke(fn, args);
        this.scheduleIdleCheck();
      }, 0);
    this.timers.set(id, { handle: start(), ref: true, repeat: false, start });
    return timeout;
  }

  clearTimer(handle: unknown): void {
    if (handle === undefined || handle === null) return;
    const id = Number(handle);
    const timer = this.timers.get(id);
    if (!timer) return;
    realClearTimeout(timer.handle);
    realClearInterval(timer.handle);
    this.timers.delete(id);
    this.scheduleIdleCheck();
  }

  refTimer(id: number, ref: boolean): void {
    const timer = this.timers.get(id);
    if (timer) timer.ref = ref;
    this.scheduleIdleCheck();
  }

  timerHasRef(id: number): boolean {
    return this.timers.get(id)?.ref ?? false;
  }

  refreshTimer(id: number): void {
    const timer = this.timers.get(id);
    if (!timer) return;
    realClearTimeout(timer.handle);
    realClearInterval(timer.handle);
    timer.handle = timer.start();
  }

  /** The globals a program sees (installed on the worker's global object). */
  globals(): Record<string, unknown> {
    const timers = this.builtin('timers');
    return {
      process: this.process,
      console: this.console,
      Buffer,
      global: globalThis,
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      setInterval: timers.setInterval,
      clearInterval: timers.clearInterval,
      setImmediate: timers.setImmediate,
      clearImmediate: timers.clearImmediate,
    };
  }
}

/** Node's extra words for the mistakes it recognises in ES modules. */
function nodeHints(text: string): string {
  return text.replace(
    /^ReferenceError: (require|module|exports|__filename|__dirname) is not defined(?! in ES module scope)/m,
    (_m, name: string) =>
      name === 'require' ? 'ReferenceError: require is not defined in ES module scope, you can use import instead' : `ReferenceError: ${name} is not defined in ES module scope`,
  );
}

function createConsole(host: Host): Record<string, unknown> {
  const log = (...args: unknown[]) => host.write(indent + format(...args).split('\n').join(`\n${indent}`) + '\n');
  let indent = '';
  const counts = new Map<string, number>();
  const starts = new Map<string, number>();
  const elapsed = (label: string) => {
    const start = starts.get(label);
    if (start === undefined) {
      host.write(`(node) Warning: No such label '${label}' for console.timeEnd()\n`);
      return null;
    }
    const ms = performance.now() - start;
    return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
  };
  return {
    log,
    info: log,
    debug: log,
    warn: log,
    error: log,
    trace: (...args: unknown[]) => {
      const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n');
      log(`Trace${args.length ? ': ' + format(...args) : ''}\n${host.mapStack(stack)}`);
    },
    dir: (v: unknown, options?: { depth?: number | null }) => log(inspect(v, options)),
    table: (data: unknown, properties?: string[]) => {
      const drawn = table(data, properties);
      if (drawn === null) log(data);
      else log(drawn);
    },
    assert: (ok: unknown, ...args: unknown[]) => {
      if (!ok) log('Assertion failed' + (args.length ? ': ' + format(...args) : ''));
    },
    count: (label = 'default') => {
      counts.set(label, (counts.get(label) ?? 0) + 1);
      log(`${label}: ${counts.get(label)}`);
    },
    countReset: (label = 'default') => void counts.set(label, 0),
    time: (label = 'default') => void starts.set(label, performance.now()),
    timeEnd: (label = 'default') => {
      const text = elapsed(label);
      starts.delete(label);
      if (text) log(`${label}: ${text}`);
    },
    timeLog: (label = 'default', ...data: unknown[]) => {
      const text = elapsed(label);
      if (text) log(`${label}: ${text}`, ...data);
    },
    group: (...label: unknown[]) => {
      if (label.length) log(...label);
      indent += '  ';
    },
    groupCollapsed: (...label: unknown[]) => {
      if (label.length) log(...label);
      indent += '  ';
    },
    groupEnd: () => void (indent = indent.slice(2)),
  };
}

function createProcess(host: Host, options: HostOptions) {
  const stream = (fd: number) => ({
    fd,
    write: (chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
      host.write(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
      const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
      return true;
    },
    isTTY: true,
    columns: 100,
    rows: 30,
    hasColors: () => true,
    getColorDepth: () => 8,
    on: () => undefined,
    once: () => undefined,
  });
  const t0 = performance.now();
  const hrtime = (prev?: [number, number]): [number, number] => {
    const ns = Math.round((performance.now() - t0) * 1e6);
    const now: [number, number] = [Math.floor(ns / 1e9), ns % 1e9];
    if (!prev) return now;
    let s = now[0] - prev[0];
    let n = now[1] - prev[1];
    if (n < 0) {
      s -= 1;
      n += 1e9;
    }
    return [s, n];
  };
  hrtime.bigint = () => BigInt(Math.round((performance.now() - t0) * 1e6));
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  const process = {
    title: 'node',
    argv: options.argv,
    argv0: 'node',
    execArgv: [] as string[],
    execPath: '/usr/local/bin/node',
    env: { ...options.env },
    version: OFFLINE_NODE_VERSION,
    versions: { node: OFFLINE_NODE_VERSION.slice(1), labkit: 'offline' },
    release: { name: 'node' },
    platform: 'linux',
    arch: 'x64',
    pid: 1,
    ppid: 0,
    exitCode: undefined as number | string | undefined,
    stdout: stream(1),
    stderr: stream(2),
    stdin: { fd: 0, isTTY: false, on: () => undefined },
    cwd: () => host.cwd(),
    chdir: (dir: string) => host.chdir(dir),
    exit: (code?: number | string): never => {
      const c = Number(code ?? process.exitCode ?? 0) || 0;
      host.exit(c);
      throw new ExitSignal(c);
    },
    abort: (): never => {
      host.exit(134);
      throw new ExitSignal(134);
    },
    on: (event: string, fn: (...a: unknown[]) => void) => {
      if (event === 'exit') host.onExitEvent(fn as (code: number) => void);
      else listeners.set(event, [...(listeners.get(event) ?? []), fn]);
      return process;
    },
    once: (event: string, fn: (...a: unknown[]) => void) => process.on(event, fn),
    off: () => process,
    removeListener: () => process,
    removeAllListeners: () => process,
    listenerCount: (event: string) => listeners.get(event)?.length ?? 0,
    emitWarning: (warning: string | Error, type?: string) => {
      const text = warning instanceof Error ? `${warning.name}: ${warning.message}` : `${typeof type === 'string' ? type : 'Warning'}: ${warning}`;
      host.write(`(node:1) ${text}\n(Use \`node --trace-warnings ...\` to show where the warning was created)\n`);
    },
    nextTick: (fn: Callback, ...args: unknown[]) => queueMicrotask(() => host.invoke(fn, args)),
    hrtime,
    uptime: () => (performance.now() - t0) / 1000,
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    umask: () => 0o22,
    getuid: () => 1000,
    getgid: () => 1000,
    kill: () => {
      throw new Error('process.kill() is not available in the offline runtime: there are no other processes.');
    },
  };
  return process;
}
