/**
 * Reading a workflow file with GitHub's own parser (`@actions/workflow-parser`): the schema, the expressions in it,
 * `needs` that name a missing job or make a cycle. Every problem comes with its line and column for the editor.
 * Also: template tokens to plain values, evaluating the expressions in them.
 */
import { convertWorkflowTemplate, isBasicExpression, isMapping, isSequence, NoOperationTraceWriter, parseWorkflow, type WorkflowTemplate } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { LiteralToken } from '@actions/workflow-parser/templates/tokens/literal-token';
import { Lexer, Parser } from '@actions/expressions';
import { evaluateJson, type Contexts, type ExtraFunction, type Json } from './expressions.ts';

export type { WorkflowTemplate, TemplateToken, MappingToken };

/** A problem in a file, at 1-based line and column (the editor's markers, the run view, annotations). */
export interface Problem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface ParsedWorkflow {
  file: string;
  name: string;
  /** null when the file has problems: GitHub does not run such a workflow. */
  template: WorkflowTemplate | null;
  /** The whole file as tokens (for keys the converted template leaves out: `with`, `timeout-minutes`, …). */
  root: MappingToken | null;
  problems: Problem[];
}

const PREFIX = /^.*?\(Line: \d+, Col: \d+\): |^[^:]*: /;

const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'matrix', 'needs', 'steps', 'job', 'jobs', 'runner', 'strategy'];
const FUNCTIONS = ['success', 'failure', 'always', 'cancelled'].map((name) => ({ name, minArgs: 0, maxArgs: 0 })).concat({ name: 'hashFiles', minArgs: 1, maxArgs: 255 });

/** The column of a syntax error inside the `${{ … }}` that starts at `column`, found by parsing it again. */
function columnInside(text: string, column: number): number | null {
  if (!text.startsWith('${{', column - 1)) return null;
  const end = text.indexOf('}}', column + 2);
  if (end < 0) return null;
  const inner = text.slice(column + 2, end);
  try {
    new Parser(new Lexer(inner).lex().tokens, CONTEXTS, FUNCTIONS).parse();
  } catch (error) {
    const pos = (error as { pos?: { column: number } }).pos;
    if (pos) return column + 2 + pos.column + 1;
  }
  return null;
}

/** Where in the file an expression error points: the expression's text found in the lines of its token. */
function refineColumn(lines: string[], line: number, column: number, message: string): { line: number; column: number } {
  const m = /Located at position (\d+) within expression: (.*)$/s.exec(message);
  if (!m) {
    const inside = lines[line - 1] !== undefined ? columnInside(lines[line - 1]!, column) : null;
    return { line, column: inside ?? column };
  }
  const [, position, expression] = m;
  const firstLine = expression!.split('\n')[0]!;
  for (let l = line; l < Math.min(lines.length + 1, line + 50); l += 1) {
    const at = lines[l - 1]!.indexOf(firstLine, l === line ? Math.max(0, column - 1) : 0);
    if (at >= 0) return { line: l, column: at + Number(position) };
  }
  return { line, column };
}

export async function readWorkflow(file: string, text: string): Promise<ParsedWorkflow> {
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  let template: WorkflowTemplate | null = null;
  if (parsed.value) template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const lines = text.split('\n');
  const problems: Problem[] = parsed.context.errors.getErrors().map((error) => {
    const start = error.range?.start ?? { line: 1, column: 1 };
    const end = error.range?.end ?? start;
    const message = error.message.replace(PREFIX, '').replace(/ at line \d+, column \d+:\n[\s\S]*$/, '');
    const at = refineColumn(lines, start.line, start.column, message);
    return {
      file,
      line: at.line,
      column: at.column,
      endLine: at.line === start.line ? Math.max(end.line, at.line) : at.line,
      endColumn: at.line === start.line && end.line === start.line ? Math.max(end.column, at.column + 1) : at.column + 1,
      message,
    };
  });
  const root = parsed.value && isMapping(parsed.value) ? parsed.value : null;
  const nameToken = root?.find('name');
  const name = nameToken && nameToken.isLiteral ? String((nameToken as LiteralToken).toString()) : file.replace(/^.*\//, '');
  return { file, name, template: problems.length ? null : template, root, problems };
}

/** A template token as plain JSON, with every `${{ }}` in it evaluated. */
export function tokenValue(token: TemplateToken | undefined, contexts: Contexts, functions: ExtraFunction[] = []): Json {
  if (!token) return null;
  if (isBasicExpression(token)) return evaluateJson(token.expression, contexts, functions);
  if (isSequence(token)) return [...token].map((item) => tokenValue(item, contexts, functions));
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const pair of token) out[String(tokenValue(pair.key, contexts, functions))] = tokenValue(pair.value, contexts, functions);
    return out;
  }
  const literal = token as LiteralToken & { value?: unknown };
  return literal.value === undefined ? null : (literal.value as Json);
}

/** A key of a mapping token (the raw file's job or step mappings). */
export function field(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return token && isMapping(token) ? token.find(key) : undefined;
}
