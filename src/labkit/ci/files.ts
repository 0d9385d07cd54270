/**
 * Files of a job's workspace as a map (path → text), and the glob patterns actions use on them (`@actions/glob`:
 * `*` within a folder, `**` across folders, `?` one character, `[…]` a class, a leading `!` excludes; a folder
 * matches everything below it), and `hashFiles()` as the runner computes it: the SHA-256 of the SHA-256 digests of
 * the matching files, in path order; empty when nothing matches.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type FileMap = Record<string, string>;

export function globRegex(pattern: string): RegExp {
  let out = '';
  const p = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  for (let i = 0; i < p.length; i += 1) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        // `**/` may also match no folder at all
        if (p[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = p.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${p.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^$|(){}\\/]/g, '\\$&');
  }
  // A pattern that names a folder includes everything below it.
  return new RegExp(`^${out}(?:/.*)?$`);
}

/** The paths (sorted) that the patterns select; patterns starting with `!` remove what earlier ones added. */
export function matchFiles(paths: Iterable<string>, patterns: string[]): string[] {
  const out: string[] = [];
  const rules = patterns
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'))
    .map((p) => ({ negative: p.startsWith('!'), regex: globRegex(p.replace(/^!/, '')) }));
  for (const path of paths) {
    let selected = false;
    for (const rule of rules) if (rule.regex.test(path)) selected = !rule.negative;
    if (selected) out.push(path);
  }
  return out.sort();
}

export const sha256Hex = (text: string | Uint8Array): string => bytesToHex(sha256(typeof text === 'string' ? new TextEncoder().encode(text) : text));

/** `hashFiles(patterns…)`: '' when no file matches. */
export function hashFiles(files: FileMap, patterns: string[]): string {
  const matched = matchFiles(Object.keys(files), patterns);
  if (!matched.length) return '';
  const digests = matched.map((path) => sha256(new TextEncoder().encode(files[path]!)));
  const joined = new Uint8Array(digests.length * 32);
  digests.forEach((d, i) => joined.set(d, i * 32));
  return bytesToHex(sha256(joined));
}

/** A stable digest of a set of files (paths and contents), for artifacts and cache entries. */
export function digestFiles(files: FileMap): string {
  return sha256Hex(Object.keys(files).sort().map((p) => `${p}\0${sha256Hex(files[p]!)}`).join('\n'));
}

/** The longest folder all paths share ('' when none). */
export function commonFolder(paths: string[]): string {
  if (!paths.length) return '';
  const split = paths.map((p) => p.split('/').slice(0, -1));
  const first = split[0]!;
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n += 1;
  return first.slice(0, n).join('/');
}
