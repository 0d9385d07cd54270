/**
 * The lab's files for Node (tests, benchmark): the starter project, and the project as it stands after each step's
 * solution. The page (and Vitest) get the same files through Vite (files.ts beside this one).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labCriteria, readTree } from '../../src/labkit/lab/node.ts';

export const LAB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PROJECT_DIR = join(LAB_DIR, 'project');
export const SOLUTIONS_DIR = join(LAB_DIR, 'solutions');
export const STEP_COUNT = 5;


/** The starter project: path relative to the project root -> text. */
export function starterFiles(): Record<string, string> {
  return readTree(PROJECT_DIR);
}

/** The files a step's solution changes (step 1 changes none: it is "run the starter"). */
export function solutionFiles(step: number): Record<string, string> {
  const dir = join(SOLUTIONS_DIR, `step-${step}`);
  try {
    return readTree(dir);
  } catch {
    return {};
  }
}

/** The file the lab page writes into the project for `node check.mjs`: the acceptance criteria of the frontmatter. */
export function providedFiles(): Record<string, string> {
  return { 'criteria.json': `${JSON.stringify(labCriteria('pipeline'), null, 2)}\n` };
}

/** The project after the solutions of steps 1..step, with the files the page provides. */
export function projectAtStep(step: number): Record<string, string> {
  const files = { ...starterFiles(), ...providedFiles() };
  for (let s = 1; s <= step; s += 1) Object.assign(files, solutionFiles(s));
  return files;
}
