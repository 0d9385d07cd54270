// Serves the built site (dist/) as a static host would, with the deploy headers from dist/_headers applied path by
// path the way Cloudflare Pages applies them (see scripts/headers.mjs). Used by `npm run preview`, the end-to-end tests
// and the benchmarks.
//
// Usage: node scripts/serve.mjs [--port 4322] [--dir dist] [--base /course/] [--no-headers]
//   --port 0      picks a free port; the first line printed names the address
//   --base        the base path the site was built for (default: $BASE_PATH or /); other paths get a 404
//   --no-headers  serves as a host that cannot set headers (GitHub Pages, say), to test the service worker
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { headersFile, headersFor, readRules } from './headers.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4322' },
    dir: { type: 'string', default: 'dist' },
    base: { type: 'string', default: process.env.BASE_PATH ?? '/' },
    'no-headers': { type: 'boolean', default: false },
  },
});
const root = resolve(values.dir);
const base = `/${values.base.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
const builtHeaders = join(root, '_headers');
const rules = values['no-headers'] ? [] : readRules(existsSync(builtHeaders) ? builtHeaders : headersFile);

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  // Pagefind's index and fragments.
  '.pf_meta': 'application/octet-stream',
};

/** Files a host does not serve: its own configuration. */
const hidden = new Set(['/_headers', '/_redirects']);

/**
 * The site path (`/guide/overview/`) of a request target: null when it lies outside the base path, `base` when it is
 * the base path without its slash. Throws on a target that is not a URL (answered with 400).
 */
function sitePath(target) {
  // Origin form (`/path?query`), or absolute form (`http://host/path`), which HTTP/1.1 servers must accept too.
  const { pathname } = target.startsWith('/') ? new URL(target, 'http://host.invalid') : new URL(target);
  if (`${pathname}/` === base) return 'base';
  if (!pathname.startsWith(base)) return null;
  return `/${pathname.slice(base.length)}`;
}

/** The file for a site path, or null. Decoding happens here, so `/%` or a stray `..` is a 404, never an escape. */
function fileFor(path) {
  let decoded;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || hidden.has(decoded)) return null;
  const candidate = resolve(root, `.${decoded}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  for (const file of [candidate, join(candidate, 'index.html')]) {
    try {
      if (statSync(file).isFile()) return file;
    } catch {}
  }
  return null;
}

function send(res, status, path, file, head) {
  const headers = headersFor(rules, path);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'cache-control')) headers['Cache-Control'] = 'no-cache';
  res.writeHead(status, { ...headers, 'Content-Type': file ? (types[extname(file)] ?? 'application/octet-stream') : 'text/plain; charset=utf-8' });
  if (head || !file) res.end(file ? undefined : `${status}\n`);
  else createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

function handle(req, res) {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('405\n');
    return;
  }
  let path;
  try {
    path = sitePath(req.url ?? '/');
  } catch {
    path = undefined;
  }
  if (path === undefined) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('400\n');
    return;
  }
  if (path === 'base') {
    res.writeHead(301, { Location: base }).end();
    return;
  }
  const file = path === null ? null : fileFor(path);
  if (file) {
    // A directory without its trailing slash: redirect, as static hosts do, so relative links resolve.
    if (!path.endsWith('/') && file.endsWith(`${sep}index.html`) && !path.endsWith('index.html')) {
      res.writeHead(301, { Location: `${base}${path.slice(1)}/` }).end();
      return;
    }
    send(res, 200, path, file, head);
    return;
  }
  send(res, 404, path ?? '/404.html', fileFor('/404.html'), head);
}

const server = createServer((req, res) => {
  try {
    handle(req, res);
  } catch (error) {
    // Whatever a request holds, the server answers and stays up.
    console.error(`serve: ${req.method} ${req.url}: ${error instanceof Error ? error.message : error}`);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end();
  }
});
server.on('clientError', (_error, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  else socket.destroy();
});

server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`Serving ${root} at http://127.0.0.1:${port}${base} ${rules.length ? 'with' : 'without'} the deploy headers`);
});
