/**
 * A Dockerfile parser written from the Dockerfile reference (docs.docker.com/reference/dockerfile): parser
 * directives (`syntax`, `escape`, `check`), comments, line continuations with the escape character (comment and
 * empty lines inside a continuation are dropped), leading flags (`--from=…`), the exec (JSON) and shell forms,
 * and here-documents (`RUN <<EOF`). Every instruction keeps its lines and columns so that linters and builders can
 * put markers where the student wrote it. It never throws: what it cannot read becomes a problem with a line.
 */

export const INSTRUCTIONS = [
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL',
  'USER', 'VOLUME', 'WORKDIR',
] as const;
export type Keyword = (typeof INSTRUCTIONS)[number];

export interface Flag {
  name: string;
  /** Null for a flag written without a value (`--link`). */
  value: string | null;
  /** Where the flag is written (1-based line and columns of its text). */
  line: number;
  column: number;
  endColumn: number;
}

export interface Heredoc {
  /** The delimiter word (`EOF`). */
  name: string;
  /** The body, without the closing delimiter line. */
  content: string;
  /** `<<-` strips leading tabs. */
  chomp: boolean;
  /** `<<"EOF"` or `<<'EOF'`: no variable expansion in the body. */
  quoted: boolean;
}

export interface Instruction {
  keyword: Keyword | string;
  /** The keyword as written (casing checks read it). */
  written: string;
  /** 1-based first and last line in the file (the last includes continuation and heredoc lines). */
  line: number;
  endLine: number;
  /** The arguments after the flags, continuations joined, comments removed. */
  args: string;
  /** The arguments before the flags were taken out (what `docker history` shows). */
  original: string;
  flags: Flag[];
  /** The exec (JSON array) form, or null for the shell form. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** Continuation lines that were empty (Docker's NoEmptyContinuation check). */
  emptyContinuations: number[];
  /** Column (1-based) where the arguments start on the first line. */
  argsColumn: number;
}

export interface Problem {
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  message: string;
}

export interface Comment {
  line: number;
  text: string;
}

export interface Dockerfile {
  directives: { syntax?: string; escape: '\\' | '`'; check?: string };
  /** Lines of the directives, keyed by name. */
  directiveLines: Record<string, number>;
  instructions: Instruction[];
  comments: Comment[];
  problems: Problem[];
  /** The source lines, for markers and messages. */
  lines: string[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)\s*(["']?)([a-zA-Z_][a-zA-Z0-9_]*)\2/g;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/** Parses a Dockerfile. Bad input becomes `problems`; the parser never throws. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Dockerfile = { directives: { escape: '\\' }, directiveLines: {}, instructions: [], comments: [], problems: [], lines };
  let i = 0;
  // Parser directives: only before any comment, empty line or instruction.
  const seen = new Set<string>();
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (!['syntax', 'escape', 'check'].includes(key) || seen.has(key)) break;
    seen.add(key);
    out.directiveLines[key] = i + 1;
    if (key === 'escape') {
      if (m[2] === '\\' || m[2] === '`') out.directives.escape = m[2];
      else out.problems.push({ line: i + 1, message: `invalid escape character "${m[2]}": it must be \\ or \`` });
    } else if (key === 'syntax') out.directives.syntax = m[2]!;
    else out.directives.check = m[2]!;
  }
  const escape = out.directives.escape;
  const continues = (line: string) => {
    const t = line.replace(/[ \t]+$/, '');
    if (!t.endsWith(escape)) return false;
    // An escaped escape character at the end does not continue the line.
    let n = 0;
    for (let k = t.length - 1; k >= 0 && t[k] === escape; k--) n++;
    return n % 2 === 1;
  };
  const isComment = (line: string) => /^\s*#/.test(line);

  while (i < lines.length) {
    const first = lines[i]!;
    if (!first.trim()) {
      i++;
      continue;
    }
    if (isComment(first)) {
      out.comments.push({ line: i + 1, text: first.trim().slice(1).trim() });
      i++;
      continue;
    }
    const start = i;
    const parts: string[] = [];
    const emptyContinuations: number[] = [];
    let current = first;
    let end = i;
    while (continues(current)) {
      parts.push(current.replace(/[ \t]+$/, '').slice(0, -1));
      end++;
      // Comment and empty lines inside a continuation are removed.
      while (end < lines.length && (isComment(lines[end]!) || !lines[end]!.trim())) {
        if (!lines[end]!.trim()) emptyContinuations.push(end + 1);
        else out.comments.push({ line: end + 1, text: lines[end]!.trim().slice(1).trim() });
        end++;
      }
      if (end >= lines.length) {
        current = '';
        break;
      }
      current = lines[end]!;
    }
    parts.push(current);
    const joined = parts.join('');
    i = end + 1;
    const lead = /^\s*/.exec(first)![0].length;
    const m = /^(\S+)(\s*)(.*)$/s.exec(joined.trimStart());
    if (!m) continue;
    const written = m[1]!;
    const keyword = written.toUpperCase();
    const argsColumn = lead + written.length + m[2]!.length + 1;
    let rest = m[3]!.trim();
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) {
      // Here-documents: the body follows on the next lines, up to a line holding only the delimiter.
      const names = [...rest.matchAll(HEREDOC)].map((h) => ({ chomp: h[1] === '-', quoted: !!h[2], name: h[3]! }));
      for (const h of names) {
        const body: string[] = [];
        let closed = false;
        while (i < lines.length) {
          const line = lines[i++]!;
          const test = h.chomp ? line.replace(/^\t+/, '') : line;
          if (test === h.name) {
            closed = true;
            break;
          }
          body.push(h.chomp ? line.replace(/^\t+/, '') : line);
        }
        if (!closed) out.problems.push({ line: start + 1, message: `the here-document <<${h.name} is never closed: add a line that holds only ${h.name}` });
        heredocs.push({ ...h, content: body.length ? `${body.join('\n')}\n` : '' });
      }
    }
    const { flags, remainder, column } = takeFlags(rest, start + 1, argsColumn);
    rest = remainder;
    const json = parseJsonArray(rest);
    const instruction: Instruction = {
      keyword,
      written,
      line: start + 1,
      endLine: i,
      args: rest,
      original: m[3]!.trim(),
      flags,
      json,
      heredocs,
      emptyContinuations,
      argsColumn: column,
    };
    if (!(INSTRUCTIONS as readonly string[]).includes(keyword)) {
      out.problems.push({ line: start + 1, column: lead + 1, endColumn: lead + written.length + 1, message: `unknown instruction: ${written} (Docker knows ${INSTRUCTIONS.join(', ')})` });
    }
    out.instructions.push(instruction);
  }
  return out;
}

