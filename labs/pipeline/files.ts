/**
 * The lab's files as text, through Vite (the page, and Vitest): the starter project and each step's solution.
 * Plain Node scripts use files.node.ts, which reads the same folders from disk.
 */
const starter = import.meta.glob<string>('./project/**/*', { query: '?raw', import: 'default', eager: true });
const solutions = import.meta.glob<string>('./solutions/*/**/*', { query: '?raw', import: 'default', eager: true });

const PROJECT = './project/';
const SOLUTIONS = './solutions/';

/** path in the project -> text */
export const STARTER_FILES: Record<string, string> = Object.fromEntries(
  Object.entries(starter)
    .map(([key, text]) => [key.slice(PROJECT.length), text] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b)),
);

/** step -> (path -> text): the files that step's solution changes. */
export const SOLUTION_FILES: Record<number, Record<string, string>> = {};
for (const [key, text] of Object.entries(solutions)) {
  const [folder, ...rest] = key.slice(SOLUTIONS.length).split('/');
  const step = Number(folder.replace('step-', ''));
  (SOLUTION_FILES[step] ??= {})[rest.join('/')] = text;
}

/** The scripts a student runs, the pipeline first. */
export const ENTRY_POINTS = Object.keys(STARTER_FILES)
  .filter((p) => !p.includes('/') && p.endsWith('.mjs'))
  .sort((a, b) => Number(b === 'pipeline.mjs') - Number(a === 'pipeline.mjs') || a.localeCompare(b));
