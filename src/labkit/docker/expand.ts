/**
 * Variable substitution in Dockerfile instructions, as the Dockerfile reference describes it (section
 * "Environment replacement"): `$name` and `${name}`, the modifiers `${name:-word}`, `${name:+word}`, their forms
 * without the colon, `${name:?message}`, the pattern forms `${name#p}`, `${name##p}`, `${name%p}`, `${name%%p}`,
 * `${name/p/r}` and `${name//p/r}`; single quotes keep text literal, double quotes allow substitution, the escape
 * character makes the next character literal. Quotes are removed from the result, as BuildKit does for ADD, COPY,
 * ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME and WORKDIR.
 */

export interface Expansion {
  value: string;
  /** Every variable the word names, in order (also those inside modifiers). */
  names: string[];
  /** Variables named but unset where no default applied. */
  undefined: string[];
  /** A `${name:?message}` that fired, or text that is not valid substitution. */
  error?: string;
}

/** A variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** A shell glob as a regular expression (`*`, `?`, `[...]`), for the pattern modifiers. */
function globRegex(pattern: string, greedy: boolean): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += greedy ? '.*' : '.*?';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close > i) {
        out += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      } else out += '\\[';
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

export function expandWord(word: string, lookup: Lookup, escape = '\\'): Expansion {
  const names: string[] = [];
  const undef: string[] = [];
  let error: string | undefined;
  let i = 0;

  const variable = (): string => {
    // at '$'
    i++;
    if (word[i] === '{') {
      const close = matchingBrace(word, i);
      if (close < 0) {
        error ??= `missing "}" in ${word}`;
        i = word.length;
        return '';
      }
      const body = word.slice(i + 1, close);
      i = close + 1;
      return braced(body);
    }
    const m = NAME.exec(word.slice(i));
    if (!m) return '$';
    i += m[0].length;
    names.push(m[0]);
    const v = lookup(m[0]);
    if (v === undefined) undef.push(m[0]);
    return v ?? '';
  };

  const sub = (text: string) => {
    const r = expandWord(text, lookup, escape);
    names.push(...r.names);
    undef.push(...r.undefined);
    error ??= r.error;
    return r.value;
  };

  const braced = (body: string): string => {
    const m = NAME.exec(body);
    if (!m) {
      error ??= `bad substitution: \${${body}}`;
      return '';
    }
    const name = m[0];
    names.push(name);
    const op = body.slice(name.length);
    const v = lookup(name);
    if (!op) {
      if (v === undefined) undef.push(name);
      return v ?? '';
    }
    const two = op.slice(0, 2);
    if (two === ':-' || two === ':+' || two === ':?' || two === '##' || two === '%%' || two === '//') return modifier(name, v, two, op.slice(2));
    return modifier(name, v, op[0]!, op.slice(1));
  };

  const modifier = (name: string, v: string | undefined, op: string, arg: string): string => {
    switch (op) {
      case ':-':
        return v === undefined || v === '' ? sub(arg) : v;
      case '-':
        return v === undefined ? sub(arg) : v;
      case ':+':
        return v !== undefined && v !== '' ? sub(arg) : '';
      case '+':
        return v !== undefined ? sub(arg) : '';
      case ':?':
      case '?':
        if (v === undefined || (op === ':?' && v === '')) {
          error ??= `${name}: ${sub(arg) || 'is not set'}`;
          return '';
        }
        return v;
      case '#':
      case '##': {
        if (v === undefined) undef.push(name);
        const re = new RegExp(`^${globRegex(sub(arg), op === '##')}`);
        return (v ?? '').replace(re, '');
      }
      case '%':
      case '%%': {
        if (v === undefined) undef.push(name);
        const value = v ?? '';
        // Shortest (or longest) suffix that matches.
        const pattern = new RegExp(`^(?:${globRegex(sub(arg), true)})$`);
        const order = op === '%' ? [...Array(value.length + 1).keys()].reverse() : [...Array(value.length + 1).keys()];
        for (const k of order) if (pattern.test(value.slice(k))) return value.slice(0, k);
        return value;
      }
      case '/':
      case '//': {
        if (v === undefined) undef.push(name);
        const slash = arg.indexOf('/');
        const pat = slash < 0 ? arg : arg.slice(0, slash);
        const rep = slash < 0 ? '' : arg.slice(slash + 1);
        const re = new RegExp(globRegex(sub(pat), true), op === '//' ? 'g' : '');
        return (v ?? '').replace(re, () => sub(rep));
      }
      default:
        error ??= `bad substitution: \${${name}${op}${arg}}`;
        return '';
    }
  };

  let value = '';
  while (i < word.length) {
    const c = word[i]!;
    if (c === escape) {
      if (i + 1 < word.length) value += word[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = word.indexOf("'", i + 1);
      if (close < 0) {
        error ??= `unexpected end of text: the single quote is never closed in ${word}`;
        value += word.slice(i + 1);
        break;
      }
      value += word.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < word.length) {
        const d = word[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === escape && i + 1 < word.length && ['"', '$', escape].includes(word[i + 1]!)) {
          value += word[i + 1];
          i += 2;
          continue;
        }
        if (d === '$') {
          value += variable();
          continue;
        }
        value += d;
        i++;
      }
      if (!closed) error ??= `unexpected end of text: the double quote is never closed in ${word}`;
      continue;
    }
    if (c === '$') {
      value += variable();
      continue;
    }
    value += c;
    i++;
  }
  return { value, names, undefined: [...new Set(undef)], ...(error ? { error } : {}) };
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '{') depth++;
    else if (text[k] === '}' && --depth === 0) return k;
  }
  return -1;
}

