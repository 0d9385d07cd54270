/** The lab's files for the page, bundled by Vite as text: the starter project and each step's solution. */
const starter = import.meta.glob<string>('../../../../labs/pipeline/project/**/*', { query: '?raw', import: 'default', eager: true });
const solutions = import.meta.glob<string>('../../../../labs/pipeline/solutions/*/**/*', { query: '?raw', import: 'default', eager: true });

const PROJECT = '../../../../labs/pipeline/project/';
const SOLUTIONS = '../../../../labs/pipeline/solutions/';

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

export const ENTRY_POINTS = Object.keys(STARTER_FILES).filter((p) => !p.includes('/') && p.endsWith('.mjs'));
