// Serves the built site (dist/) with the deploy headers from public/_headers, as a static host would.
// Used by `npm run preview`, the end-to-end tests and the benchmarks. Usage: node scripts/serve.mjs [--port 4322] [--dir dist]
// (--port 0 picks a free port; the first line printed names the address; --no-headers leaves out the deploy headers).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { siteHeaders } from './headers.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4322' },
    dir: { type: 'string', default: 'dist' },
    // Serve as a host that cannot set headers (GitHub Pages, say), to test the service-worker fallback.
    'no-headers': { type: 'boolean', default: false },
  },
});
const root = resolve(values.dir);
const headers = values['no-headers'] ? {} : siteHeaders();

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
};

function fileFor(urlPath) {
  const path = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
  const candidate = join(root, path);
  if (!candidate.startsWith(root)) return null;
  for (const file of [candidate, join(candidate, 'index.html')]) {
    try {
      if (statSync(file).isFile()) return file;
    } catch {}
  }
  return null;
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  let file = fileFor(pathname);
  let status = 200;
  if (!file && !pathname.endsWith('/') && !extname(pathname) && fileFor(`${pathname}/`)) {
    res.writeHead(301, { ...headers, Location: `${pathname}/` }).end();
    return;
  }
  if (!file) {
    status = 404;
    file = fileFor('/404.html');
  }
  res.writeHead(status, {
    ...headers,
    'Content-Type': types[extname(file ?? '')] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD' || !file) res.end();
  else createReadStream(file).pipe(res);
});

server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`Serving ${root} at http://127.0.0.1:${server.address().port}/ ${values['no-headers'] ? 'without' : 'with'} the deploy headers`);
});
