/**
 * An in-memory POSIX-style file system: absolute paths, files as bytes, folders implied or explicit.
 * Used by the offline runtime (inside its worker, and as the page's copy of the project between runs).
 *
 * - Appending grows a file in place (its buffer doubles when full), so a log written line by line costs time in
 *   proportion to its length, not to its length squared.
 * - Every change is announced (`onChange`), appends as the bytes added, so the worker can send the page deltas.
 * - `limitBytes` caps the bytes all files hold together: past it a write fails with ENOSPC.
 * - Large files can be kept as Blobs (`largeFileBytes`): the page passes them to each run's worker by reference
 *   instead of copying them, and the worker reads one only when the program does (`readBlobSync`).
 */

export type FsChange =
  | { op: 'write'; path: string; data: Uint8Array }
  | { op: 'append'; path: string; data: Uint8Array }
  | { op: 'mkdir'; path: string }
  | { op: 'rm'; path: string }
  | { op: 'rename'; path: string; to: string };

/** One entry of a snapshot: a folder (null), a file's bytes, or a large file kept as a Blob. */
export type SnapshotEntry = [string, Uint8Array | Blob | null];

export class FsError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path: string;
  constructor(code: string, syscall: string, path: string, text: string = TEXTS[code] ?? code) {
    super(`${code}: ${text}, ${syscall} '${path}'`);
    this.code = code;
    this.syscall = syscall;
    this.path = path;
    this.errno = ERRNO[code] ?? -1;
  }
}

