/**
 * Stand-ins for the Node.js built-ins the labs use, over an in-memory file system:
 * fs, fs/promises, path, crypto (hashing), timers, timers/promises, process, console, util, url.
 * They follow Node's behaviour closely enough for the labs' code; anything else throws a clear error.
 */
import { MemFS, normalize } from '../memfs.ts';
import { Sha256 } from './sha256.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What readFileSync returns without an encoding: bytes that print as text, like a small Buffer. */
export class BufferLike extends Uint8Array {
  override toString(encoding?: string): string {
    if (encoding === 'hex') return [...this].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'base64') return btoa(String.fromCharCode(...this));
    return decoder.decode(this);
  }
  toJSON() {
    return { type: 'Buffer', data: [...this] };
  }
  static override from(value: Uint8Array | string, encoding?: string): BufferLike;
  static override from(value: ArrayLike<number> | Iterable<number>): BufferLike;
  static override from(value: unknown, encoding?: string): BufferLike {
    if (typeof value === 'string') {
      if (encoding === 'hex') return new BufferLike((value.match(/../g) ?? []).map((h) => parseInt(h, 16)));
      if (encoding === 'base64') return new BufferLike([...atob(value)].map((c) => c.charCodeAt(0)));
      return new BufferLike(encoder.encode(value));
    }
    return new BufferLike(value as ArrayLike<number>);
  }
}

/** Thrown by process.exit() to unwind the program. */
export class ExitSignal {
  code: number;
  constructor(code: number) {
    this.code = code;
  }
}

// --------------------------------------------------------------------------------------------------------------
// console and util.format / util.inspect (a small version of Node's formatting)

export function inspect(value: unknown, depth = 2, seen = new Set<unknown>()): string {
  if (typeof value === 'string') return `'${value.replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[Circular *1]';
  if (depth < 0) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.add(value);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const items = [...(value as ArrayLike<unknown> & Iterable<unknown>)];
      const shown = items.slice(0, 100).map((v) => inspect(v, depth - 1, seen));
      if (items.length > 100) shown.push(`... ${items.length - 100} more items`);
      return wrap('[', shown, ']');
    }
    if (value instanceof Map) return `Map(${value.size}) ` + wrap('{', [...value].map(([k, v]) => `${inspect(k, depth - 1, seen)} => ${inspect(v, depth - 1, seen)}`), '}');
    if (value instanceof Set) return `Set(${value.size}) ` + wrap('{', [...value].map((v) => inspect(v, depth - 1, seen)), '}');
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspect(v, depth - 1, seen)}`);
    if (!entries.length) return '{}';
    return wrap('{', entries, '}');
  } finally {
    seen.delete(value);
  }
}

function wrap(open: string, items: string[], close: string): string {
  if (!items.length) return open + close;
  const line = `${open} ${items.join(', ')} ${close}`;
  if (line.length <= 72 && !line.includes('\n')) return line;
  return `${open}\n${items.map((i) => '  ' + i.replace(/\n/g, '\n  ')).join(',\n')}\n${close}`;
}

export function format(...args: unknown[]): string {
  let rest = args;
  let head = '';
  if (typeof args[0] === 'string' && /%[sdifjoOc%]/.test(args[0])) {
    let i = 1;
    head = args[0].replace(/%([sdifjoOc%])/g, (match, k: string) => {
      if (k === '%') return '%';
      if (i >= args.length) return match;
      const v = args[i++];
      if (k === 's') return typeof v === 'string' ? v : inspect(v, 1);
      if (k === 'd' || k === 'i') return String(k === 'i' ? parseInt(String(v), 10) : Number(v));
      if (k === 'f') return String(parseFloat(String(v)));
      if (k === 'j') return JSON.stringify(v);
      if (k === 'c') return '';
      return inspect(v);
    });
    rest = args.slice(i);
    return [head, ...rest.map((v) => (typeof v === 'string' ? v : inspect(v)))].join(' ');
  }
  return rest.map((v) => (typeof v === 'string' ? v : inspect(v))).join(' ');
}

// --------------------------------------------------------------------------------------------------------------
// path (POSIX)

