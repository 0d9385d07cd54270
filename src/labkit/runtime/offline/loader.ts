/**
 * Runs a program's ES modules from the in-memory file system, as Node 24 would.
 *
 * Each module is parsed with acorn (a syntax error is reported as Node reports it, with file, line, column, the
 * source line and carets) and its source is rewritten, leaving line numbers alone:
 * - static imports point at the URLs of the project's other modules (made with `makeUrl`: blob: URLs in the
 *   browser, data: URLs in Node) or at small modules that re-export a built-in from the registry;
 * - `import(...)` goes through a guard that loads only the project's modules and the built-ins: any other specifier,
 *   literal or computed, fails with a message that says the lab runtime has no network;
 * - `import.meta` is an object with Node's `url` (`file:///project/...`), `filename`, `dirname` and `resolve`;
 * - each top-level `await` notes where it is, so that a program left waiting on one ends with Node's warning and
 *   exit code 13.
 * The edits change columns on their lines only; error stacks are mapped back to the original columns.
 */
import { Parser, type Node as AcornNode } from 'acorn';
import { normalize, type MemFS } from '../memfs.ts';
import { Host, OFFLINE_NODE_VERSION, type HostOptions, type AwaitSite } from './host.ts';
import { builtinName, PLANNED, UNAVAILABLE } from './shims/index.ts';
import { describeSyntaxError, sourceHeader } from './syntax.ts';

export const PROJECT_URL = 'file://';
/** The global through which rewritten modules reach the loader (one program per worker). */
const GLOBAL_KEY = '__labkit__';

export interface ProgramOptions extends Omit<HostOptions, 'onExit' | 'fs'> {
  fs: MemFS;
  /** The entry script, absolute or relative to cwd. */
  entry: string;
  /** Turn module source into an importable URL. */
  makeUrl: (code: string) => string;
  /** Release a URL made by makeUrl. */
  revokeUrl?: (url: string) => void;
  /** Import a module by URL (in a bundled worker, pass `(u) => import(u)` written with @vite-ignore). */
  importUrl: (url: string) => Promise<unknown>;
  /** Where the program's globals go (the worker's global object). */
  scope: Record<string, unknown>;
}

export interface Program {
  /** Resolves with the exit code when the program ends. */
  exited: Promise<number>;
  /** Report an error that escaped (an uncaught exception). */
  uncaught(error: unknown): void;
  /** Report a promise rejection nobody handled. */
  unhandledRejection(reason: unknown): void;
  host: Host;
}

/** A module's edits on one line: where each starts in the rewritten text, and how many characters it added. */
type LineEdits = Map<number, { at: number; added: number }[]>;

interface Edit {
  start: number;
  end: number;
  text: string;
}

class ModuleError extends Error {
  code: string;
  url?: string;
  constructor(code: string, message: string, url?: string) {
    super(message);
    this.name = 'Error';
    this.code = code;
    if (url) this.url = url;
    this.stack = `Error [${code}]: ${message}`;
  }
}

const fileUrl = (path: string) => `${PROJECT_URL}${encodeURI(path)}`;
const dirnameOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

const isFunction = (node: AcornNode) => /Function|ArrowFunction/.test(node.type) && node.type !== 'FunctionBody';

/** Visit every node below `node`; `enterFunctions: false` skips function bodies (for top-level awaits). */
function walk(node: AcornNode, visit: (node: AcornNode) => void, enterFunctions: boolean): void {
  visit(node);
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && typeof (child as AcornNode).type === 'string') {
        if (!enterFunctions && isFunction(child as AcornNode)) continue;
        walk(child as AcornNode, visit, enterFunctions);
      }
    }
  }
}

