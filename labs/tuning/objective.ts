/**
 * The student's study file (study.mjs): the objective in Optuna's define-by-run style, the direction, and the grid
 * for grid search. It is parsed first (so a syntax error names its line), then imported and checked.
 */
import { parse } from 'acorn';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { checkGrid, type Grid } from '../../src/labkit/tuning/samplers.ts';
import type { Direction, Objective } from '../../src/labkit/tuning/study.ts';

export interface StudyModule {
  objective: Objective<unknown>;
  direction: Direction;
  grid: Grid | null;
}

/** A problem in study.mjs, at a line when the parser knows it. */
export class StudyFileError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, line?: number, column?: number) {
    super(message);
    this.name = 'StudyFileError';
    this.line = line;
    this.column = column;
  }
}

/** A syntax error with its position, or null when the file parses. */
export function syntaxProblem(source: string): StudyFileError | null {
  try {
    parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
    return null;
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    return new StudyFileError(`study.mjs line ${e.loc?.line ?? '?'}: ${e.message.replace(/\s*\(\d+:\d+\)$/, '')}`, e.loc?.line, e.loc ? e.loc.column + 1 : undefined);
  }
}

export async function loadStudyModule(source: string): Promise<StudyModule> {
  const syntax = syntaxProblem(source);
  if (syntax) throw syntax;
  let mod: Record<string, unknown>;
  try {
    mod = await importSource(source);
  } catch (error) {
    throw new StudyFileError(`study.mjs does not load: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  if (typeof mod.objective !== 'function') throw new StudyFileError('study.mjs must export a function named `objective` (export async function objective(trial, { train, TrialPruned }) { … })');
  const direction = mod.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize') throw new StudyFileError(`study.mjs exports direction = ${JSON.stringify(direction)}; use 'minimize' (for an error) or 'maximize' (for an accuracy)`);
  let grid: Grid | null = null;
  if (mod.grid !== undefined) {
    try {
      grid = checkGrid(mod.grid);
    } catch (error) {
      throw new StudyFileError(`study.mjs: ${(error as Error).message}`);
    }
  }
  return { objective: mod.objective as Objective<unknown>, direction, grid };
}
