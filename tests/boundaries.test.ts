/**
 * The layering ARCHITECTURE.md promises: the lab engine (src/labkit) and the labs' own definitions, workers and
 * exercises (labs/) import nothing from views, React or Astro, so they run in workers and in Node; and lab views
 * (src/components/labs) never import tfjs, which must stay in workers.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path, ext);
    return ext.test(name) ? [path] : [];
  });
}

const imports = (path: string) => [...readFileSync(path, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);

describe('module boundaries', () => {
  it('src/labkit and labs/ import no view, React or Astro module', () => {
    const offenders: string[] = [];
    for (const path of [...files(join(ROOT, 'src/labkit'), /\.(ts|mjs)$/), ...files(join(ROOT, 'labs'), /\.(ts|mjs)$/)]) {
      for (const spec of imports(path)) {
        if (/^(react|react-dom|astro)(\/|$)|^astro:|components\//.test(spec)) offenders.push(`${relative(ROOT, path)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lab views never import tfjs (it belongs in the workers)', () => {
    const offenders: string[] = [];
    for (const path of files(join(ROOT, 'src/components/labs'), /\.(ts|tsx)$/)) {
      for (const spec of imports(path)) if (/^@tensorflow\//.test(spec) && !spec.endsWith('?url')) offenders.push(`${relative(ROOT, path)} imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('browser code takes zod from src/labkit/zod.ts, configured for the Content-Security-Policy', () => {
    const offenders: string[] = [];
    const code = [...files(join(ROOT, 'src'), /\.(ts|tsx|mjs)$/), ...files(join(ROOT, 'labs'), /\.(ts|tsx|mjs)$/)].filter((p) => !/\.test\./.test(p));
    for (const path of code) {
      if (relative(ROOT, path) === 'src/labkit/zod.ts') continue;
      for (const spec of imports(path)) if (spec === 'zod' || spec.startsWith('zod/')) offenders.push(`${relative(ROOT, path)} imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });
});
