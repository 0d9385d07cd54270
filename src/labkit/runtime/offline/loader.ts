/**
 * Runs a program's ES modules from the in-memory file system. Each module's source is rewritten so that
 * - its relative imports point at the URLs of the project's other modules (made with `makeUrl`: blob: URLs in the
 *   browser, data: URLs in Node);
 * - `node:fs`, `path` and the other built-ins point at small modules that re-export the shims;
 * - the globals `process`, `console`, `setTimeout`... are the shims (a `const` line prepended on the first line,
 *   so line numbers in error messages stay right).
 */
import type { MemFS } from '../memfs.ts';
import { createHost, type HostOptions } from './shims.ts';

const STATIC_IMPORT = /(^|[\s;}])((?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?)(['"])([^'"\n]+)\3/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export class LinkError extends Error {}

/** Names an import clause binds: `a, { b as c, d }` -> a, c, d; `* as ns` -> ns. */
function boundNames(clause: string): string[] {
  const body = clause.replace(/^\s*(import|export)\s*/, '').replace(/\s*from\s*$/, '');
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(body);
  if (braces) {
    for (const part of braces[1].split(',')) {
      const words = part.trim().split(/\s+as\s+/);
      const name = (words[1] ?? words[0]).trim();
      if (name) names.push(name);
    }
  }
  const namespace = /\*\s*as\s+([\w$]+)/.exec(body);
  if (namespace) names.push(namespace[1]);
  const first = /^([\w$]+)/.exec(body.trim());
  if (first && first[1] !== 'type') names.push(first[1]);
  return clause.trim().startsWith('import') ? names : [];
}

export interface ProgramOptions extends Omit<HostOptions, 'onExit' | 'fs'> {
  fs: MemFS;
  /** The entry script, absolute or relative to cwd. */
  entry: string;
  /** Turn module source into an importable URL. */
  makeUrl: (code: string) => string;
  /** Release a URL made by makeUrl. */
  revokeUrl?: (url: string) => void;
  /** Import a module by URL (in a bundled worker, pass `(u) => import(u)` written with @vite-ignore). */
  importUrl?: (url: string) => Promise<unknown>;
}

export interface Program {
  /** Resolves with the exit code when the program ends. */
  exited: Promise<number>;
  /** Report an error that escaped (for example an unhandled promise rejection). */
  uncaught(error: unknown): void;
}

let counter = 0;

/** Load and run the entry module. */
export function startProgram(options: ProgramOptions): Program {
  const key = `__labkit_${Date.now().toString(36)}_${(counter += 1)}`;
  const registry = globalThis as unknown as Record<string, unknown>;
  const urls: string[] = [];
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const host = createHost({
    ...options,
    onExit: (code) => {
      delete registry[key];
      for (const url of urls) options.revokeUrl?.(url);
      resolveExit(code);
    },
  });
  registry[key] = { builtins: host.builtins, globals: host.globals };

  const make = (code: string) => {
    const url = options.makeUrl(code);
    urls.push(url);
    return url;
  };

  // One module per built-in, re-exporting the shim's members by name.
  const builtinUrls = new Map<string, string>();
  const builtinUrl = (name: string) => {
    let url = builtinUrls.get(name);
    if (!url) {
      const names = Object.keys(host.builtins[name]).filter((n) => IDENTIFIER.test(n) && n !== 'default');
      const code = `const m = globalThis[${JSON.stringify(key)}].builtins[${JSON.stringify(name)}];\nexport default m;\n` +
        (names.length ? `export const { ${names.join(', ')} } = m;\n` : '');
      url = make(code);
      builtinUrls.set(name, url);
    }
    return url;
  };

  const { fs } = options;
  const cwd = options.cwd;
  const pathToUrl = new Map<string, string>();
  const visiting = new Set<string>();

  const resolveFile = (specifier: string, importer: string): string => {
    const base = specifier.startsWith('/') ? specifier : `${importer.slice(0, importer.lastIndexOf('/'))}/${specifier}`;
    const abs = normalizePath(base);
    for (const candidate of [abs, `${abs}.mjs`, `${abs}.js`, `${abs}/index.mjs`, `${abs}/index.js`]) {
      const stat = fs.stat(candidate);
      if (stat?.file) return candidate;
    }
    throw new LinkError(`Cannot find module '${abs}' imported from ${importer}`);
  };

  const resolveSpecifier = (specifier: string, importer: string): string => {
    const bare = specifier.replace(/^node:/, '');
    if (bare in host.builtins) return builtinUrl(bare);
    if (specifier.startsWith('node:')) {
      throw new LinkError(`The offline runtime does not provide the built-in module '${specifier}' (imported from ${importer}).`);
    }
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
      return link(resolveFile(specifier, importer));
    }
    throw new LinkError(
      `Cannot find package '${specifier}' imported from ${importer}. The lab runs without npm packages: use Node's built-ins.`,
    );
  };

  const link = (file: string): string => {
    const known = pathToUrl.get(file);
    if (known) return known;
    if (visiting.has(file)) {
      throw new LinkError(`Circular import of ${file}: the offline runtime cannot load modules that import each other.`);
    }
    visiting.add(file);
    let source = fs.readText(file);
    if (source.startsWith('#!')) source = source.replace(/^#![^\n]*/, '');
    const declared = new Set<string>();
    source = source.replace(STATIC_IMPORT, (_match, lead: string, clause: string, quote: string, specifier: string) => {
      boundNames(clause).forEach((n) => declared.add(n));
      return `${lead}${clause}${quote}${resolveSpecifier(specifier, file)}${quote}`;
    });
    source = source.replace(DYNAMIC_IMPORT, (_match, quote: string, specifier: string) => `import(${quote}${resolveSpecifier(specifier, file)}${quote})`);
    const injected = Object.keys(host.globals).filter(
      (name) => !declared.has(name) && !new RegExp(`^(?:export\\s+)?(?:const|let|var|class|(?:async\\s+)?function\\*?)\\s+${name.replace('$', '\\$')}\\b`, 'm').test(source),
    );
    const prelude = `const { ${injected.join(', ')} } = globalThis[${JSON.stringify(key)}].globals;`;
    const url = make(`${prelude}${source}\n//# sourceURL=${file}\n`);
    visiting.delete(file);
    pathToUrl.set(file, url);
    return url;
  };

  host.setStackMapper((text) => {
    let out = text;
    for (const [file, url] of pathToUrl) out = out.split(url).join(file);
    return out;
  });

  let entryUrl: string;
  try {
    const entry = normalizePath(options.entry.startsWith('/') ? options.entry : `${cwd}/${options.entry}`);
    if (!fs.stat(entry)?.file) throw new LinkError(`Cannot find module '${entry}'`);
    entryUrl = link(entry);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const e = new Error(message);
    e.stack = `Error [ERR_MODULE_NOT_FOUND]: ${message}`;
    host.mainDone(e);
    return { exited, uncaught: host.uncaught };
  }
  const importUrl = options.importUrl ?? ((url: string) => import(/* @vite-ignore */ url));
  importUrl(entryUrl).then(
    () => host.mainDone(),
    (error) => host.mainDone(error),
  );
  return { exited, uncaught: host.uncaught };
}

function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** data: URLs, for running programs in Node (tests, the benchmark). */
export const dataUrl = (code: string) => `data:text/javascript;base64,${btoa(unescape(encodeURIComponent(code)))}`;