/** Names of variables a text refers to without expanding it (`$X`, `${X…}`), ignoring single-quoted parts. */
export function referencedNames(text: string): string[] {
  return expandWord(text, () => '').names;
}

/**
 * `KEY=value` pairs as ENV, LABEL and ARG write them (several per line, quoted values allowed), or the legacy
 * `ENV KEY value` form. Values are expanded with `lookup`; each pair sees the pairs before it on the same line only
 * where Docker says so (it does not: one ENV line expands every value with the environment from before the line).
 */
export interface Pair {
  key: string;
  /** The value as written, before expansion (null for `ARG NAME` without a default). */
  raw: string | null;
  legacy: boolean;
}

export function parsePairs(args: string, allowBare: boolean, escape = '\\'): { pairs: Pair[]; error?: string } {
  const words = splitRespectingQuotes(args, escape);
  if (!words.length) return { pairs: [], error: 'needs at least one argument' };
  if (!words[0]!.includes('=')) {
    if (allowBare) return { pairs: words.map((w) => ({ key: w, raw: null, legacy: false })) };
    // Legacy form: ENV KEY value with spaces.
    const rest = args.trim().slice(words[0]!.length).trim();
    if (!rest) return { pairs: [], error: `${words[0]} needs a value: write ${words[0]}=value` };
    return { pairs: [{ key: words[0]!, raw: rest, legacy: true }] };
  }
  const pairs: Pair[] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 0) {
      if (allowBare) pairs.push({ key: w, raw: null, legacy: false });
      else return { pairs, error: `"${w}" is not KEY=value; mixing the two forms is not allowed` };
    } else if (eq === 0) return { pairs, error: `"${w}" has no name before "="` };
    else pairs.push({ key: w.slice(0, eq), raw: w.slice(eq + 1), legacy: false });
  }
  return { pairs };
}

function splitRespectingQuotes(text: string, escape: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quote) {
      cur += c;
      if (c === escape && quote === '"' && k + 1 < text.length) cur += text[++k];
      else if (c === quote) quote = null;
      continue;
    }
    if (c === escape && k + 1 < text.length) {
      cur += c + text[++k];
      has = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    cur += c;
    has = true;
  }
  if (has) out.push(cur);
  return out;
}
