/**
 * GitHub Actions expressions (`${{ … }}`), evaluated with GitHub's own lexer, parser and evaluator
 * (`@actions/expressions`), plus what a runner adds: the status functions and `hashFiles`, given by the caller,
 * and the conversion between plain JSON and the evaluator's data.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy as isTruthy } from '@actions/expressions/result';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A function the runner adds to the language (`success()`, `hashFiles('data/**')`). */
export interface ExtraFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  call(...args: Json[]): Json;
}

export type Contexts = Record<string, unknown>;

/** Plain JSON (and undefined, read as null) to the evaluator's data. */
export function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  if (typeof value === 'object') {
    return new data.Dictionary(...Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: toData(v) })));
  }
  return new data.StringData(String(value));
}

/** The evaluator's data back to plain JSON. */
export function fromData(value: data.ExpressionData): Json {
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.String:
      return (value as data.StringData).value;
    case data.Kind.Number:
      return (value as data.NumberData).value;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map((p) => [p.key, fromData(p.value)]));
  }
}

/** An expression that could not be read or evaluated; `column` is 1-based within the expression when known. */
export class ExpressionProblem extends Error {
  readonly expression: string;
  readonly column?: number;
  constructor(message: string, expression: string, column?: number) {
    super(message);
    this.name = 'ExpressionProblem';
    this.expression = expression;
    this.column = column;
  }
}

function definitions(functions: ExtraFunction[]): Map<string, FunctionDefinition> {
  return new Map(
    functions.map((f) => [
      f.name.toLowerCase(),
      { name: f.name, minArgs: f.minArgs, maxArgs: f.maxArgs, call: (...args: data.ExpressionData[]) => toData(f.call(...args.map(fromData))) },
    ]),
  );
}

/** Evaluate one expression (without `${{ }}`) in the given contexts. */
export function evaluate(expression: string, contexts: Contexts, functions: ExtraFunction[] = []): data.ExpressionData {
  let tree;
  try {
    const { tokens } = new Lexer(expression).lex();
    tree = new Parser(tokens, Object.keys(contexts), functions.map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }))).parse();
  } catch (error) {
    const pos = (error as { pos?: { column: number } }).pos;
    const where = pos ? `. Located at position ${pos.column + 1} within expression: ${expression}` : `. Located within expression: ${expression}`;
    throw new ExpressionProblem(`${(error as Error).message}${where}`, expression, pos ? pos.column + 1 : undefined);
  }
  if (!tree) return new data.Null();
  const dictionary = toData(contexts) as data.Dictionary;
  try {
    return new Evaluator(tree, dictionary, definitions(functions)).evaluate();
  } catch (error) {
    throw new ExpressionProblem(`${(error as Error).message}. Located within expression: ${expression}`, expression);
  }
}

export const truthy = (value: data.ExpressionData): boolean => isTruthy(value);

/** The string an expression's value becomes where a string is expected (env values, `run:` text). */
export const asString = (value: data.ExpressionData): string => value.coerceString();

/** Evaluate to JSON. */
export function evaluateJson(expression: string, contexts: Contexts, functions: ExtraFunction[] = []): Json {
  return fromData(evaluate(expression, contexts, functions));
}
