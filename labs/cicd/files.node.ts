/**
 * The repository under CI for plain Node (the benchmark): the same files files.ts gives the page through Vite,
 * read from disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTree } from '../../src/labkit/lab/node.ts';
import { starterFiles } from '../pipeline/files.node.ts';

const LAB_DIR = fileURLToPath(new URL('.', import.meta.url));


export function repoFiles(): Record<string, string> {
  const files = { ...starterFiles(), ...readTree(join(LAB_DIR, 'repo')) };
  files['ci/gate-rules.mjs'] = readFileSync(join(LAB_DIR, '../../src/labkit/ci/gate-rules.mjs'), 'utf8');
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

export const referenceWorkflow = (): string => readFileSync(join(LAB_DIR, 'solutions/ci.yml'), 'utf8');
