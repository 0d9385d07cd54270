/**
 * The repository under CI for plain Node (the benchmark): the same files files.ts gives the page through Vite,
 * read from disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { starterFiles } from '../pipeline/files.node.ts';

const LAB_DIR = fileURLToPath(new URL('.', import.meta.url));

function walk(dir: string, root: string, out: Record<string, string>): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, out);
    else out[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
  }
  return out;
}

export function repoFiles(): Record<string, string> {
  const files = { ...starterFiles(), ...walk(join(LAB_DIR, 'repo'), join(LAB_DIR, 'repo'), {}) };
  files['ci/gate-rules.mjs'] = readFileSync(join(LAB_DIR, '../../src/labkit/ci/gate-rules.mjs'), 'utf8');
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

export const referenceWorkflow = (): string => readFileSync(join(LAB_DIR, 'solutions/ci.yml'), 'utf8');