/** Node's errno and message for each error code the file system raises. */
export const ERRNO: Record<string, number> = { ENOENT: -2, EEXIST: -17, EISDIR: -21, ENOTDIR: -20, ENOTEMPTY: -39, ENOSPC: -28, EBADF: -9 };
export const TEXTS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  ENOSPC: 'no space left on device',
  EBADF: 'bad file descriptor',
};
const fail = (code: string, syscall: string, path: string): never => {
  throw new FsError(code, syscall, path);
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
const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

export interface Stat {
  file: boolean;
  size: number;
  mtimeMs: number;
}

interface FileEntry {
  /** The file's bytes are `bytes[0..size)`; the buffer may be larger, to append in place. */
  bytes: Uint8Array | null;
  /** A large file not read yet (in a worker) or kept out of the page's memory (on the page). */
  blob: Blob | null;
  size: number;
  mtimeMs: number;
}

export interface MemFSOptions {
  /** Bytes all files may hold together (default: no limit). */
  limitBytes?: number;
  /** Files at least this large are kept as Blobs (default: never). */
  largeFileBytes?: number;
  /** Reads a Blob synchronously (FileReaderSync in a Web Worker); without it, Blob files cannot be read. */
  readBlobSync?: (blob: Blob) => Uint8Array;
}

export class MemFS {
  private files = new Map<string, FileEntry>();
  private dirs = new Set<string>(['/']);
  private used = 0;
  private options: MemFSOptions;
  /** Called after every change (the worker forwards changes to the page). */
  onChange: ((change: FsChange) => void) | null = null;

  constructor(options: MemFSOptions = {}) {
    this.options = options;
  }

  /** Bytes all files hold together. */
  get usedBytes(): number {
    return this.used;
  }

  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  stat(path: string): Stat | null {
    const p = normalize(path);
    const file = this.files.get(p);
    if (file) return { file: true, size: file.size, mtimeMs: file.mtimeMs };
    if (this.dirs.has(p)) return { file: false, size: 0, mtimeMs: 0 };
    return null;
  }

  isDir(path: string): boolean {
    return this.dirs.has(normalize(path));
  }

  /** A file's bytes (a view of the stored bytes: copy before handing them to a program). */
  read(path: string): Uint8Array {
    const p = normalize(path);
    const file = this.files.get(p);
    if (!file) return this.dirs.has(p) ? fail('EISDIR', 'read', path) : fail('ENOENT', 'open', path);
    if (!file.bytes && file.blob) {
      if (!this.options.readBlobSync) throw new Error(`${path} is kept as a Blob here; read it with readAsync()`);
      file.bytes = this.options.readBlobSync(file.blob);
      file.blob = null;
    }
    return file.bytes!.subarray(0, file.size);
  }

  /** A file's bytes, from a Blob where the file is kept as one (the page's side). */
  async readAsync(path: string): Promise<Uint8Array> {
    const file = this.files.get(normalize(path));
    if (file?.blob && !file.bytes) return new Uint8Array(await file.blob.arrayBuffer());
    return this.read(path);
  }

  readText(path: string): string {
    return new TextDecoder().decode(this.read(path));
  }

  private writable(path: string, p: string): void {
    if (this.dirs.has(p)) fail('EISDIR', 'open', path);
    const parent = parentOf(p);
    if (!this.dirs.has(parent)) fail(this.files.has(parent) ? 'ENOTDIR' : 'ENOENT', 'open', path);
  }

  private reserve(path: string, oldSize: number, newSize: number): void {
    const limit = this.options.limitBytes ?? Infinity;
    if (this.used - oldSize + newSize > limit) {
      const error = new FsError('ENOSPC', 'write', path);
      error.message += ` (the offline runtime keeps at most ${megabytes(limit)} of files in memory)`;
      throw error;
    }
    this.used += newSize - oldSize;
  }

  private keep(bytes: Uint8Array, size: number): Pick<FileEntry, 'bytes' | 'blob'> {
    const large = this.options.largeFileBytes;
    if (large !== undefined && size >= large && typeof Blob === 'function') {
      return { bytes: null, blob: new Blob([bytes.subarray(0, size) as Uint8Array<ArrayBuffer>]) };
    }
    return { bytes, blob: null };
  }

  write(path: string, data: Uint8Array | string, silent = false): void {
    this.put(path, typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data), silent);
  }

  /** Store bytes the file system may keep (no copy). */
  private put(path: string, bytes: Uint8Array, silent: boolean): void {
    const p = normalize(path);
    this.writable(path, p);
    this.reserve(path, this.files.get(p)?.size ?? 0, bytes.byteLength);
    this.files.set(p, { ...this.keep(bytes, bytes.byteLength), size: bytes.byteLength, mtimeMs: Date.now() });
    if (!silent) this.onChange?.({ op: 'write', path: p, data: bytes });
  }

  append(path: string, data: Uint8Array | string, silent = false): void {
    const p = normalize(path);
    const file = this.files.get(p);
    if (!file) return this.write(path, data, silent);
    this.writable(path, p);
    const add = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
    const size = file.size + add.byteLength;
    this.reserve(path, file.size, size);
    if (file.blob && !file.bytes) {
      file.blob = new Blob([file.blob, add as Uint8Array<ArrayBuffer>]);
    } else {
      let bytes = file.bytes!;
      if (size > bytes.byteLength) {
        const grown = new Uint8Array(Math.max(size, bytes.byteLength * 2, 64));
        grown.set(bytes.subarray(0, file.size));
        bytes = grown;
      }
      bytes.set(add, file.size);
      Object.assign(file, this.keep(bytes, size));
    }
    file.size = size;
    file.mtimeMs = Date.now();
    if (!silent) this.onChange?.({ op: 'append', path: p, data: add });
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

  private drop(p: string): boolean {
    const file = this.files.get(p);
    if (!file) return false;
    this.used -= file.size;
    return this.files.delete(p);
  }

  rm(path: string, { recursive = false, force = false } = {}, silent = false): void {
    const p = normalize(path);
    if (this.drop(p)) {
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
    for (const f of [...this.files.keys()]) if (f.startsWith(prefix)) this.drop(f);
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
      this.drop(b);
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
    if (change.op === 'write' || change.op === 'append') {
      this.mkdir(parentOf(normalize(change.path)), true, true);
      if (change.op === 'write') this.put(change.path, change.data, true);
      else this.append(change.path, change.data, true);
    } else if (change.op === 'mkdir') this.mkdir(change.path, true, true);
    else if (change.op === 'rm') this.rm(change.path, { recursive: true, force: true }, true);
    else this.rename(change.path, change.to, true);
  }

  /** Every folder and file, for sending to a worker: folders have null data; large files go as Blobs. */
  snapshot(): SnapshotEntry[] {
    const dirs = [...this.dirs].sort().map((d): SnapshotEntry => [d, null]);
    const files = [...this.files].map(([p, f]): SnapshotEntry => [p, f.blob && !f.bytes ? f.blob : f.bytes!.subarray(0, f.size)]);
    return [...dirs, ...files];
  }

  static fromSnapshot(entries: SnapshotEntry[], options: MemFSOptions = {}): MemFS {
    const fs = new MemFS(options);
    for (const [path, data] of entries) {
      if (data === null) fs.mkdir(path, true, true);
      else {
        const p = normalize(path);
        fs.mkdir(parentOf(p), true, true);
        if (data instanceof Uint8Array) fs.put(p, data, true);
        else {
          fs.reserve(path, 0, data.size);
          fs.files.set(p, { bytes: null, blob: data, size: data.size, mtimeMs: Date.now() });
        }
      }
    }
    return fs;
  }
}

/** True when a worker message's change has the shape of an FsChange (the page does not trust what it receives). */
export function isFsChange(value: unknown): value is FsChange {
  if (!value || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  if (typeof c.path !== 'string' || !c.path.startsWith('/')) return false;
  if (c.op === 'write' || c.op === 'append') return c.data instanceof Uint8Array;
  if (c.op === 'rename') return typeof c.to === 'string' && c.to.startsWith('/');
  return c.op === 'mkdir' || c.op === 'rm';
}