/** Leading `--name=value` flags, as BuildKit reads them before the arguments of any instruction. */
function takeFlags(args: string, line: number, column: number): { flags: Flag[]; remainder: string; column: number } {
  const flags: Flag[] = [];
  let rest = args;
  let col = column;
  for (;;) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=("[^"]*"|\S*))?(\s+|$)/.exec(rest);
    if (!m) break;
    const raw = m[2];
    const value = raw === undefined ? null : raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
    flags.push({ name: m[1]!, value, line, column: col, endColumn: col + m[0].trimEnd().length });
    col += m[0].length;
    rest = rest.slice(m[0].length);
  }
  return { flags, remainder: rest.trim(), column: col };
}

/** The exec form: a JSON array of strings, or null (then the arguments are the shell form). */
export function parseJsonArray(args: string): string[] | null {
  const t = args.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/**
 * Splits arguments on whitespace the way the Dockerfile parser does for ADD, COPY, VOLUME, EXPOSE…: quotes are kept
 * (they are removed later, by variable expansion), and a quoted part may contain spaces.
 */
export function splitWords(args: string, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  for (let k = 0; k < args.length; k++) {
    const c = args[k]!;
    if (quote) {
      word += c;
      if (c === escape && quote === '"' && k + 1 < args.length) word += args[++k];
      else if (c === quote) quote = null;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === escape && k + 1 < args.length) {
      word += c + args[++k];
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    word += c;
  }
  if (inWord) words.push(word);
  return words;
}

/** The value of a flag (the last one written wins), or undefined when the instruction does not have it. */
export function flagValue(instruction: Instruction, name: string): string | null | undefined {
  const found = instruction.flags.filter((f) => f.name === name);
  return found.length ? found[found.length - 1]!.value : undefined;
}

export interface Stage {
  index: number;
  /** The name after `AS`, lower-cased as BuildKit compares it (null when the stage has none). */
  name: string | null;
  /** The name as written. */
  writtenName: string | null;
  /** The image or stage named in FROM, before expansion. */
  base: string;
  from: Instruction;
  /** The instructions after FROM, up to the next FROM. */
  body: Instruction[];
}

/** The build stages of a parsed Dockerfile, and the ARGs declared before the first FROM. */
export function stagesOf(file: Dockerfile): { globalArgs: Instruction[]; stages: Stage[]; beforeFrom: Instruction[] } {
  const stages: Stage[] = [];
  const globalArgs: Instruction[] = [];
  const beforeFrom: Instruction[] = [];
  for (const ins of file.instructions) {
    if (ins.keyword === 'FROM') {
      const words = splitWords(ins.args);
      const as = words.length >= 3 && words[1]!.toLowerCase() === 'as' ? words[2]! : null;
      stages.push({ index: stages.length, name: as ? as.toLowerCase() : null, writtenName: as, base: words[0] ?? '', from: ins, body: [] });
    } else if (!stages.length) {
      if (ins.keyword === 'ARG') globalArgs.push(ins);
      else beforeFrom.push(ins);
    } else stages.at(-1)!.body.push(ins);
  }
  return { globalArgs, stages, beforeFrom };
}
