/**
 * An in-memory POSIX-style file system: absolute paths, files as bytes, folders implied or explicit.
 * Used by the offline runtime (inside its worker, and as the page's copy of the project between runs).
 */

export type FsChange =
  | { op: 'write'; path: string; data: Uint8Array }
  | { op: 'mkdir'; path: string }
  | { op: 'rm'; path: string }
  | { op: 'rename'; path: string; to: string };

export class FsError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path: string;
  constructor(code: string, syscall: string, path: string, text: string) {
    super(`${code}: ${text}, ${syscall} '${path}'`);
    this.code = code;
    this.syscall = syscall;
    this.path = path;
    this.errno = { ENOENT: -2, EEXIST: -17, EISDIR: -21, ENOTDIR: -20, ENOTEMPTY: -39 }[code] ?? -1;
  }
}

const TEXTS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
};
const fail = (code: string, syscall: string, path: string): never => {
  throw new FsError(code, syscall, path, TEXTS[code] ?? code);
};

export function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

const parentOf = (path: string) => (path === '/' ? '/' : normalize(path + '/..'));
const encoder = new TextEncoder();

export interface Stat {
  file: boolean;
  size: number;
  mtimeMs: number;
}

export class MemFS {
  private files = new Map<string, { data: Uint8Array; mtimeMs: number }>();
  private dirs = new Set<string>(['/']);
  /** Called after every change (the worker forwards changes to the page). */
  onChange: ((change: FsChange) => void) | null = null;

  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  stat(path: string): Stat | null {
    const p = normalize(path);
    const file = this.files.get(p);
    if (file) return { file: true, size: file.data.byteLength, mtimeMs: file.mtimeMs };
    if (this.dirs.has(p)) return { file: false, size: 0, mtimeMs: 0 };
    return null;
  }

  isDir(path: string): boolean {
    return this.dirs.has(normalize(path));
  }

  read(path: string): Uint8Array {
    const p = normalize(path);
    const file = this.files.get(p);
    if (!file) return this.dirs.has(p) ? fail('EISDIR', 'read', path) : fail('ENOENT', 'open', path);
    return file.data;
  }

  readText(path: string): string {
    return new TextDecoder().decode(this.read(path));
  }

  write(path: string, data: Uint8Array | string, silent = false): void {
    const p = normalize(path);
    if (this.dirs.has(p)) fail('EISDIR', 'open', path);
    const parent = parentOf(p);
    if (!this.dirs.has(parent)) fail(this.files.has(parent) ? 'ENOTDIR' : 'ENOENT', 'open', path);
    const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
    this.files.set(p, { data: bytes, mtimeMs: Date.now() });
    if (!silent) this.onChange?.({ op: 'write', path: p, data: bytes });
  }

  append(path: string, data: Uint8Array | string): void {
    const add = typeof data === 'string' ? encoder.encode(data) : data;
    const old = this.files.get(normalize(path))?.data ?? new Uint8Array(0);
    const joined = new Uint8Array(old.byteLength + add.byteLength);
    joined.set(old, 0);
    joined.set(add, old.byteLength);
    this.write(path, joined);
  }

  mkdir(path: string, recursive = false, silent = false): void {
    const p = normalize(path);
    if (this.dirs.has(p)) {
      if (recursive) return;
      fail('EEXIST', 'mkdir', path);
    }
    if (this.files.has(p)) fail('EEXIST', 'mkdir', path);
    const parent = parentOf(p);
    if (!this.dirs.has(parent)) {
      if (!recursive) fail('ENOENT', 'mkdir', path);
      this.mkdir(parent, true, silent);
    }
    this.dirs.add(p);
    if (!silent) this.onChange?.({ op: 'mkdir', path: p });
  }

  /** Names in a folder, sorted. */
  readdir(path: string): { name: string; directory: boolean }[] {
    const p = normalize(path);
    if (!this.dirs.has(p)) fail(this.files.has(p) ? 'ENOTDIR' : 'ENOENT', 'scandir', path);
    const prefix = p === '/' ? '/' : p + '/';
    const out = new Map<string, boolean>();
    for (const d of this.dirs) if (d !== p && d.startsWith(prefix) && !d.slice(prefix.length).includes('/')) out.set(d.slice(prefix.length), true);
    for (const f of this.files.keys()) if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) out.set(f.slice(prefix.length), false);
    return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, directory]) => ({ name, directory }));
  }

  rm(path: string, { recursive = false, force = false } = {}, silent = false): void {
    const p = normalize(path);
    if (this.files.delete(p)) {
      if (!silent) this.onChange?.({ op: 'rm', path: p });
      return;
    }
    if (!this.dirs.has(p)) {
      if (force) return;
      fail('ENOENT', 'rm', path);
    }
    const prefix = p + '/';
    const inside = [...this.files.keys(), ...this.dirs].some((x) => x.startsWith(prefix));
    if (inside && !recursive) fail('ENOTEMPTY', 'rmdir', path);
    for (const f of [...this.files.keys()]) if (f.startsWith(prefix)) this.files.delete(f);
    for (const d of [...this.dirs]) if (d.startsWith(prefix)) this.dirs.delete(d);
    if (p !== '/') this.dirs.delete(p);
    if (!silent) this.onChange?.({ op: 'rm', path: p });
  }

  rename(from: string, to: string, silent = false): void {
    const a = normalize(from);
    const b = normalize(to);
    if (!this.exists(a)) fail('ENOENT', 'rename', from);
    if (!this.dirs.has(parentOf(b))) fail('ENOENT', 'rename', to);
    const file = this.files.get(a);
    if (file) {
      this.files.delete(a);
      this.files.set(b, file);
    } else {
      const moved = (x: string) => b + x.slice(a.length);
      for (const [f, v] of [...this.files]) if (f.startsWith(a + '/')) { this.files.delete(f); this.files.set(moved(f), v); }
      for (const d of [...this.dirs]) if (d === a || d.startsWith(a + '/')) { this.dirs.delete(d); this.dirs.add(moved(d)); }
    }
    if (!silent) this.onChange?.({ op: 'rename', path: a, to: b });
  }

  /** Apply a change made elsewhere (in the worker), without announcing it again. */
  apply(change: FsChange): void {
    if (change.op === 'write') {
      this.mkdir(parentOf(change.path), true, true);
      this.write(change.path, change.data, true);
    } else if (change.op === 'mkdir') this.mkdir(change.path, true, true);
    else if (change.op === 'rm') this.rm(change.path, { recursive: true, force: true }, true);
    else this.rename(change.path, change.to, true);
  }

  /** Every folder and file, for sending to a worker. Folders have null data. */
  snapshot(): [string, Uint8Array | null][] {
    return [...[...this.dirs].sort().map((d) => [d, null] as [string, null]), ...[...this.files].map(([p, f]) => [p, f.data] as [string, Uint8Array])];
  }

  static fromSnapshot(entries: [string, Uint8Array | null][]): MemFS {
    const fs = new MemFS();
    for (const [path, data] of entries) {
      if (data === null) fs.mkdir(path, true, true);
      else {
        fs.mkdir(parentOf(normalize(path)), true, true);
        fs.write(path, data, true);
      }
    }
    return fs;
  }
}
