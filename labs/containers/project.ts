/**
 * The student's project: the course's fraud-detector API (labs/containers/project/, real files) plus the large
 * files a real repository of it would hold and a build context would send: the training data, a notebook and the
 * Git history. Those are simulated (a size and a content identity, no bytes), and marked so everywhere.
 */
import { hex } from '../../src/labkit/docker/fs.ts';
import type { ContextFile } from '../../src/labkit/docker/build.ts';

// `exhaustive` makes Vite's glob match dot files (.dockerignore, .hadolint.yaml, .env), which it skips by default.
const texts = import.meta.glob<string>('./project/**/*', { query: '?raw', import: 'default', eager: true, exhaustive: true });
const solutionTexts = import.meta.glob<string>('./solution/**/*', { query: '?raw', import: 'default', eager: true, exhaustive: true });

export interface ProjectFile {
  path: string;
  /** The text of a text file. */
  text?: string;
  /** A simulated file: its size and what makes its content unique (editing it changes the seed). */
  synthetic?: { size: number; seed: string; kind: 'binary' | 'text' };
  /** Milliseconds since 1970: what `touch` changes (the build cache ignores it). */
  mtime: number;
  mode: number;
}

/** The files that are not code: kept as simulated files. */
const SYNTHETIC: readonly Omit<ProjectFile, 'mtime' | 'mode'>[] = [
  { path: 'data/transactions.csv', synthetic: { size: 182_400_000, seed: 'transactions-2024-11', kind: 'text' } },
  { path: 'notebooks/exploration.ipynb', synthetic: { size: 2_430_000, seed: 'exploration-v3', kind: 'text' } },
  { path: '.git/HEAD', text: 'ref: refs/heads/main\n' },
  { path: '.git/objects/pack/pack-3f9c2ab.pack', synthetic: { size: 34_700_000, seed: 'pack-3f9c2ab', kind: 'binary' } },
];

/** A fixed time for the starter's files, so that builds of the starter are the same everywhere. */
export const STARTER_TIME = Date.UTC(2027, 1, 8, 9, 0, 0);

const fromGlob = (glob: Record<string, string>, prefix: string): ProjectFile[] =>
  Object.entries(glob)
    .map(([path, text]) => ({ path: path.slice(prefix.length), text, mtime: STARTER_TIME, mode: 0o644 }))
    .sort((a, b) => a.path.localeCompare(b.path));

export function starterProject(): ProjectFile[] {
  return [...fromGlob(texts, './project/'), ...SYNTHETIC.map((f) => ({ ...f, mtime: STARTER_TIME, mode: 0o644 }))].sort((a, b) => a.path.localeCompare(b.path));
}

/** The reference solution's files (they replace the starter's of the same name). */
export function solutionFiles(): ProjectFile[] {
  return fromGlob(solutionTexts, './solution/');
}

export const DOCKERFILE = 'Dockerfile';
export const DOCKERIGNORE = '.dockerignore';
export const HADOLINT = '.hadolint.yaml';
export const COMPOSE = 'compose.yaml';

/** Files whose change means "the dependencies changed" rather than "the source changed". */
export const isDependencyFile = (path: string) => /(^|\/)(requirements[^/]*\.txt|pyproject\.toml|poetry\.lock|uv\.lock|Pipfile(\.lock)?|package(-lock)?\.json)$/.test(path);

/** Files that describe the build rather than what is built. */
export const isBuildFile = (path: string) => [DOCKERFILE, DOCKERIGNORE, HADOLINT, COMPOSE].includes(path);

const encoder = new TextEncoder();

/** The build context: every project file with its size and content checksum. */
export function contextOf(files: readonly ProjectFile[]): ContextFile[] {
  return files.map((f) => {
    if (f.synthetic) return { path: f.path, size: f.synthetic.size, digest: hex(`synthetic:${f.path}:${f.synthetic.seed}:${f.synthetic.size}`), mode: f.mode, mtime: f.mtime };
    const text = f.text ?? '';
    return { path: f.path, size: encoder.encode(text).length, digest: hex(text), mode: f.mode, text, mtime: f.mtime };
  });
}

export const fileText = (files: readonly ProjectFile[], path: string) => files.find((f) => f.path === path)?.text ?? '';
