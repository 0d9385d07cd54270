/**
 * The cache service behind `actions/cache`, with the documented semantics ("Caching dependencies to speed up
 * workflows", actions/cache README):
 * - a restore looks for an exact match of `key` (cache-hit=true), then for entries whose key starts with `key`,
 *   then with each `restore-keys` entry in order; among several prefix matches the most recently created wins;
 *   all of that first in the run's own branch scope, then in the base branch (pull requests) and the default branch;
 * - only entries saved with the same `path` list (the cache version) match;
 * - an entry is immutable: saving a key that exists in the scope fails, and the post step does not save after an
 *   exact hit;
 * - a key has at most 512 characters and no comma; at most 10 keys per restore.
 * Entries are plain data (kept in the lab's state); the least recently used go first when the store is full.
 */
import { digestFiles, sha256Hex, type FileMap } from './files.ts';

export const MAX_KEY_LENGTH = 512;
export const MAX_KEYS = 10;

export interface CacheEntry {
  key: string;
  /** Derived from the `path` input: entries only match restores with the same paths. */
  version: string;
  /** The branch scope (`refs/heads/main`, `refs/pull/1/merge`). */
  scope: string;
  /** Creation order: larger is more recent. */
  created: number;
  lastUsed: number;
  files: FileMap;
  size: number;
  digest: string;
}

export interface CacheState {
  entries: CacheEntry[];
  /** A logical clock: creation and use order (no wall time, so the same runs give the same state). */
  clock: number;
}

export const emptyCache = (): CacheState => ({ entries: [], clock: 0 });

export class CacheKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheKeyError';
  }
}

export function checkKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH) throw new CacheKeyError(`Key Validation Error: ${key} cannot be larger than ${MAX_KEY_LENGTH} characters.`);
  if (key.includes(',')) throw new CacheKeyError(`Key Validation Error: ${key} cannot contain commas.`);
}

export const cacheVersion = (paths: string[]): string => sha256Hex([...paths, 'gzip', '1.0'].join('|'));

export interface RestoreResult {
  entry: CacheEntry | null;
  exact: boolean;
}

/** The scopes a run may read, its own first. */
export function readableScopes(ref: string, baseRef: string | null, defaultBranch: string): string[] {
  return [...new Set([ref, ...(baseRef ? [`refs/heads/${baseRef}`] : []), `refs/heads/${defaultBranch}`])];
}

/** Find the entry a restore gets; marks it used. Throws CacheKeyError for a key GitHub refuses. */
export function restoreEntry(state: CacheState, key: string, restoreKeys: string[], paths: string[], scopes: string[]): RestoreResult {
  const keys = [key, ...restoreKeys];
  if (keys.length > MAX_KEYS) throw new CacheKeyError(`Key Validation Error: Keys are limited to a maximum of ${MAX_KEYS}.`);
  for (const k of keys) checkKey(k);
  const version = cacheVersion(paths);
  for (const scope of scopes) {
    const candidates = state.entries.filter((e) => e.scope === scope && e.version === version);
    const exact = candidates.find((e) => e.key === key);
    const found = exact ?? keys.map((prefix) => mostRecent(candidates.filter((e) => e.key.startsWith(prefix)))).find(Boolean) ?? null;
    if (found) {
      state.clock += 1;
      found.lastUsed = state.clock;
      return { entry: found, exact: found.key === key };
    }
  }
  return { entry: null, exact: false };
}

const mostRecent = (entries: CacheEntry[]) => entries.reduce<CacheEntry | null>((best, e) => (!best || e.created > best.created ? e : best), null);

export type SaveResult = { saved: true; entry: CacheEntry; evicted: string[] } | { saved: false; reason: string };

/** Save an entry; an existing key in the scope is never replaced (caches are immutable). */
export function saveEntry(state: CacheState, key: string, paths: string[], scope: string, files: FileMap, limitBytes: number): SaveResult {
  checkKey(key);
  const version = cacheVersion(paths);
  if (state.entries.some((e) => e.key === key && e.version === version && e.scope === scope)) {
    return { saved: false, reason: `Failed to save: a cache entry with key ${key} already exists in ${scope}; cache entries are immutable, so change the key to store new contents.` };
  }
  const size = Object.values(files).reduce((n, text) => n + text.length, 0);
  if (!Object.keys(files).length) return { saved: false, reason: `Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.` };
  if (size > limitBytes) return { saved: false, reason: `Cache size of ${size} B is over the lab's limit of ${limitBytes} B; nothing was saved.` };
  const evicted: string[] = [];
  const total = () => state.entries.reduce((n, e) => n + e.size, 0);
  while (state.entries.length && total() + size > limitBytes) {
    const oldest = state.entries.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
    state.entries = state.entries.filter((e) => e !== oldest);
    evicted.push(oldest.key);
  }
  state.clock += 1;
  const entry: CacheEntry = { key, version, scope, created: state.clock, lastUsed: state.clock, files, size, digest: digestFiles(files) };
  state.entries.push(entry);
  return { saved: true, entry, evicted };
}
