/**
 * The part of the POSIX shell language that RUN lines use: lists joined by `&&`, `||`, `;` and new lines,
 * pipelines with `|`, redirections (`>`, `>>`, `<`, `2>&1`, `2>/dev/null`), single and double quotes, backslash
 * escapes, `$VAR` and `${VAR:-default}` expansion, `~`, and here-documents fed by the Dockerfile. Compound commands
 * (`if`, `for`, `while`, `case`, functions, sub-shells) are recognised and reported as not modelled.
 */
import { expandWord } from './expand.ts';

export interface Word {
  /** The word as written, quotes included (expansion works on it). */
  raw: string;
  /** True when some part was quoted: no globbing then. */
  quoted: boolean;
}

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  /** `KEY=value` words before the command name. */
  assignments: { key: string; value: Word }[];
}

export interface Pipeline {
  commands: SimpleCommand[];
  negated: boolean;
}

export interface ListItem {
  pipeline: Pipeline;
  /** How this item joins the next one. */
  then: '&&' | '||' | ';' | '&' | null;
}

export interface Script {
  items: ListItem[];
  /** A construct the simulator does not model (the first one met), or a syntax error. */
  unsupported?: string;
  syntaxError?: string;
}

const COMPOUND = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}', '(', ')', 'select']);

type Token = { type: 'word'; word: Word } | { type: 'op'; op: string };

function tokenize(script: string): { tokens: Token[]; error?: string; unsupported?: string } {
  const tokens: Token[] = [];
  let i = 0;
  let unsupported: string | undefined;
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ type: 'op', op: ';' });
      i++;
      continue;
    }
    if (c === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '>>' || two === ';;') {
      tokens.push({ type: 'op', op: two });
      i += 2;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      tokens.push({ type: 'op', op: c });
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      unsupported ??= 'a sub-shell "( … )"';
      tokens.push({ type: 'op', op: c });
      i++;
      continue;
    }
    // A word: up to unquoted white space or an operator.
    let raw = '';
    let quoted = false;
    while (i < script.length) {
      const d = script[i]!;
      if (d === '\\') {
        if (script[i + 1] === '\n') {
          i += 2;
          continue;
        }
        raw += d + (script[i + 1] ?? '');
        quoted = true;
        i += 2;
        continue;
      }
      if (d === "'" || d === '"') {
        const close = findClose(script, i);
        if (close < 0) return { tokens, error: `unexpected end of the command: the ${d === "'" ? 'single' : 'double'} quote is never closed` };
        raw += script.slice(i, close + 1);
        quoted = true;
        i = close + 1;
        continue;
      }
      if (d === '$' && script[i + 1] === '(') {
        const close = findParen(script, i + 1);
        if (close < 0) return { tokens, error: 'unexpected end of the command: "$(" is never closed' };
        unsupported ??= `command substitution ${script.slice(i, close + 1)}`;
        raw += script.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      if (d === '`') {
        const close = script.indexOf('`', i + 1);
        if (close < 0) return { tokens, error: 'unexpected end of the command: a backquote is never closed' };
        unsupported ??= `command substitution ${script.slice(i, close + 1)}`;
        raw += script.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      if (d === '$' && script[i + 1] === '{') {
        const close = script.indexOf('}', i);
        if (close < 0) return { tokens, error: 'unexpected end of the command: "${" is never closed' };
        raw += script.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      if (/[\s;&|<>()]/.test(d)) break;
      raw += d;
      i++;
    }
    tokens.push({ type: 'word', word: { raw, quoted } });
  }
  return { tokens, unsupported };
}

function findClose(text: string, open: number): number {
  const q = text[open]!;
  for (let k = open + 1; k < text.length; k++) {
    if (q === '"' && text[k] === '\\') {
      k++;
      continue;
    }
    if (text[k] === q) return k;
  }
  return -1;
}

function findParen(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) return k;
  }
  return -1;
}

export function parseScript(script: string): Script {
  const { tokens, error, unsupported: early } = tokenize(script);
  if (error) return { items: [], syntaxError: error };
  let unsupported = early;
  const items: ListItem[] = [];
  let commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirects: [], assignments: [] };
  let negated = false;
  const endCommand = () => {
    if (current.words.length || current.redirects.length || current.assignments.length) commands.push(current);
    current = { words: [], redirects: [], assignments: [] };
  };
  const endPipeline = (then: ListItem['then']) => {
    endCommand();
    if (commands.length) items.push({ pipeline: { commands, negated }, then });
    else if (then === '&&' || then === '||') return `syntax error near unexpected token "${then}"`;
    commands = [];
    negated = false;
    return undefined;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'word') {
      const raw = t.word.raw;
      if (!current.words.length && !t.word.quoted && COMPOUND.has(raw)) unsupported ??= `the shell keyword "${raw}"`;
      if (!current.words.length && raw === '!' && !t.word.quoted) {
        negated = true;
        continue;
      }
      const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(raw);
      if (!current.words.length && assign) {
        current.assignments.push({ key: assign[1]!, value: { raw: assign[2]!, quoted: t.word.quoted } });
        continue;
      }
      // `2>` / `2>>` / `2>&1`: a number word right before a redirection operator.
      const next = tokens[k + 1];
      if (/^\d$/.test(raw) && next?.type === 'op' && (next.op === '>' || next.op === '>>' || next.op === '<')) {
        const fd = Number(raw);
        k++;
        const res = redirect(tokens, k, fd, next.op);
        if (typeof res === 'string') return { items, syntaxError: res };
        current.redirects.push(res.redirect);
        k = res.index;
        continue;
      }
      current.words.push(t.word);
      continue;
    }
    if (t.op === '>' || t.op === '>>' || t.op === '<') {
      const res = redirect(tokens, k, t.op === '<' ? 0 : 1, t.op);
      if (typeof res === 'string') return { items, syntaxError: res };
      current.redirects.push(res.redirect);
      k = res.index;
      continue;
    }
    if (t.op === '|') {
      endCommand();
      continue;
    }
    if (t.op === '&&' || t.op === '||' || t.op === ';' || t.op === '&') {
      const problem = endPipeline(t.op);
      if (problem) return { items, syntaxError: problem };
      continue;
    }
    if (t.op === ';;') unsupported ??= 'a case statement';
  }
  endPipeline(null);
  const last = items.at(-1);
  if (last && (last.then === '&&' || last.then === '||')) return { items, syntaxError: `syntax error: unexpected end of the command after "${last.then}"` };
  return { items, ...(unsupported ? { unsupported } : {}) };
}

function redirect(tokens: Token[], k: number, fd: number, op: string): { redirect: Redirect; index: number } | string {
  const next = tokens[k + 1];
  if (next?.type === 'op' && next.op === '&') {
    const target = tokens[k + 2];
    if (target?.type !== 'word') return `syntax error near "${op}&"`;
    return { redirect: { fd, op: '>&', target: target.word }, index: k + 2 };
  }
  if (next?.type !== 'word') return `syntax error: "${op}" needs a file name after it`;
  return { redirect: { fd, op: op as Redirect['op'], target: next.word }, index: k + 1 };
}

/** Expands a shell word with the environment: quotes removed, variables substituted, `~` at the start. */
export function expandShellWord(word: Word, env: Record<string, string>): { value: string; undefined: string[] } {
  let raw = word.raw;
  if (raw === '~' || raw.startsWith('~/')) raw = (env.HOME ?? '/root') + raw.slice(1);
  const r = expandWord(raw, (name) => (Object.hasOwn(env, name) ? env[name] : undefined));
  return { value: r.value, undefined: r.undefined };
}