export function makePath(cwd: () => string) {
  const path = {
    sep: '/',
    delimiter: ':',
    normalize: (p: string) => {
      if (!p) return '.';
      const absolute = p.startsWith('/');
      const out: string[] = [];
      for (const part of p.split('/')) {
        if (!part || part === '.') continue;
        if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
        else if (part === '..' && absolute) continue;
        else out.push(part);
      }
      const joined = out.join('/');
      const trailing = p.endsWith('/') && joined ? '/' : '';
      return (absolute ? '/' : '') + (joined || (absolute ? '' : '.')) + trailing;
    },
    join: (...parts: string[]) => path.normalize(parts.filter((p) => p !== '').join('/') || '.'),
    resolve: (...parts: string[]) => {
      let p = '';
      for (let i = parts.length - 1; i >= 0 && !p.startsWith('/'); i -= 1) p = parts[i] + (p ? '/' + p : '');
      if (!p.startsWith('/')) p = cwd() + '/' + p;
      return normalize(p);
    },
    isAbsolute: (p: string) => p.startsWith('/'),
    dirname: (p: string) => {
      const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
      const i = trimmed.lastIndexOf('/');
      if (i < 0) return '.';
      return i === 0 ? '/' : trimmed.slice(0, i);
    },
    basename: (p: string, ext?: string) => {
      const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
      return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
    },
    extname: (p: string) => {
      const base = path.basename(p);
      const i = base.lastIndexOf('.');
      return i <= 0 ? '' : base.slice(i);
    },
    relative: (from: string, to: string) => {
      const a = path.resolve(from).split('/').filter(Boolean);
      const b = path.resolve(to).split('/').filter(Boolean);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
      return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
    },
    parse: (p: string) => {
      const base = path.basename(p);
      const ext = path.extname(p);
      return { root: p.startsWith('/') ? '/' : '', dir: path.dirname(p), base, ext, name: ext ? base.slice(0, -ext.length) : base };
    },
    format: (o: { dir?: string; root?: string; base?: string; name?: string; ext?: string }) =>
      (o.dir ? o.dir + '/' : o.root ?? '') + (o.base ?? (o.name ?? '') + (o.ext ?? '')),
  };
  return { ...path, posix: path, default: path };
}

// --------------------------------------------------------------------------------------------------------------
// The environment one program runs in

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

/**
 * Everything a program sees in place of Node's globals and built-in modules, plus the bookkeeping that tells when
 * the program has finished: the entry module has been evaluated and no timer is left.
 */
