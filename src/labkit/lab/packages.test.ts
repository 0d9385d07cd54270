/** A student's module importing a package by name gets the bundled one, in every import form; other names are left. */
import { describe, expect, it } from 'vitest';
import { importSource } from './exercise.ts';
import { linkPackages } from './packages.ts';

const tiny = { greet: (who: string) => `hello ${who}`, answer: 42, default: 'the default' };

describe('linkPackages', () => {
  it('links named, default, namespace and re-export imports of a bundled package', async () => {
    const source = [
      "import { greet } from 'tiny';",
      'import whole, * as all from "tiny";',
      "export { answer } from 'tiny';",
      'export const said = greet("you");',
      'export const both = [whole, all.answer];',
    ].join('\n');
    const { source: linked, dispose } = linkPackages(source, { tiny });
    try {
      expect(linked).not.toMatch(/['"]tiny['"]/);
      const mod = await importSource(linked);
      expect(mod).toMatchObject({ said: 'hello you', both: ['the default', 42], answer: 42 });
    } finally {
      dispose();
    }
  });

  it('links a dynamic import too', async () => {
    const { source } = linkPackages("export const load = () => import('tiny');", { tiny });
    const mod = await importSource(source);
    expect(await (mod.load as () => Promise<{ answer: number }>)()).toMatchObject({ answer: 42 });
  });

  it('leaves other names and relative paths alone, and text that only looks like an import', () => {
    const source = "import x from 'other';\nimport y from './tiny';\nconst s = 'from tiny';";
    expect(linkPackages(source, { tiny }).source).toBe(source);
  });
});
