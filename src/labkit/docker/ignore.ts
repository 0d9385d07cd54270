/**
 * `.dockerignore`, as the Docker build context documentation describes it: one pattern per line; a line whose first
 * character is `#` is a comment; surrounding white space is removed and the pattern is cleaned (`.` and `..`
 * elements, a leading `/`); patterns use Go's `filepath.Match` syntax (`*`, `?`, `[…]`, `\` escapes) plus `**`,
 * which matches any number of directories (zero included); a pattern that matches a directory excludes everything
 * in it; a line starting with `!` makes an exception; the last line that matches a path decides.
 */

export interface IgnorePattern {
  line: number;
  text: string;
  pattern: string;
  exception: boolean;
  regex: RegExp;
}

export interface IgnoreProblem {
  line: number;
  message: string;
}

export interface IgnoreRules {
  patterns: IgnorePattern[];
  problems: IgnoreProblem[];
}

/** Go's path.Clean for a slash-separated, relative path. */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length && out.at(-1) !== '..') out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/') || '.';
}

/** A pattern as a regular expression over a whole slash-separated path. Throws on a malformed class. */
function patternRegex(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) throw new Error('a "[" starts a character class that is never closed');
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\(.)/g, '\\$1').replace(/\//g, '')}]`;
      i = close;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) throw new Error('the pattern ends with an escape character');
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

export function parseIgnore(text: string): IgnoreRules {
  const patterns: IgnorePattern[] = [];
  const problems: IgnoreProblem[] = [];
  text.replace(/\r\n?/g, '\n').split('\n').forEach((raw, index) => {
    if (raw.startsWith('#')) return;
    let p = raw.trim();
    if (!p) return;
    const exception = p.startsWith('!');
    if (exception) p = p.slice(1).trim();
    if (!p) {
      problems.push({ line: index + 1, message: 'an exception "!" with no pattern after it' });
      return;
    }
    let cleaned = cleanPath(p.replace(/^\/+/, ''));
    if (cleaned === '.') cleaned = '';
    try {
      patterns.push({ line: index + 1, text: raw, pattern: cleaned, exception, regex: cleaned ? patternRegex(cleaned) : /^$/ });
    } catch (error) {
      problems.push({ line: index + 1, message: `"${p}" is not a valid pattern: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
  return { patterns, problems };
}

/** The pattern that decides about a path (the last that matches it or one of its parent directories), or null. */
export function decidingPattern(rules: IgnoreRules, path: string): IgnorePattern | null {
  const clean = cleanPath(path);
  const parents: string[] = [];
  const parts = clean.split('/');
  for (let k = 1; k <= parts.length; k++) parents.push(parts.slice(0, k).join('/'));
  let decided: IgnorePattern | null = null;
  for (const p of rules.patterns) {
    if (!p.pattern) continue;
    if (parents.some((candidate) => p.regex.test(candidate))) decided = p;
  }
  return decided;
}

export function isIgnored(rules: IgnoreRules, path: string): boolean {
  const p = decidingPattern(rules, path);
  return !!p && !p.exception;
}
