/**
 * Syntax errors as Node 24 prints them:
 *
 *     file:///project/pipeline.mjs:2
 *     const b = ;
 *               ^
 *
 *     SyntaxError: Unexpected token ';'
 *
 * acorn finds where the error is; the message is V8's wording for the same mistake, chosen by what stands there
 * (V8's messages name the token: "Unexpected identifier 'bar'", "Unexpected end of input"...). Where acorn's and V8's
 * views differ, acorn's message is kept, without its "(line:column)".
 */

const KEYWORDS = new Set(
  'break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with'.split(' '),
);
const STRICT_RESERVED = new Set('implements interface let package private protected public static yield'.split(' '));
const PUNCTUATORS = ['>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>', '**'];
const IDENTIFIER_AT = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/u;

export interface SyntaxProblem {
  message: string;
  /** 1-based line and 0-based column, as Node shows them. */
  line: number;
  column: number;
  /** How many characters the carets underline. */
  length: number;
}

/** The token at `pos` and V8's "Unexpected ..." message for it. */
function unexpected(source: string, pos: number): { message: string; length: number } {
  if (pos >= source.length || !source.slice(pos).trim()) return { message: 'Unexpected end of input', length: 0 };
  const rest = source.slice(pos);
  const word = IDENTIFIER_AT.exec(rest)?.[0];
  if (word) {
    if (KEYWORDS.has(word)) return { message: `Unexpected token '${word}'`, length: word.length };
    if (word === 'await' || word === 'enum') return { message: 'Unexpected reserved word', length: word.length };
    if (STRICT_RESERVED.has(word)) return { message: 'Unexpected strict mode reserved word', length: word.length };
    return { message: `Unexpected identifier '${word}'`, length: word.length };
  }
  const number = /^(?:0[xob][\da-f_]+|\d[\d_]*\.?[\d_]*(?:e[+-]?\d+)?n?|\.\d[\d_]*(?:e[+-]?\d+)?)/i.exec(rest)?.[0];
  if (number) return { message: 'Unexpected number', length: number.length };
  const string = /^(['"])(?:\\.|(?!\1)[^\\\n])*\1/.exec(rest)?.[0];
  if (string) return { message: 'Unexpected string', length: string.length };
  if (rest.startsWith('`')) return { message: 'Unexpected template string', length: 1 };
  const punctuator = PUNCTUATORS.find((p) => rest.startsWith(p)) ?? rest[0];
  return { message: `Unexpected token '${punctuator}'`, length: punctuator.length };
}

/** V8's wording and underline for an error acorn raised at `pos` (acorn's `raisedAt` ends the bad token). */
export function describeSyntaxError(source: string, acornMessage: string, pos: number, raisedAt: number): SyntaxProblem {
  const bare = acornMessage.replace(/\s*\(\d+:\d+\)$/, '');
  let message = bare;
  let length = Math.max(raisedAt - pos, 1);
  if (bare === 'Unexpected token' || bare.startsWith("Unexpected character '") || bare === "'import' and 'export' may appear only with 'sourceType: module'") {
    ({ message, length } = unexpected(source, pos));
  } else if (bare.startsWith('Unterminated string constant') || bare === 'Unterminated comment') {
    message = 'Invalid or unexpected token';
    const lineEnd = source.indexOf('\n', pos);
    length = (lineEnd === -1 ? source.length : lineEnd) - pos;
  } else if (bare === 'Unterminated template') {
    message = 'Unterminated template literal';
  } else if (bare === 'Unterminated regular expression') {
    message = 'Invalid regular expression: missing /';
  } else if (bare.startsWith("Cannot use keyword 'await'") || bare.startsWith('Cannot use keyword \'yield\'')) {
    message = 'Unexpected reserved word';
    length = 5;
  } else if (/^Identifier '.*' has already been declared$/.test(bare)) {
    length = bare.slice("Identifier '".length, -"' has already been declared".length).length;
  }
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1);
  return { message, line, column, length };
}

/** Node's header for an error at a place in a file: the location, the source line, and carets under the place. */
export function sourceHeader(url: string, source: string, line: number, column: number, length: number): string {
  const text = source.split('\n')[line - 1]?.replace(/\r$/, '') ?? '';
  const carets = text ? ' '.repeat(column) + '^'.repeat(Math.max(1, Math.min(length, text.length - column || 1))) : '';
  return `${url}:${line}\n${text}\n${carets}\n`;
}
