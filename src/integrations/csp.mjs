// A Content-Security-Policy made from the built pages, written into dist/_headers for every page.
//
// Astro's own `security.csp` was not used: it hashes only the scripts Astro bundles itself, not `is:inline` scripts
// such as Starlight's theme script, and it can only emit a <meta> tag, where `frame-ancestors` is ignored. Here every
// inline script of every built page is hashed instead, so the policy needs no 'unsafe-inline' for scripts.
import { parseExpressionAt } from 'acorn';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHeaders, headersFile, parseHeaders, patternMatches } from '../../scripts/headers.mjs';

/** Hosts a page may frame: StackBlitz runs WebContainers in a hidden frame, and their preview servers on these. */
const webContainerFrames = ['https://stackblitz.com', 'https://*.webcontainer-api.io'];

/**
 * The policy for every page, given the hashes of the inline scripts the pages hold.
 * - scripts: the site's own files, the hashed inline scripts, blob: (workers the labs build: tfjs' wasm threads, the
 *   offline runtime's modules) and compiling WebAssembly (tfjs, Pagefind); no 'unsafe-inline', no 'unsafe-eval'.
 * - styles: 'unsafe-inline' stays, for the style attributes Expressive Code and Starlight write and the <style>
 *   elements Monaco and xterm.js insert at run time; styles cannot run code.
 * - connections: the site, and StackBlitz for the quick probe that tells a blocked network at once (choose.ts);
 *   WebContainers themselves talk to their frame by postMessage.
 * - frames: the site's own pages (reveal.js's speaker view shows the deck in two frames) and WebContainers';
 *   frame-ancestors 'self': no other site can frame a page (the progress page with its Reset button, say).
 * @param {Iterable<string>} scriptHashes `sha256-…` sources
 */
export function sitePolicy(scriptHashes) {
  const directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'", 'blob:', ...[...new Set(scriptHashes)].sort().map((hash) => `'${hash}'`)],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'https://stackblitz.com'],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': ["'self'", ...webContainerFrames],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** `sha256-…` of every inline script in a page (scripts with a src are covered by 'self'). */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\ssrc\s*=/i.test(attributes)) continue;
    const type = attributes.match(/\stype\s*=\s*["']?([^"'\s>]+)/i)?.[1]?.toLowerCase();
    // Data blocks (JSON, templates) are never run, so they need no hash.
    if (type && !['module', 'text/javascript', 'application/javascript'].includes(type)) continue;
    hashes.push(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  return hashes;
}

/** Inline event handlers (`onclick="…"`) and `javascript:` URLs cannot be allowed by hash; the build refuses them. */
export function inlineHandlers(html) {
  const found = [];
  for (const [, tag] of html.matchAll(/<([a-z][\w-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?\son[a-z]+\s*=/gi)) found.push(`<${tag} on…=>`);
  for (const [url] of html.matchAll(/\s(?:href|src|action)\s*=\s*["']\s*javascript:[^"']*/gi)) found.push(url.trim());
  return found;
}

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => '/' + relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/**
 * Adds the policy to the `/*` rule of `_headers` in the built site. A rule naming particular files (the offline
 * runtime's worker) must still match a built file: a rename that would silently drop its stricter policy fails the
 * build instead.
 */
/**
 * reveal.js's speaker view is a page the notes plugin writes into an about:blank window, which inherits the deck's
 * policy: its inline scripts are hashed from the plugin's own template, so the hashes follow the installed version.
 */
export function speakerViewHashes() {
  // The ES module build (the one the decks bundle) holds the template as one string literal; acorn reads its value.
  const plugin = readFileSync(createRequire(import.meta.url).resolve('reveal.js/plugin/notes').replace(/\.js$/, '.mjs'), 'utf8');
  const at = plugin.indexOf('.document.write(');
  if (at < 0) throw new Error('reveal.js notes plugin: the speaker view template was not found; update speakerViewHashes');
  const literal = parseExpressionAt(plugin, at + '.document.write('.length, { ecmaVersion: 'latest' });
  if (literal.type !== 'Literal' || typeof literal.value !== 'string') throw new Error('reveal.js notes plugin: the speaker view template is not a string literal; update speakerViewHashes');
  return inlineScriptHashes(literal.value);
}

export function writeSiteHeaders(root) {
  const pages = htmlFiles(root);
  const hashes = new Set(speakerViewHashes());
  const problems = [];
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    inlineScriptHashes(html).forEach((hash) => hashes.add(hash));
    for (const handler of inlineHandlers(html)) problems.push(`${relative(root, page)}: ${handler}`);
  }
  if (problems.length) {
    throw new Error(`Inline event handlers and javascript: URLs cannot be allowed by the Content-Security-Policy; use a script instead:\n${problems.join('\n')}`);
  }
  const target = join(root, '_headers');
  const rules = parseHeaders(readFileSync(existsSync(target) ? target : headersFile, 'utf8'));
  const files = filesUnder(root);
  for (const rule of rules) {
    if (/[*:]/.test(rule.pattern.replace(/\/\*$/, '')) && !files.some((file) => patternMatches(rule.pattern, file))) {
      throw new Error(`_headers: no built file matches ${rule.pattern}; its headers would never apply (was a file renamed?)`);
    }
  }
  const everything = rules.find((rule) => rule.pattern === '/*');
  if (!everything) throw new Error('_headers needs a /* rule');
  const policy = sitePolicy(hashes);
  everything.set = everything.set.filter(([name]) => name.toLowerCase() !== 'content-security-policy').concat([['Content-Security-Policy', policy]]);
  writeFileSync(target, formatHeaders(rules));
  return { pages: pages.length, hashes: hashes.size, policy };
}

/** The Astro integration: runs after every build. */
export function contentSecurityPolicy() {
  return {
    name: 'course:content-security-policy',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const { pages, hashes } = writeSiteHeaders(fileURLToPath(dir));
        logger.info(`Content-Security-Policy for ${pages} pages (${hashes} inline scripts by hash) written to _headers`);
      },
    },
  };
}
