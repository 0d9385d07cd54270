// The preview server (scripts/serve.mjs) backs `npm run preview`, the end-to-end tests and the benchmarks: whatever a
// request holds, it must answer and stay up, and it must apply the deploy headers path by path as a static host does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const site = mkdtempSync(join(tmpdir(), 'serve-test-'));
const files: Record<string, string> = {
  'index.html': '<h1>home</h1>',
  '404.html': '<h1>not found</h1>',
  'guide/overview/index.html': '<h1>overview</h1>',
  '_astro/page.abc123.js': 'export {};',
  '_astro/offline-runtime.worker-abc123.js': 'self.x = 1;',
  _headers: [
    '/*',
    '  X-Content-Type-Options: nosniff',
    "  Content-Security-Policy: default-src 'self'",
    '/_astro/*',
    '  Cache-Control: public, max-age=31536000, immutable',
    '/_astro/offline-runtime.worker-*.js',
    "  Content-Security-Policy: connect-src 'none'",
    '/guide/:page/',
    '  ! X-Content-Type-Options',
    '',
  ].join('\n'),
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(join(site, path, '..'), { recursive: true });
  writeFileSync(join(site, path), text);
}

interface Server {
  process: ChildProcess;
  origin: string;
}

function start(...args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', site, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.on('data', (chunk) => {
      const origin = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
      if (origin) resolve({ process: child, origin });
    });
  });
}

/** Sends bytes as they are (no client library cleans them up) and returns the status line of the answer. */
function raw(origin: string, request: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer.split('\r\n')[0]));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

describe('scripts/serve.mjs', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => {
    server.process.kill();
  });

  test.each([
    ['a lone percent sign', get('/%'), '404'],
    ['a malformed escape', get('/%E0%A4%A/x'), '404'],
    ['an absolute-form target with a broken host', get('http://[/x'), '400'],
    ['an absolute-form target', get('http://127.0.0.1/guide/overview/'), '200'],
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', '405'],
    ['a traversal', get('/../../etc/passwd'), '404'],
    ['an encoded traversal', get('/%2e%2e/%2e%2e/etc/passwd'), '404'],
    ['a NUL byte', get('/index.html%00.js'), '404'],
    ['its own headers file', get('/_headers'), '404'],
    ['garbage instead of HTTP', 'HELLO\r\n\r\n', '400'],
  ])('answers %s and keeps serving', async (_name, request, status) => {
    expect(await raw(server.origin, request)).toContain(` ${status} `);
    expect(await raw(server.origin, get('/'))).toBe('HTTP/1.1 200 OK');
  });

  test('applies the header rules path by path', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const hashed = await fetch(`${server.origin}/_astro/page.abc123.js`);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(hashed.headers.get('content-type')).toMatch(/^text\/javascript/);

    const worker = await fetch(`${server.origin}/_astro/offline-runtime.worker-abc123.js`);
    expect(worker.headers.get('content-security-policy')).toBe("default-src 'self', connect-src 'none'");

    const guide = await fetch(`${server.origin}/guide/overview/`);
    expect(guide.headers.get('x-content-type-options')).toBeNull();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('redirects a folder without its slash and answers 404 with the 404 page', async () => {
    const folder = await fetch(`${server.origin}/guide/overview`, { redirect: 'manual' });
    expect(folder.status).toBe(301);
    expect(folder.headers.get('location')).toBe('/guide/overview/');
    const missing = await fetch(`${server.origin}/no/such/page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('not found');
  });
});

describe('scripts/serve.mjs under a base path', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start('--base', '/course/');
  });
  afterAll(() => {
    server.process.kill();
    rmSync(site, { recursive: true, force: true });
  });

  test('serves the site under the base path only, with the rules matched inside it', async () => {
    expect((await fetch(`${server.origin}/course/guide/overview/`)).status).toBe(200);
    expect((await fetch(`${server.origin}/guide/overview/`)).status).toBe(404);
    const bare = await fetch(`${server.origin}/course`, { redirect: 'manual' });
    expect(bare.headers.get('location')).toBe('/course/');
    const hashed = await fetch(`${server.origin}/course/_astro/page.abc123.js`);
    expect(hashed.headers.get('cache-control')).toContain('immutable');
  });
});
