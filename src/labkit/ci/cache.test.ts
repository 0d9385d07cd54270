/** actions/cache semantics, one test each: exact hit, prefix restore, most recent wins, immutable, key limits, scopes. */
import { describe, expect, it } from 'vitest';
import { CacheKeyError, emptyCache, readableScopes, restoreEntry, saveEntry } from './cache.ts';

const MAIN = 'refs/heads/main';
const LIMIT = 1_000_000;
const paths = ['models'];

function store() {
  const state = emptyCache();
  saveEntry(state, 'model-linux-aaa', paths, MAIN, { 'models/a.json': 'A' }, LIMIT);
  saveEntry(state, 'model-linux-bbb', paths, MAIN, { 'models/b.json': 'B' }, LIMIT);
  saveEntry(state, 'model-mac-ccc', paths, MAIN, { 'models/c.json': 'C' }, LIMIT);
  return state;
}

describe('actions/cache', () => {
  it('an exact key match is a hit (cache-hit true)', () => {
    const r = restoreEntry(store(), 'model-linux-aaa', ['model-'], paths, [MAIN]);
    expect(r.exact).toBe(true);
    expect(r.entry!.files).toEqual({ 'models/a.json': 'A' });
  });

  it('restore-keys match as prefixes, in order: the first restore key that matches wins', () => {
    const r = restoreEntry(store(), 'model-linux-zzz', ['model-mac-', 'model-'], paths, [MAIN]);
    expect(r.exact).toBe(false);
    expect(r.entry!.key).toBe('model-mac-ccc');
  });

  it('among several prefix matches the most recently created entry is restored', () => {
    const r = restoreEntry(store(), 'model-linux-zzz', ['model-linux-'], paths, [MAIN]);
    expect(r.entry!.key).toBe('model-linux-bbb');
  });

  it('the key itself is tried as a prefix before the restore keys', () => {
    const r = restoreEntry(store(), 'model-linux', ['model-mac-'], paths, [MAIN]);
    expect(r.entry!.key).toBe('model-linux-bbb');
    expect(r.exact).toBe(false);
  });

  it('entries are immutable: saving an existing key in the same scope is refused and keeps the old contents', () => {
    const state = store();
    const result = saveEntry(state, 'model-linux-aaa', paths, MAIN, { 'models/a.json': 'NEW' }, LIMIT);
    expect(result.saved).toBe(false);
    expect(result.saved === false && result.reason).toMatch(/immutable/);
    expect(restoreEntry(state, 'model-linux-aaa', [], paths, [MAIN]).entry!.files['models/a.json']).toBe('A');
  });

  it('a key longer than 512 characters, or with a comma, is refused', () => {
    expect(() => restoreEntry(store(), 'k'.repeat(513), [], paths, [MAIN])).toThrow(/cannot be larger than 512 characters/);
    expect(() => saveEntry(emptyCache(), 'k'.repeat(513), paths, MAIN, { 'models/a': 'x' }, LIMIT)).toThrow(CacheKeyError);
    expect(() => restoreEntry(store(), 'a,b', [], paths, [MAIN])).toThrow(/cannot contain commas/);
    expect(restoreEntry(store(), 'k'.repeat(512), [], paths, [MAIN]).entry).toBeNull();
    expect(() => restoreEntry(store(), 'k', Array.from({ length: 10 }, (_, i) => `r${i}`), paths, [MAIN])).toThrow(/maximum of 10/);
  });

  it('only entries saved with the same paths match (the cache version)', () => {
    expect(restoreEntry(store(), 'model-linux-aaa', [], ['other'], [MAIN]).entry).toBeNull();
  });

  it('a pull request reads its own scope, then its base branch and the default branch; a branch never reads another branch', () => {
    const state = store();
    saveEntry(state, 'model-feature-x', paths, 'refs/heads/feature', { 'models/f.json': 'F' }, LIMIT);
    const pr = readableScopes('refs/pull/1/merge', 'main', 'main');
    expect(pr).toEqual(['refs/pull/1/merge', MAIN]);
    expect(restoreEntry(state, 'model-linux-aaa', [], paths, pr).exact).toBe(true);
    expect(restoreEntry(state, 'model-feature-x', [], paths, readableScopes('refs/heads/other', null, 'main')).entry).toBeNull();
  });

  it('when the store is full the least recently used entries go first', () => {
    const state = emptyCache();
    saveEntry(state, 'a', paths, MAIN, { 'models/a': 'x'.repeat(40) }, 100);
    saveEntry(state, 'b', paths, MAIN, { 'models/b': 'x'.repeat(40) }, 100);
    restoreEntry(state, 'a', [], paths, [MAIN]);
    const result = saveEntry(state, 'c', paths, MAIN, { 'models/c': 'x'.repeat(40) }, 100);
    expect(result.saved && result.evicted).toEqual(['b']);
    expect(state.entries.map((e) => e.key)).toEqual(['a', 'c']);
  });
});
