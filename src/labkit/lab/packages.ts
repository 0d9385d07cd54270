/**
 * Packages a student's module may import by name, as on their own machine (`import { Hono } from 'hono'`), where the
 * page has no npm and no import map (workers have none): the lab bundles the package, and `linkPackages` points the
 * module's import of that name at a small module that re-exports the bundled namespace. Other bare names stay as they
 * are, and the browser's own error says which one it could not resolve.
 */
import { moduleUrl } from './exercise.ts';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`: the quote and the name. */
const SPECIFIERS = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\2/g;

/**
 * The source with its imports of the given packages linked to their bundled namespaces; `dispose` frees the modules
 * made for them (after the import has finished).
 */
export function linkPackages(source: string, packages: Record<string, Record<string, unknown>>): { source: string; dispose(): void } {
  const made = new Map<string, { url: string; revoke(): void }>();
  const linked = source.replace(SPECIFIERS, (whole, lead: string, quote: string, name: string) => {
    const namespace = Object.hasOwn(packages, name) ? packages[name] : undefined;
    if (!namespace) return whole;
    let module = made.get(name);
    if (!module) {
      const key = `labkit:package:${name}`;
      (globalThis as Record<symbol, unknown>)[Symbol.for(key)] = namespace;
      const names = Object.keys(namespace).filter((n) => n !== 'default' && IDENTIFIER.test(n));
      const code = `const m = globalThis[Symbol.for(${JSON.stringify(key)})];\nexport const { ${names.join(', ')} } = m;\nexport default m.default;\n`;
      module = moduleUrl(code);
      made.set(name, module);
    }
    return `${lead}${quote}${module.url}${quote}`;
  });
  return { source: linked, dispose: () => made.forEach((m) => m.revoke()) };
}
