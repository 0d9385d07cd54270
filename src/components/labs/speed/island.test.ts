/**
 * The speed lab's island must not bring tfjs onto the main thread (it once shipped all of it, 889 KB, through two
 * helpers): every module it reaches by a static import is free of @tensorflow, except asset URLs (`?url`). tfjs loads
 * in the lab's workers, which `new Worker(new URL(…))` bundles separately.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Static imports and re-exports that load code at run time (`import type` and `export type` load nothing). */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(pattern)) {
    if (m[2]) continue;
    if (m[1] === 'export' && !m[3]) continue;
    out.push(m[4]!);
  }
  return out;
}

/** A relative import as Vite resolves it: the file, or with an extension, or a folder's index. */
function resolveFile(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  const found = ['', '.ts', '.tsx', '.mjs', '.js', '/index.ts'].map((x) => base + x).find((f) => existsSync(f) && statSync(f).isFile());
  if (!found) throw new Error(`${from}: cannot resolve ${spec}`);
  return found;
}

/** Every module the entry reaches, and the bare packages each one imports. */
function reach(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      if (spec.endsWith('?url') || spec.endsWith('?raw') || spec.endsWith('.css')) continue;
      if (spec.startsWith('.')) visit(resolveFile(file, spec));
      else packages.set(spec, file);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the speed lab on the main thread', () => {
  const { files, packages } = reach(fileURLToPath(new URL('./SpeedWorkspace.tsx', import.meta.url)));

  it('reaches the lab definition, the runner and the shell, but no module that imports tfjs', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const names = [...files].map((f) => f.slice(root.length));
    expect(names).toEqual(expect.arrayContaining(['labs/speed/lab.ts', 'labs/speed/runner.ts', 'src/components/labs/shell/LabShell.tsx']));
    const tf = [...packages].filter(([spec]) => spec.startsWith('@tensorflow/'));
    expect(tf, `imported by ${tf.map(([, f]) => f).join(', ')}`).toEqual([]);
  });

  it('sees through type-only imports and catches a runtime one', () => {
    expect(runtimeImports("import type { A } from 'x';\nexport type { B } from 'y';\nimport { c, type D } from 'z';\nexport { e } from './e.ts';\nimport 'side';")).toEqual(['z', './e.ts', 'side']);
  });
});
