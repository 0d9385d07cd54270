/**
 * node:fs and node:fs/promises over the in-memory file system. Errors carry Node's codes, system call names and
 * messages, with the path as the program gave it (`ENOENT: no such file or directory, open 'nope.txt'`).
 */
import { ERRNO, FsError, TEXTS, type MemFS } from '../../memfs.ts';
import type { Host } from '../host.ts';
import { Buffer } from './buffer.ts';
import { fileURLToPath } from './url.ts';

type PathLike = string | URL | Uint8Array;

/** An error as Node's fs makes it: message, then errno, code, syscall, path and dest, in that order. */
export function systemError(code: string, syscall: string, path?: string, dest?: string, text = TEXTS[code] ?? code): Error {
  let message = `${code}: ${text}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const error = new Error(message) as Error & Record<string, unknown>;
  error.errno = ERRNO[code] ?? -1;
  error.code = code;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  if (dest !== undefined) error.dest = dest;
  return error;
}

export function fsModules(host: Host) {
  const mem: MemFS = host.fs;
  const shown = (p: PathLike) => (p instanceof URL ? fileURLToPath(p) : p instanceof Uint8Array ? new TextDecoder().decode(p) : String(p));
  const abs = (p: PathLike) => {
    const s = shown(p);
    return s.startsWith('/') ? s : `${host.cwd()}/${s}`;
  };
  /** Run a file system operation; its error becomes Node's, naming the path as given. */
  const call = <T>(syscall: string, p: PathLike, fn: () => T, dest?: PathLike): T => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      if (error.code === 'ENOSPC') {
        const limit = systemError('ENOSPC', 'write');
        limit.message += ` ${/\(.*\)$/.exec(error.message)?.[0] ?? ''}`.trimEnd();
        throw limit;
      }
      const withPath = !(error.code === 'EISDIR' && syscall === 'read');
      throw systemError(error.code, syscall, withPath ? shown(p) : undefined, dest === undefined ? undefined : shown(dest));
    }
  };
  const encodingOf = (o: unknown): string | undefined => (typeof o === 'string' ? o : ((o as { encoding?: string } | undefined)?.encoding ?? undefined));
  const flagOf = (o: unknown): string => ((o as { flag?: string } | undefined)?.flag ?? 'w');
  const toBytes = (data: unknown, encoding?: string): Uint8Array => {
    if (typeof data === 'string') return Buffer.from(data, (encoding ?? 'utf8') as BufferEncoding);
    if (data instanceof Uint8Array) return data;
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const error = new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${data === null ? 'null' : typeof data}`) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  };
  const stats = (s: { file: boolean; size: number; mtimeMs: number }) => {
    const time = new Date(s.mtimeMs);
    return {
      dev: 1, mode: s.file ? 0o100644 : 0o40755, nlink: 1, uid: 1000, gid: 1000, rdev: 0, blksize: 4096, ino: 0,
      size: s.size, blocks: Math.ceil(s.size / 512),
      atimeMs: s.mtimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.mtimeMs, birthtimeMs: s.mtimeMs,
      atime: time, mtime: time, ctime: time, birthtime: time,
      isFile: () => s.file, isDirectory: () => !s.file, isSymbolicLink: () => false,
      isFIFO: () => false, isSocket: () => false, isBlockDevice: () => false, isCharacterDevice: () => false,
    };
  };
  const statWith = (syscall: string) => (p: PathLike, o?: { throwIfNoEntry?: boolean }) => {
    const s = mem.stat(abs(p));
    if (!s) {
      if (o?.throwIfNoEntry === false) return undefined;
      throw systemError('ENOENT', syscall, shown(p));
    }
    return stats(s);
  };
  const dirent = (name: string, directory: boolean, parentPath: string) => ({
    name, parentPath, path: parentPath,
    isFile: () => !directory, isDirectory: () => directory, isSymbolicLink: () => false,
    isFIFO: () => false, isSocket: () => false, isBlockDevice: () => false, isCharacterDevice: () => false,
  });
  const readdir = (p: PathLike, o?: { withFileTypes?: boolean; recursive?: boolean; encoding?: string } | string) => {
    const options = typeof o === 'string' ? {} : (o ?? {});
    const list = (dir: string, prefix: string): { name: string; directory: boolean; parent: string }[] =>
      call('scandir', p, () => mem.readdir(dir)).flatMap((e) => [
        { name: prefix + e.name, directory: e.directory, parent: dir },
        ...(options.recursive && e.directory ? list(`${dir}/${e.name}`, `${prefix}${e.name}/`) : []),
      ]);
    const entries = list(abs(p), '');
    return options.withFileTypes ? entries.map((e) => dirent(e.name.split('/').pop()!, e.directory, e.parent)) : entries.map((e) => e.name);
  };
  const write = (p: PathLike, data: unknown, o?: unknown) => {
    const bytes = toBytes(data, encodingOf(o));
    call('open', p, () => (flagOf(o).startsWith('a') ? mem.append(abs(p), bytes) : mem.write(abs(p), bytes)));
  };
  const rm = (p: PathLike, o?: { recursive?: boolean; force?: boolean }) => {
    const target = abs(p);
    const s = mem.stat(target);
    if (!s) {
      if (o?.force) return;
      throw systemError('ENOENT', 'lstat', shown(p));
    }
    if (!s.file && !o?.recursive) {
      const error = new Error(`Path is a directory: rm returned EISDIR (is a directory) ${shown(p)}`) as Error & Record<string, unknown>;
      error.name = 'SystemError';
      Object.assign(error, { code: 'ERR_FS_EISDIR', errno: 21, syscall: 'rm', path: shown(p) });
      throw error;
    }
    mem.rm(target, { recursive: true, force: true });
  };

  // File descriptors, for programs that open a file and write to it in pieces.
  const descriptors = new Map<number, { path: string; position: number; append: boolean }>();
  let nextFd = 3;
  const descriptor = (fd: number, syscall: string) => {
    const d = descriptors.get(fd);
    if (!d) throw systemError('EBADF', syscall);
    return d;
  };

  const sync = {
    existsSync: (p: PathLike) => {
      try {
        return mem.exists(abs(p));
      } catch {
        return false;
      }
    },
    readFileSync: (p: PathLike | number, o?: unknown) => {
      if (typeof p !== 'number' && mem.stat(abs(p))?.file === false) throw systemError('EISDIR', 'read');
      const bytes = typeof p === 'number' ? mem.read(descriptor(p, 'read').path) : call('open', p, () => mem.read(abs(p)));
      const encoding = encodingOf(o);
      const buffer = Buffer.from(bytes);
      return encoding ? buffer.toString(encoding as BufferEncoding) : buffer;
    },
    writeFileSync: (p: PathLike | number, data: unknown, o?: unknown) => {
      if (typeof p === 'number') return sync.writeSync(p, toBytes(data, encodingOf(o)));
      write(p, data, o);
    },
    appendFileSync: (p: PathLike, data: unknown, o?: unknown) => {
      const bytes = toBytes(data, encodingOf(o));
      call('open', p, () => mem.append(abs(p), bytes));
    },
    mkdirSync: (p: PathLike, o?: { recursive?: boolean } | number) => {
      const recursive = typeof o === 'object' && !!o?.recursive;
      const target = abs(p);
      // Node returns the first folder it created, written as the program wrote the path ('e' for 'e/f/g').
      let first: string | undefined;
      if (recursive) {
        const given = shown(p).split('/');
        for (let i = 1; i <= given.length && first === undefined; i += 1) {
          const prefix = given.slice(0, i).join('/');
          if (prefix && !mem.exists(abs(prefix))) first = prefix;
        }
      }
      call('mkdir', p, () => mem.mkdir(target, recursive));
      return recursive ? first : undefined;
    },
    readdirSync: readdir,
    statSync: statWith('stat'),
    lstatSync: statWith('lstat'),
    rmSync: rm,
    unlinkSync: (p: PathLike) => {
      const s = mem.stat(abs(p));
      if (s && !s.file) throw systemError('EISDIR', 'unlink', shown(p));
      call('unlink', p, () => mem.rm(abs(p)));
    },
    rmdirSync: (p: PathLike, o?: { recursive?: boolean }) => {
      const s = mem.stat(abs(p));
      if (s?.file) throw systemError('ENOTDIR', 'rmdir', shown(p));
      call('rmdir', p, () => mem.rm(abs(p), { recursive: !!o?.recursive }));
    },
    renameSync: (a: PathLike, b: PathLike) => call('rename', a, () => mem.rename(abs(a), abs(b)), b),
    copyFileSync: (a: PathLike, b: PathLike) => call('copyfile', a, () => mem.write(abs(b), mem.read(abs(a))), b),
    cpSync: (a: PathLike, b: PathLike, o?: { recursive?: boolean }) => {
      const copy = (from: string, to: string) => {
        const s = mem.stat(from);
        if (!s) throw systemError('ENOENT', 'lstat', shown(a));
        if (s.file) return mem.write(to, mem.read(from));
        if (!o?.recursive) throw Object.assign(new Error(`Recursive option is required to copy a directory: ${shown(a)}`), { code: 'ERR_FS_EISDIR' });
        mem.mkdir(to, true);
        for (const e of mem.readdir(from)) copy(`${from}/${e.name}`, `${to}/${e.name}`);
      };
      copy(abs(a), abs(b));
    },
    accessSync: (p: PathLike) => {
      if (!mem.exists(abs(p))) throw systemError('ENOENT', 'access', shown(p));
    },
    openSync: (p: PathLike, flags: string = 'r') => {
      const target = abs(p);
      if (flags.startsWith('r')) call('open', p, () => mem.read(target));
      else if (flags.startsWith('w')) call('open', p, () => mem.write(target, ''));
      else if (!mem.exists(target)) call('open', p, () => mem.write(target, ''));
      const fd = nextFd++;
      descriptors.set(fd, { path: target, position: 0, append: flags.startsWith('a') });
      return fd;
    },
    writeSync: (fd: number, data: unknown) => {
      const d = descriptor(fd, 'write');
      const bytes = toBytes(data);
      if (d.append || d.position === mem.stat(d.path)?.size) mem.append(d.path, bytes);
      else {
        const old = mem.read(d.path);
        const joined = new Uint8Array(Math.max(old.byteLength, d.position + bytes.byteLength));
        joined.set(old);
        joined.set(bytes, d.position);
        mem.write(d.path, joined);
      }
      d.position += bytes.byteLength;
      return bytes.byteLength;
    },
    closeSync: (fd: number) => {
      descriptor(fd, 'close');
      descriptors.delete(fd);
    },
    fstatSync: (fd: number) => stats(mem.stat(descriptor(fd, 'fstat').path)!),
  };

  const promised = (fn: (...a: never[]) => unknown) => async (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args);
  const promises = {
    readFile: promised(sync.readFileSync),
    writeFile: promised(sync.writeFileSync),
    appendFile: promised(sync.appendFileSync),
    mkdir: promised(sync.mkdirSync),
    readdir: promised(sync.readdirSync),
    stat: promised(sync.statSync),
    lstat: promised(sync.lstatSync),
    rm: promised(sync.rmSync),
    unlink: promised(sync.unlinkSync),
    rmdir: promised(sync.rmdirSync),
    rename: promised(sync.renameSync),
    copyFile: promised(sync.copyFileSync),
    cp: promised(sync.cpSync),
    access: promised(sync.accessSync),
    constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 },
  };
  const callbacks = Object.fromEntries(
    Object.entries(promises)
      .filter(([, fn]) => typeof fn === 'function')
      .map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          const cb = args.pop();
          if (typeof cb !== 'function') {
            const error = new TypeError(`The "cb" argument must be of type function. Received ${cb === undefined ? 'undefined' : typeof cb}`) as TypeError & { code: string };
            error.code = 'ERR_INVALID_ARG_TYPE';
            throw error;
          }
          (fn as (...a: unknown[]) => Promise<unknown>)(...args).then(
            (value) => host.setImmediate(cb as (...a: unknown[]) => void, [null, value]),
            (error) => host.setImmediate(cb as (...a: unknown[]) => void, [error]),
          );
        },
      ]),
  );
  callbacks.exists = (p: unknown, cb: unknown) => void host.setImmediate(cb as (...a: unknown[]) => void, [sync.existsSync(p as PathLike)]);
  const fs = { ...callbacks, ...sync, promises, constants: promises.constants };
  return { fs, promises };
}

export const fsModule = (host: Host): Record<string, unknown> => fsModules(host).fs;
export const fsPromisesModule = (host: Host): Record<string, unknown> => (host.builtin('fs').promises as Record<string, unknown>);
