/**
 * What a step says to the runner, as GitHub documents it ("Workflow commands for GitHub Actions"):
 * - workflow commands on their own output line: `::group::`, `::endgroup::`, `::error file=…,line=…::message`
 *   (and `warning`, `notice`), `::debug::`, `::add-mask::`, `::stop-commands::token` … `::token::`, and the
 *   deprecated `::set-output name=…::`;
 * - environment files: `$GITHUB_OUTPUT`, `$GITHUB_ENV`, `$GITHUB_STEP_SUMMARY` (`NAME=value` lines, or
 *   `NAME<<DELIMITER` … `DELIMITER` for values over several lines);
 * - masking: secrets and `add-mask` values print as `***`.
 */

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

export type LogKind = 'output' | 'group' | 'endgroup' | 'annotation' | 'debug' | 'runner';

export interface LogLine {
  kind: LogKind;
  text: string;
  level?: AnnotationLevel;
}

/** Replaces registered secret values by `***`, longest first (as the runner's secret masker does). */
export class Masker {
  private values: string[] = [];

  add(value: string): void {
    for (const part of [value, ...value.split(/\r?\n/)]) {
      const v = part.trim() ? part : '';
      if (v.length >= 1 && !this.values.includes(v)) this.values.push(v);
    }
    this.values.sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join('***');
    return out;
  }

  /** Whether a value holds a secret (job outputs that do are not passed on). */
  holdsSecret(text: string): boolean {
    return this.values.some((v) => text.includes(v));
  }
}

const unescapeData = (s: string) => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',');

interface Command {
  name: string;
  properties: Record<string, string>;
  message: string;
}

/** `::name key=value,key=value::message` on one line, or null. */
export function parseCommand(line: string): Command | null {
  const m = /^::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$/s.exec(line.trimStart());
  if (!m) return null;
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
  }
  return { name: m[1]!, properties, message: unescapeData(m[3] ?? '') };
}

const positive = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined);

/** One step's output, line by line: workflow commands are carried out, the rest is logged (masked). */
export class StepOutput {
  readonly lines: LogLine[] = [];
  readonly annotations: Annotation[] = [];
  /** Outputs set with the deprecated `::set-output`. */
  readonly legacyOutputs: Record<string, string> = {};
  private stopToken: string | null = null;
  private masker: Masker;
  private debug: boolean;
  private partial = '';

  constructor(masker: Masker, options: { debug?: boolean } = {}) {
    this.masker = masker;
    this.debug = options.debug ?? false;
  }

  /** Output as it comes (ANSI colours and all); complete lines are handled at once. */
  write(chunk: string): void {
    const text = this.partial + chunk.replace(/\r\n/g, '\n');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.line(line);
  }

  /** The last line, if it had no newline. */
  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  runner(text: string): void {
    this.lines.push({ kind: 'runner', text: this.masker.mask(text) });
  }

  annotate(annotation: Annotation): void {
    const masked = { ...annotation, message: this.masker.mask(annotation.message) };
    this.annotations.push(masked);
    this.lines.push({ kind: 'annotation', level: masked.level, text: `${masked.level === 'error' ? 'Error' : masked.level === 'warning' ? 'Warning' : 'Notice'}: ${masked.message}` });
  }

  private line(raw: string): void {
    const plain = raw.replace(/\x1b\[[0-9;]*m/g, '');
    const command = parseCommand(plain);
    if (this.stopToken !== null) {
      if (command && command.name === this.stopToken) this.stopToken = null;
      else this.lines.push({ kind: 'output', text: this.masker.mask(raw) });
      return;
    }
    if (!command) {
      this.lines.push({ kind: 'output', text: this.masker.mask(raw) });
      return;
    }
    const { name, properties, message } = command;
    switch (name) {
      case 'group':
        this.lines.push({ kind: 'group', text: this.masker.mask(message) });
        return;
      case 'endgroup':
        this.lines.push({ kind: 'endgroup', text: '' });
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotate({
          level: name,
          message,
          ...(properties.title ? { title: properties.title } : {}),
          ...(properties.file ? { file: properties.file.replace(/^\.\//, '') } : {}),
          ...(positive(properties.line) ? { line: positive(properties.line) } : {}),
          ...(positive(properties.endLine) ? { endLine: positive(properties.endLine) } : {}),
          ...(positive(properties.col) ? { col: positive(properties.col) } : {}),
          ...(positive(properties.endColumn) ? { endColumn: positive(properties.endColumn) } : {}),
        });
        return;
      case 'debug':
        if (this.debug) this.lines.push({ kind: 'debug', text: this.masker.mask(message) });
        return;
      case 'add-mask':
        this.masker.add(message);
        return;
      case 'stop-commands':
        this.stopToken = message;
        return;
      case 'set-output':
        this.annotate({
          level: 'warning',
          message: 'The `set-output` command is deprecated and will be disabled soon. Please upgrade to using Environment Files.',
        });
        if (properties.name) this.legacyOutputs[properties.name] = message;
        return;
      default:
        // Unknown commands are printed as they are, as the runner does.
        this.lines.push({ kind: 'output', text: this.masker.mask(raw) });
    }
  }
}

export interface EnvFileResult {
  values: [string, string][];
  /** The first problem, as the runner words it; values before it are kept. */
  error: string | null;
}

/** `$GITHUB_OUTPUT` / `$GITHUB_ENV` contents: `NAME=value` or `NAME<<DELIMITER` … `DELIMITER`. */
export function parseEnvFile(text: string): EnvFileResult {
  const lines = text.split(/\r?\n/);
  const values: [string, string][] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (!line) continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name || !delimiter) return { values, error: `Invalid format '${line}'` };
      const body: string[] = [];
      let closed = false;
      for (i += 1; i < lines.length; i += 1) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i]!);
      }
      if (!closed) return { values, error: `Matching delimiter not found '${delimiter}'` };
      values.push([name, body.join('\n')]);
    } else if (eq > 0) {
      values.push([line.slice(0, eq), line.slice(eq + 1)]);
    } else {
      return { values, error: `Invalid format '${line}'` };
    }
  }
  return { values, error: null };
}
