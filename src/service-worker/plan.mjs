// What the service worker keeps for offline use, decided at build time from the built files, in two tiers:
// - core, fetched when the worker installs: every page, and what pages other than the labs load (styles, scripts and
//   the scripts they import, fonts, pictures, diagrams) plus the search index;
// - labs, fetched the first time a student opens a lab: everything else (lab bundles, workers, wasm, models, MNIST
//   data, the Mermaid renderer), tens of megabytes that a reader never needs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** Files that are configuration, not site: never cached. */
const excluded = [/^\/_headers$/, /^\/_redirects$/, /^\/sw\.js$/, /^\/labs\/[^/]+\/sandbox\/sw\.js$/, /^\/sitemap[^/]*\.xml$/, /\.map$/];
/** Loaded on demand by the search box, wanted offline with the pages. */
const alwaysCore = [/^\/pagefind\//];
/**
 * Imported by reading pages only for a diagram not drawn ahead of time (src/lib/mermaid-loader.ts), which a finished
 * build does not have (tests/diagrams.test.ts fails on one); the pipeline lab draws its graph with it.
 */
const notForReaders = [/^\/_astro\/mermaid\.core\.[^/]+\.js$/];

/** A lab page: /labs/<lab>/ (the labs index is an ordinary page). */
export const isLabPage = (path) => /^\/labs\/[^/]+\/index\.html$/.test(path);

function filesUnder(root) {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => '/' + relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** URLs a file refers to: links and sources in HTML, url() and @import in CSS, static imports in JavaScript. */
export function references(text, type) {
  if (type === '.html') {
    return [
      ...[...text.matchAll(/\s(?:src|href|poster|content)\s*=\s*"([^"]+)"/gi)].map((m) => m[1]),
      ...[...text.matchAll(/\ssrcset\s*=\s*"([^"]+)"/gi)].flatMap((m) => m[1].split(',').map((part) => part.trim().split(/\s+/)[0])),
    ];
  }
  if (type === '.css') return [...text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2]);
  if (type === '.js' || type === '.mjs') {
    // `import{a}from"./x.js"`, `import"./x.js"`, `export*from"./x.js"`, and `import("./x.js")` (the search box loads
    // its interface that way as soon as a page is idle).
    const imports = /(?:^|[;\s})])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+)["']|\bimport\(\s*["'`]([^"'`$]+)["'`]\s*\)/g;
    return [...text.matchAll(imports)].map((m) => m[1] ?? m[2]);
  }
  return [];
}

/** The dist-relative path (`/guide/overview/index.html`) a reference from `from` points to, if it is a built file. */
function resolveReference(reference, from, base, files) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) || reference.startsWith('//') || reference.startsWith('#')) return undefined;
  const url = new URL(reference.replaceAll('&amp;', '&'), `http://site.invalid${base}${from.slice(1)}`);
  if (!url.pathname.startsWith(base)) return undefined;
  let path = `/${decodeURIComponent(url.pathname.slice(base.length))}`;
  if (path.endsWith('/')) path += 'index.html';
  return files.has(path) ? path : undefined;
}

const revision = (root, path) => createHash('sha256').update(readFileSync(join(root, path))).digest('hex').slice(0, 16);

/** The URL a file is requested by: a page by its folder (`/course/guide/overview/`), anything else by its path. */
const urlOf = (base, path) => base + path.slice(1).replace(/(^|\/)index\.html$/, '$1');

/**
 * @param {string} root the built site
 * @param {string} base the base path (`/` or `/course/`)
 * @returns {{ core: { url: string, revision: string }[], labs: { url: string, revision: string }[] }}
 */
export function precachePlan(root, base) {
  const files = new Set(filesUnder(root).filter((path) => !excluded.some((pattern) => pattern.test(path))));
  const core = new Set([...files].filter((path) => path.endsWith('.html') || alwaysCore.some((pattern) => pattern.test(path))));
  const queue = [...core].filter((path) => path.endsWith('.html') && !isLabPage(path));
  const seen = new Set(queue);
  while (queue.length) {
    const path = /** @type {string} */ (queue.shift());
    const type = extname(path);
    for (const reference of references(readFileSync(join(root, path), 'utf8'), type)) {
      const target = resolveReference(reference, path, base, files);
      if (!target || seen.has(target) || notForReaders.some((pattern) => pattern.test(target))) continue;
      seen.add(target);
      core.add(target);
      // Pages are read in their own right; follow only what this page's resources load.
      if (!target.endsWith('.html') && ['.css', '.js', '.mjs'].includes(extname(target))) queue.push(target);
    }
  }
  const entry = (path) => ({ url: urlOf(base, path), revision: revision(root, path) });
  const sorted = (paths) => [...paths].sort().map(entry);
  return { core: sorted(core), labs: sorted([...files].filter((path) => !core.has(path))) };
}
