/**
 * The simulated image file system: entries by absolute path, stacked in layers like an OCI image. A layer holds
 * the entries an instruction added or changed and a whiteout for each path it deleted, so a file removed in a later
 * layer is still in the earlier layer's bytes: that is the "wasted space" dive shows.
 *
 * Files copied from the build context carry their real text; what the simulated package world installs is a
 * `bundle`: one entry standing for a package's files, with the total size and a content digest.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** What an executable does when the simulator runs it. */
export type Tool =
  | { kind: 'python'; version: string; prefix: string; home?: string }
  | { kind: 'pip'; version: string; prefix: string }
  | { kind: 'script'; module: string; prefix: string; version: string }
  | { kind: 'shell' }
  | { kind: 'program'; name: string };

export interface Entry {
  kind: 'file' | 'dir' | 'link' | 'bundle';
  size: number;
  /** Identity of the content (hex); equal digests mean equal bytes. */
  digest: string;
  mode: number;
  uid: number;
  gid: number;
  /** The real text, when the simulator knows it (context files, files written with echo). */
  text?: string;
  /** A symbolic link's target. */
  target?: string;
  /** What a bundle stands for ("numpy 2.1.3 (pip)"). */
  label?: string;
  tool?: Tool;
  /** Where the entry came from, for the OCI stand-in text and the layer view. */
  origin?: string;
}

export const WHITEOUT = 'whiteout' as const;
export type LayerEntry = Entry | typeof WHITEOUT;

/** A layer's changes, by path. */
export type LayerChanges = Map<string, LayerEntry>;

export type Fs = Map<string, Entry>;

export const hex = (text: string) => bytesToHex(sha256(utf8ToBytes(text)));
export const digestOf = (text: string) => hex(text);

/** Normalizes an absolute path: `/a/./b/../c/` → `/a/c`. */
export function normalize(path: string, cwd = '/'): string {
  const absolute = path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`;
  const out: string[] = [];
  for (const part of absolute.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export const parentOf = (path: string) => (path === '/' ? '/' : path.slice(0, path.lastIndexOf('/')) || '/');
export const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
export const isUnder = (path: string, dir: string) => dir === '/' || path === dir || path.startsWith(`${dir}/`);

export function file(text: string, extra: Partial<Entry> = {}): Entry {
  return { kind: 'file', size: utf8ToBytes(text).length, digest: hex(text), mode: 0o644, uid: 0, gid: 0, text, ...extra };
}

export function dir(extra: Partial<Entry> = {}): Entry {
  return { kind: 'dir', size: 0, digest: 'dir', mode: 0o755, uid: 0, gid: 0, ...extra };
}

export function bundle(label: string, size: number, identity: string, extra: Partial<Entry> = {}): Entry {
  return { kind: 'bundle', size: Math.round(size), digest: hex(`bundle:${identity}`), mode: 0o755, uid: 0, gid: 0, label, ...extra };
}

/** Applies a layer's changes to a file system (whiteouts delete the path and everything under it). */
export function applyLayer(fs: Fs, changes: LayerChanges): void {
  for (const [path, entry] of changes) {
    if (entry === WHITEOUT) {
      for (const p of [...fs.keys()]) if (isUnder(p, path)) fs.delete(p);
    } else fs.set(path, entry);
  }
}

const sameEntry = (a: Entry, b: Entry) => a.kind === b.kind && a.digest === b.digest && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.target === b.target;

/**
 * The layer an instruction produced: what differs between the file system before and after it. A deleted
 * directory becomes one whiteout, not one per file.
 */
export function diff(before: Fs, after: Fs): LayerChanges {
  const changes: LayerChanges = new Map();
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old || !sameEntry(old, entry)) changes.set(path, entry);
  }
  const deleted = [...before.keys()].filter((p) => !after.has(p)).sort();
  for (const path of deleted) {
    const covered = [...changes.entries()].some(([p, e]) => e === WHITEOUT && isUnder(path, p));
    if (!covered) changes.set(path, WHITEOUT);
  }
  return changes;
}

export const layerSize = (changes: LayerChanges) => [...changes.values()].reduce((n, e) => n + (e === WHITEOUT ? 0 : e.size), 0);

/** Directories an entry needs: `/a/b/c` → `/a`, `/a/b`. */
export function ensureParents(fs: Fs, path: string, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): void {
  let p = parentOf(path);
  const missing: string[] = [];
  while (p !== '/' && !fs.has(p)) {
    missing.push(p);
    p = parentOf(p);
  }
  for (const m of missing.reverse()) fs.set(m, dir(owner));
}

/** Whether a path exists, and whether it lies inside a bundle (whose inner files the simulator does not model). */
export function lookup(fs: Fs, path: string): { entry?: Entry; insideBundle?: string } {
  const entry = fs.get(path);
  if (entry) return { entry };
  let p = parentOf(path);
  while (p !== '/') {
    const e = fs.get(p);
    if (e) return e.kind === 'bundle' ? { insideBundle: p } : {};
    p = parentOf(p);
  }
  return {};
}

/** Every entry at or under a path. */
export const entriesUnder = (fs: Fs, path: string) => [...fs.entries()].filter(([p]) => isUnder(p, path));

/** A symbolic link resolved (up to 16 hops), or the path itself. */
export function resolveLink(fs: Fs, path: string): string {
  let p = path;
  for (let hops = 0; hops < 16; hops++) {
    const e = fs.get(p);
    if (e?.kind !== 'link' || !e.target) return p;
    p = normalize(e.target, parentOf(p));
  }
  return p;
}

export interface Waste {
  /** The layer (index) whose bytes are hidden. */
  layer: number;
  path: string;
  size: number;
  /** Deleted, or replaced by a later layer. */
  how: 'deleted' | 'replaced';
  /** The layer that deleted or replaced it. */
  by: number;
  label?: string;
}

/**
 * Bytes that ship in an image but are not visible in its final file system: an entry a later layer deletes or
 * replaces. (dive reports the same problem as "potential wasted space"; it counts every copy of a path that occurs
 * in more than one layer, this counts only the hidden copies.)
 */
export function wasteOf(layers: readonly LayerChanges[]): Waste[] {
  const waste: Waste[] = [];
  layers.forEach((layer, index) => {
    for (const [path, entry] of layer) {
      if (entry === WHITEOUT || entry.size === 0) continue;
      for (let later = index + 1; later < layers.length; later++) {
        const upper = layers[later]!;
        const replaced = upper.get(path);
        if (replaced && replaced !== WHITEOUT) {
          waste.push({ layer: index, path, size: entry.size, how: 'replaced', by: later, label: entry.label });
          break;
        }
        const deletedBy = [...upper.entries()].find(([p, e]) => e === WHITEOUT && isUnder(path, p));
        if (deletedBy || replaced === WHITEOUT) {
          waste.push({ layer: index, path, size: entry.size, how: 'deleted', by: later, label: entry.label });
          break;
        }
      }
    }
  });
  return waste;
}

/** Human sizes as Docker prints them (decimal units: 1 MB = 1,000,000 bytes). */
export function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}${units[unit]}`;
}