/** Load and run the entry module. */
export function startProgram(options: ProgramOptions): Program {
  const urls: string[] = [];
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const host = new Host({
    ...options,
    onExit: (code) => {
      for (const url of urls) options.revokeUrl?.(url);
      resolveExit(code);
    },
  });
  const { fs, scope } = options;
  const make = (code: string) => {
    const url = options.makeUrl(code);
    urls.push(url);
    return url;
  };

  // ---- built-ins: one small module per built-in, re-exporting the shim's members by name
  const builtinUrls = new Map<string, string>();
  const builtinUrl = (name: Parameters<Host['builtin']>[0]) => {
    let url = builtinUrls.get(name);
    if (!url) {
      const module = host.builtin(name);
      const names = Object.keys(module).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      const source = `const m = globalThis.${GLOBAL_KEY}.builtin(${JSON.stringify(name)});\nexport default ('default' in m ? m.default : m);\n` +
        (names.length ? `export const { ${names.join(', ')} } = m;\n` : '');
      url = make(source);
      builtinUrls.set(name, url);
    }
    return url;
  };

  // ---- the project's modules
  const sources = new Map<string, string>();
  const lineEdits = new Map<string, LineEdits>();
  const pathToUrl = new Map<string, string>();
  const visiting = new Set<string>();
  const awaitSites: AwaitSite[] = [];
  let lastAwait: AwaitSite | null = null;

  const notFound = (specifier: string, importer: string, abs: string): ModuleError => {
    let hint = '';
    for (const ext of ['.mjs', '.js', '/index.mjs', '/index.js']) {
      if (fs.stat(abs + ext)?.file) {
        hint = `\nDid you mean to import "${specifier}${ext}"?`;
        break;
      }
    }
    return new ModuleError('ERR_MODULE_NOT_FOUND', `Cannot find module '${abs}' imported from ${importer}${hint}`, fileUrl(abs));
  };

  /** The URL to import for a specifier written in `importer`; `json` when the import says `with { type: 'json' }`. */
  const resolveSpecifier = (specifier: string, importer: string, json: boolean): string => {
    const builtin = builtinName(specifier);
    if (builtin) return builtinUrl(builtin);
    const bare = specifier.replace(/^node:/, '');
    if (specifier.startsWith('node:') || bare in PLANNED || bare in UNAVAILABLE) {
      const why = PLANNED[bare] ?? UNAVAILABLE[bare];
      throw new ModuleError('ERR_UNKNOWN_BUILTIN_MODULE', `The offline runtime does not provide the built-in module '${specifier}'${why ? ` (${why})` : ''}. It was imported from ${importer}.`);
    }
    let target: string | null = null;
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
      target = normalize(specifier.startsWith('/') ? specifier : `${dirnameOf(importer)}/${specifier}`);
    } else if (specifier.startsWith('file://')) {
      target = decodeURIComponent(new URL(specifier).pathname);
    } else if (/^[a-z][a-z\d+.-]*:/i.test(specifier)) {
      throw new ModuleError(
        'ERR_NETWORK_BLOCKED',
        `network access is not available in the lab runtime: import('${specifier}') was blocked. Programs here can import the project's own files and Node's built-ins.`,
      );
    }
    if (target === null) {
      throw new ModuleError(
        'ERR_MODULE_NOT_FOUND',
        `Cannot find package '${specifier}' imported from ${importer}. The lab runs without npm packages: use Node's built-ins.`,
      );
    }
    const stat = fs.stat(target);
    if (!stat?.file) throw notFound(specifier, importer, target);
    if (target.endsWith('.json')) {
      if (!json) throw new ModuleError('ERR_IMPORT_ATTRIBUTE_MISSING', `Module "${fileUrl(target)}" needs an import attribute of "type: json"`);
      return jsonModule(target);
    }
    return link(target);
  };

  const jsonModule = (file: string): string => {
    const known = pathToUrl.get(file);
    if (known) return known;
    const text = fs.readText(file);
    JSON.parse(text);
    const url = make(`export default JSON.parse(${JSON.stringify(text)});\n`);
    pathToUrl.set(file, url);
    return url;
  };

  const link = (file: string): string => {
    const known = pathToUrl.get(file);
    if (known) return known;
    if (visiting.has(file)) {
      throw new ModuleError('ERR_OFFLINE_CIRCULAR_IMPORT', `Circular import of ${file}: the offline runtime cannot load modules that import each other.`);
    }
    visiting.add(file);
    const source = fs.readText(file);
    sources.set(file, source);
    let ast: AcornNode & { body: AcornNode[] };
    try {
      ast = Parser.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true }) as typeof ast;
    } catch (error) {
      const e = error as SyntaxError & { pos?: number; raisedAt?: number };
      if (typeof e.pos !== 'number') throw error;
      const problem = describeSyntaxError(source, e.message, e.pos, e.raisedAt ?? e.pos);
      const syntax = new SyntaxError(problem.message);
      syntax.stack = `${sourceHeader(fileUrl(file), source, problem.line, problem.column, problem.length)}\nSyntaxError: ${problem.message}`;
      throw syntax;
    }
    const edits: Edit[] = [];
    walk(ast, (node) => {
      const n = node as AcornNode & Record<string, AcornNode & { value?: unknown }>;
      if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && n.source) {
        const attributes = (n as unknown as { attributes?: (AcornNode & { key: { name?: string; value?: string }; value: { value: string } })[] }).attributes ?? [];
        const json = attributes.some((a) => (a.key.name ?? a.key.value) === 'type' && a.value.value === 'json');
        const url = resolveSpecifier(String(n.source.value), file, json);
        // `with { type: 'json' }` is dropped: the JSON module made for it is JavaScript.
        const end = attributes.length ? source.indexOf('}', attributes[attributes.length - 1].end) + 1 : n.source.end;
        edits.push({ start: n.source.start, end, text: JSON.stringify(url) });
      } else if (node.type === 'ImportExpression') {
        edits.push({ start: node.start, end: node.start + 'import'.length, text: '$lkImp' });
      } else if (node.type === 'MetaProperty' && (n.meta as unknown as { name: string }).name === 'import') {
        edits.push({ start: node.start, end: node.end, text: '$lkMeta__()' });
      }
    }, true);
    walk(ast, (node) => {
      if (node.type !== 'AwaitExpression') return;
      const argument = (node as AcornNode & { argument: AcornNode }).argument;
      const before = source.slice(0, node.start);
      awaitSites.push({ file, line: before.split('\n').length, column: node.start - (before.lastIndexOf('\n') + 1) });
      edits.push({ start: argument.start, end: argument.start, text: `($lkAt(${awaitSites.length - 1}), ` });
      edits.push({ start: argument.end, end: argument.end, text: ')' });
    }, false);
    edits.sort((a, b) => a.start - b.start || a.end - b.end);

    let out = '';
    let last = 0;
    const perLine: LineEdits = new Map();
    let line = 1;
    let lineStartOut = 0;
    for (const edit of edits) {
      const chunk = source.slice(last, edit.start);
      const newlines = chunk.split('\n');
      if (newlines.length > 1) {
        line += newlines.length - 1;
        lineStartOut = out.length + chunk.lastIndexOf('\n') + 1;
      }
      out += chunk;
      const added = edit.text.length - (edit.end - edit.start);
      if (added) perLine.set(line, [...(perLine.get(line) ?? []), { at: out.length - lineStartOut, added }]);
      out += edit.text;
      last = edit.end;
    }
    out += source.slice(last);
    lineEdits.set(file, perLine);
    const fileLiteral = JSON.stringify(file);
    const helpers =
      `\nfunction $lkImp(s, o) { return globalThis.${GLOBAL_KEY}.import(s, o, ${fileLiteral}); }` +
      `\nfunction $lkMeta__() { return globalThis.${GLOBAL_KEY}.meta(${fileLiteral}); }` +
      `\nfunction $lkAt(n) { globalThis.${GLOBAL_KEY}.awaiting(n); }` +
      `\n//# sourceURL=${fileUrl(file)}\n`;
    const url = make(out + helpers);
    visiting.delete(file);
    pathToUrl.set(file, url);
    return url;
  };

  const projectUrl = `${fileUrl(options.cwd)}/`;
  /** Map stack text: module URLs to file URLs, and columns on edited lines back to the source's columns. */
  const mapStack = (text: string): string => {
    let out = text;
    for (const [file, url] of pathToUrl) out = out.split(url).join(fileUrl(file));
    // Frames in the runtime's own code (the shims, the worker bundle) mean nothing to the student: Node shows its
    // internals as node: frames; here they are left out.
    out = out
      .split('\n')
      .filter((line) => !/^\s+at .*(?:blob:|data:|https?:\/\/|file:\/\/)/.test(line) || line.includes(projectUrl))
      .join('\n');
    return out.replace(/file:\/\/(\/[^\s:()]*):(\d+):(\d+)/g, (match, encoded: string, l: string, c: string) => {
      const edits = lineEdits.get(decodeURI(encoded))?.get(Number(l));
      if (!edits) return match;
      let column = Number(c) - 1;
      let shift = 0;
      for (const edit of edits) if (edit.at + edit.added <= column) shift += edit.added;
      column -= shift;
      return `file://${encoded}:${l}:${column + 1}`;
    });
  };
  host.mapStack = mapStack;

  host.describeUnsettled = () => {
    const site = lastAwait;
    if (!site) return 'Warning: Detected unsettled top-level await\n\n\n\n';
    const source = sources.get(site.file) ?? '';
    return `Warning: Detected unsettled top-level await at ${sourceHeader(fileUrl(site.file), source, site.line, site.column, 1)}\n\n\n`;
  };

  const metas = new Map<string, object>();
  const importUrl = options.importUrl;
  const loader = {
    builtin: (name: Parameters<Host['builtin']>[0]) => host.builtin(name),
    meta: (file: string) => {
      let meta = metas.get(file);
      if (!meta) {
        meta = {
          url: fileUrl(file),
          filename: file,
          dirname: dirnameOf(file),
          resolve: (specifier: string) => {
            const builtin = builtinName(specifier);
            if (builtin) return specifier.startsWith('node:') ? specifier : `node:${specifier}`;
            if (/^(\.{1,2}\/|\/)/.test(specifier)) return fileUrl(normalize(specifier.startsWith('/') ? specifier : `${dirnameOf(file)}/${specifier}`));
            return new URL(specifier).href;
          },
        };
        metas.set(file, meta);
      }
      return meta;
    },
    import: (specifier: unknown, importOptions: unknown, importer: string) => {
      try {
        const json = (importOptions as { with?: { type?: string } } | undefined)?.with?.type === 'json';
        return host.track(importUrl(resolveSpecifier(String(specifier), importer, json)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    awaiting: (n: number) => {
      lastAwait = awaitSites[n];
      // A top-level await has started: from now on the program may be left waiting with nothing to wake it.
      host.scheduleIdleCheck();
    },
  };
  Object.defineProperty(scope, GLOBAL_KEY, { value: loader, configurable: true });
  for (const [name, value] of Object.entries(host.globals())) {
    Object.defineProperty(scope, name, { value, writable: true, configurable: true, enumerable: false });
  }

  let entryUrl: string;
  try {
    const entry = normalize(options.entry.startsWith('/') ? options.entry : `${options.cwd}/${options.entry}`);
    if (!fs.stat(entry)?.file) {
      throw new ModuleError('ERR_MODULE_NOT_FOUND', `Cannot find module '${entry}'`, fileUrl(entry));
    }
    entryUrl = link(entry);
  } catch (error) {
    host.mainDone(error);
    return { exited, uncaught: host.uncaught, unhandledRejection: host.unhandledRejection, host };
  }
  // Not tracked: the entry module may wait on a top-level await that nothing settles (exit code 13).
  importUrl(entryUrl).then(
    () => host.mainDone(),
    (error) => host.mainDone(error),
  );
  return { exited, uncaught: host.uncaught, unhandledRejection: host.unhandledRejection, host };
}

/** data: URLs, for running programs in Node (tests, the benchmark). */
export const dataUrl = (code: string) => `data:text/javascript;base64,${btoa(unescape(encodeURIComponent(code)))}`;

export { OFFLINE_NODE_VERSION };