export function createHost(options: HostOptions) {
  const { fs: mem, write } = options;
  let cwd = options.cwd;
  let exited = false;
  let mainSettled = false;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextTimer = 1;
  const exitListeners: ((code: number) => void)[] = [];
  const realSetTimeout = globalThis.setTimeout.bind(globalThis);
  const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
  const realSetInterval = globalThis.setInterval.bind(globalThis);
  const realClearInterval = globalThis.clearInterval.bind(globalThis);

  const output = (text: string) => {
    if (!exited) write(text);
  };

  const exit = (code: number) => {
    if (exited) return;
    process.exitCode = code;
    for (const listener of exitListeners.splice(0)) {
      try {
        listener(code);
      } catch {
        /* an exit listener's error does not change the exit */
      }
    }
    exited = true;
    for (const [, handle] of timers) {
      realClearTimeout(handle);
      realClearInterval(handle);
    }
    timers.clear();
    options.onExit(code);
  };

  /** An error nobody caught: print it as Node does and exit with code 1 (or the code of process.exit()). */
  let mapStack = (text: string) => text;
  const uncaught = (error: unknown) => {
    if (error instanceof ExitSignal) return exit(error.code);
    if (exited) return;
    const text = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : `Uncaught ${inspect(error)}`;
    output(`${mapStack(text)}\n`);
    exit(1);
  };

  const checkIdle = () => {
    if (!exited && mainSettled && timers.size === 0) exit(Number(process.exitCode ?? 0) || 0);
  };
  const later = () => realSetTimeout(checkIdle, 0);

  // ---- timers: tracked, so that the program ends when none is left, like Node's event loop
  const setTimeoutShim = (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) => {
    if (exited) return 0;
    const id = nextTimer++;
    timers.set(
      id,
      realSetTimeout(() => {
        timers.delete(id);
        try {
          fn(...args);
        } catch (error) {
          uncaught(error);
        }
        later();
      }, ms),
    );
    return id;
  };
  const clearTimeoutShim = (id?: number) => {
    if (id === undefined) return;
    const handle = timers.get(id);
    if (handle !== undefined) {
      realClearTimeout(handle);
      realClearInterval(handle);
      timers.delete(id);
      later();
    }
  };
  const setIntervalShim = (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) => {
    if (exited) return 0;
    const id = nextTimer++;
    timers.set(
      id,
      realSetInterval(() => {
        try {
          fn(...args);
        } catch (error) {
          uncaught(error);
        }
      }, Math.max(ms, 1)),
    );
    return id;
  };
  const setImmediateShim = (fn: (...a: unknown[]) => void, ...args: unknown[]) => setTimeoutShim(fn, 0, ...args);

  // ---- console
  const log = (...args: unknown[]) => output(format(...args) + '\n');
  const counts = new Map<string, number>();
  const starts = new Map<string, number>();
  const consoleShim = {
    log,
    info: log,
    debug: log,
    warn: log,
    error: log,
    trace: log,
    dir: (v: unknown) => log(inspect(v)),
    table: (v: unknown) => log(inspect(v)),
    assert: (ok: unknown, ...args: unknown[]) => {
      if (!ok) log('Assertion failed' + (args.length ? ': ' + format(...args) : ''));
    },
    count: (label = 'default') => {
      counts.set(label, (counts.get(label) ?? 0) + 1);
      log(`${label}: ${counts.get(label)}`);
    },
    time: (label = 'default') => void starts.set(label, performance.now()),
    timeEnd: (label = 'default') => log(`${label}: ${(performance.now() - (starts.get(label) ?? 0)).toFixed(3)}ms`),
    timeLog: (label = 'default') => log(`${label}: ${(performance.now() - (starts.get(label) ?? 0)).toFixed(3)}ms`),
    group: () => {},
    groupEnd: () => {},
  };

  // ---- process
  const stream = { write: (chunk: string | Uint8Array) => (output(typeof chunk === 'string' ? chunk : decoder.decode(chunk)), true), isTTY: true, columns: 100, rows: 30 };
  const t0 = performance.now();
  const hrtime = (prev?: [number, number]) => {
    const ns = Math.round((performance.now() - t0) * 1e6);
    const now: [number, number] = [Math.floor(ns / 1e9), ns % 1e9];
    if (!prev) return now;
    let s = now[0] - prev[0];
    let n = now[1] - prev[1];
    if (n < 0) { s -= 1; n += 1e9; }
    return [s, n];
  };
  hrtime.bigint = () => BigInt(Math.round((performance.now() - t0) * 1e6));
  const process = {
    argv: options.argv,
    argv0: 'node',
    execArgv: [] as string[],
    execPath: '/usr/local/bin/node',
    env: { ...options.env },
    version: 'v24.0.0-offline',
    versions: { node: '24.0.0', labkit: 'offline' },
    release: { name: 'node' },
    platform: 'linux',
    arch: 'x64',
    pid: 1,
    exitCode: undefined as number | undefined,
    stdout: stream,
    stderr: stream,
    stdin: { isTTY: false, on: () => {} },
    cwd: () => cwd,
    chdir: (dir: string) => {
      const next = normalize(dir.startsWith('/') ? dir : `${cwd}/${dir}`);
      if (!mem.isDir(next)) throw new Error(`ENOENT: no such file or directory, chdir '${dir}'`);
      cwd = next;
    },
    exit: (code?: number) => {
      const c = code ?? Number(process.exitCode ?? 0) ?? 0;
      exit(c);
      throw new ExitSignal(c);
    },
    on: (event: string, fn: (code: number) => void) => {
      if (event === 'exit') exitListeners.push(fn);
      return process;
    },
    once: (event: string, fn: (code: number) => void) => process.on(event, fn),
    off: () => process,
    removeListener: () => process,
    emitWarning: (message: string) => output(`(node) Warning: ${message}\n`),
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => {
      try {
        fn(...args);
      } catch (error) {
        uncaught(error);
      }
    }),
    hrtime,
    uptime: () => (performance.now() - t0) / 1000,
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
  };

  // ---- fs
  const pathMod = makePath(() => cwd);
  const abs = (p: string | URL) => {
    const s = p instanceof URL ? p.pathname : String(p);
    return pathMod.resolve(s);
  };
  const encodingOf = (o: unknown): string | undefined => (typeof o === 'string' ? o : (o as { encoding?: string } | undefined)?.encoding ?? undefined);
  const toBytes = (data: unknown): Uint8Array | string => {
    if (typeof data === 'string' || data instanceof Uint8Array) return data;
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return String(data);
  };
  const statOf = (p: string) => {
    const s = mem.stat(abs(p));
    if (!s) {
      const e = new Error(`ENOENT: no such file or directory, stat '${p}'`) as Error & { code: string };
      e.code = 'ENOENT';
      throw e;
    }
    return {
      isFile: () => s.file,
      isDirectory: () => !s.file,
      isSymbolicLink: () => false,
      size: s.size,
      mtimeMs: s.mtimeMs,
      mtime: new Date(s.mtimeMs),
    };
  };
  const dirent = (name: string, directory: boolean) => ({ name, isFile: () => !directory, isDirectory: () => directory, isSymbolicLink: () => false });
  const fsSync = {
    existsSync: (p: string) => mem.exists(abs(p)),
    readFileSync: (p: string, o?: unknown) => {
      const bytes = mem.read(abs(p));
      const enc = encodingOf(o);
      return enc ? BufferLike.from(bytes).toString(enc === 'utf-8' ? 'utf8' : enc) : BufferLike.from(bytes);
    },
    writeFileSync: (p: string, data: unknown) => mem.write(abs(p), toBytes(data)),
    appendFileSync: (p: string, data: unknown) => mem.append(abs(p), toBytes(data)),
    mkdirSync: (p: string, o?: { recursive?: boolean }) => {
      const target = abs(p);
      const existed = mem.exists(target);
      mem.mkdir(target, !!o?.recursive);
      return o?.recursive && !existed ? target : undefined;
    },
    readdirSync: (p: string, o?: { withFileTypes?: boolean }) => {
      const list = mem.readdir(abs(p));
      return o?.withFileTypes ? list.map((e) => dirent(e.name, e.directory)) : list.map((e) => e.name);
    },
    statSync: statOf,
    lstatSync: statOf,
    rmSync: (p: string, o?: { recursive?: boolean; force?: boolean }) => mem.rm(abs(p), { recursive: !!o?.recursive, force: !!o?.force }),
    unlinkSync: (p: string) => mem.rm(abs(p)),
    rmdirSync: (p: string, o?: { recursive?: boolean }) => mem.rm(abs(p), { recursive: !!o?.recursive }),
    renameSync: (a: string, b: string) => mem.rename(abs(a), abs(b)),
    copyFileSync: (a: string, b: string) => mem.write(abs(b), mem.read(abs(a))),
    accessSync: (p: string) => void statOf(p),
  };
  const promisified = Object.fromEntries(
    Object.entries({
      readFile: fsSync.readFileSync,
      writeFile: fsSync.writeFileSync,
      appendFile: fsSync.appendFileSync,
      mkdir: fsSync.mkdirSync,
      readdir: fsSync.readdirSync,
      stat: fsSync.statSync,
      lstat: fsSync.lstatSync,
      rm: fsSync.rmSync,
      unlink: fsSync.unlinkSync,
      rmdir: fsSync.rmdirSync,
      rename: fsSync.renameSync,
      copyFile: fsSync.copyFileSync,
      access: fsSync.accessSync,
    }).map(([name, fn]) => [name, async (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args)]),
  );
  const fsPromises = { ...promisified, constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 } };
  const callbackStyle = Object.fromEntries(
    Object.entries(promisified).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        const cb = args.pop() as (err: unknown, value?: unknown) => void;
        fn(...args).then((value) => setTimeoutShim(() => cb(null, value)), (err) => setTimeoutShim(() => cb(err)));
      },
    ]),
  );
  const fsModule = { ...callbackStyle, ...fsSync, promises: fsPromises, constants: fsPromises.constants };

  // ---- crypto
  const createHash = (algorithm: string) => {
    if (algorithm.toLowerCase() !== 'sha256') {
      throw new Error(`Digest method not supported in the offline runtime: "${algorithm}" (use sha256)`);
    }
    const h = new Sha256();
    const hash = {
      update(data: string | Uint8Array) {
        h.update(typeof data === 'string' ? encoder.encode(data) : data);
        return hash;
      },
      digest(encoding?: string) {
        const bytes = BufferLike.from(h.digest());
        return encoding ? bytes.toString(encoding) : bytes;
      },
    };
    return hash;
  };
  const webCrypto = globalThis.crypto;
  const cryptoModule = {
    createHash,
    randomUUID: () => webCrypto.randomUUID(),
    randomBytes: (n: number) => BufferLike.from(webCrypto.getRandomValues(new Uint8Array(n))),
    randomInt: (a: number, b?: number) => {
      const [lo, hi] = b === undefined ? [0, a] : [a, b];
      return lo + Math.floor((webCrypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32) * (hi - lo));
    },
    getRandomValues: (a: Uint8Array<ArrayBuffer>) => webCrypto.getRandomValues(a),
    webcrypto: webCrypto,
  };

  // ---- the rest
  const timersModule = { setTimeout: setTimeoutShim, clearTimeout: clearTimeoutShim, setInterval: setIntervalShim, clearInterval: clearTimeoutShim, setImmediate: setImmediateShim, clearImmediate: clearTimeoutShim };
  const timersPromises = {
    setTimeout: (ms = 0, value?: unknown) => new Promise((resolve) => setTimeoutShim(() => resolve(value), ms)),
    setImmediate: (value?: unknown) => new Promise((resolve) => setTimeoutShim(() => resolve(value), 0)),
  };
  const utilModule = {
    format,
    inspect: (v: unknown, o?: { depth?: number }) => inspect(v, o?.depth ?? 2),
    promisify: (fn: (...a: unknown[]) => void) => (...args: unknown[]) =>
      new Promise((resolve, reject) => fn(...args, (err: unknown, value: unknown) => (err ? reject(err) : resolve(value)))),
    isDeepStrictEqual: (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b),
    types: { isPromise: (v: unknown) => v instanceof Promise },
  };
  const urlModule = {
    URL,
    URLSearchParams,
    fileURLToPath: (u: string | URL) => decodeURIComponent(new URL(String(u)).pathname),
    pathToFileURL: (p: string) => new URL('file://' + pathMod.resolve(p)),
  };
  const osModule = { EOL: '\n', platform: () => 'linux', tmpdir: () => '/tmp', homedir: () => '/home/student', cpus: () => [], hostname: () => 'localhost' };

  const builtins: Record<string, Record<string, unknown>> = {
    fs: fsModule,
    'fs/promises': fsPromises,
    path: pathMod,
    'path/posix': pathMod,
    crypto: cryptoModule,
    timers: timersModule,
    'timers/promises': timersPromises,
    process: process as unknown as Record<string, unknown>,
    console: consoleShim,
    util: utilModule,
    url: urlModule,
    os: osModule,
  };

  /** The globals a lab module sees instead of the real ones. */
  const globals: Record<string, unknown> = {
    process,
    console: consoleShim,
    setTimeout: setTimeoutShim,
    clearTimeout: clearTimeoutShim,
    setInterval: setIntervalShim,
    clearInterval: clearTimeoutShim,
    setImmediate: setImmediateShim,
    clearImmediate: clearTimeoutShim,
    Buffer: BufferLike,
    global: globalThis,
  };

  return {
    builtins,
    globals,
    process,
    /** The entry module has finished evaluating (or failed). */
    mainDone(error?: unknown) {
      mainSettled = true;
      if (error !== undefined) uncaught(error);
      else later();
    },
    uncaught,
    exit,
    /** Show module URLs in error stacks as the project's file paths. */
    setStackMapper(fn: (text: string) => string) {
      mapStack = fn;
    },
    get exited() {
      return exited;
    },
  };
}

export type Host = ReturnType<typeof createHost>;
