/**
 * The repository under CI, through Vite (the page, and Vitest): the pipeline lab's project, unchanged, with this
 * lab's CI files on top (a workflow, CI scripts, unit tests, the champion's metrics), and the reference workflow.
 * Plain Node scripts (the benchmark) use files.node.ts, which reads the same folders from disk.
 */
import { STARTER_FILES as PIPELINE_FILES } from '../pipeline/files.ts';

// `exhaustive` makes Vite's glob match dot folders (.github/), which it skips by default.
const overlay = import.meta.glob<string>('./repo/**/*', { query: '?raw', import: 'default', eager: true, exhaustive: true });
const solutions = import.meta.glob<string>('./solutions/*', { query: '?raw', import: 'default', eager: true });
// The gate's rules are also a coding exercise: one file, kept in src/labkit so the exercise's reference is the code CI runs.
const gateRules = import.meta.glob<string>('../../src/labkit/ci/gate-rules.mjs', { query: '?raw', import: 'default', eager: true });

const REPO = './repo/';

/** The CI files this lab adds: path in the repository -> text. */
export const CI_FILES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(overlay).map(([key, text]) => [key.slice(REPO.length), text])),
  'ci/gate-rules.mjs': Object.values(gateRules)[0]!,
};

/** The repository's first commit: the pipeline project with the CI files. */
export const REPO_FILES: Record<string, string> = Object.fromEntries(
  Object.entries({ ...PIPELINE_FILES, ...CI_FILES }).sort(([a], [b]) => a.localeCompare(b)),
);

export const WORKFLOW_PATH = '.github/workflows/ci.yml';

/** The reference workflow (the lab's solution). */
export const REFERENCE_WORKFLOW = solutions['./solutions/ci.yml']!;
