import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { headersFor, parseHeaders } from '../../scripts/headers.mjs';
import { inlineHandlers, inlineScriptHashes, sitePolicy, speakerViewHashes, writeSiteHeaders } from './csp.mjs';

describe('inline script hashes', () => {
  test('match the CSP specification’s example', () => {
    // CSP Level 3, "hash-source": <script>alert('Hello, world.');</script>
    expect(inlineScriptHashes("<script>alert('Hello, world.');</script>")).toEqual(['sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=']);
  });

  test('cover inline classic and module scripts, not external scripts or data blocks', () => {
    const html = [
      '<script src="/_astro/a.js"></script>',
      '<script type="module" src="/_astro/b.js"></script>',
      '<script type="module">import "/_astro/c.js";</script>',
      '<script is:inline>let a = 1;</script>',
      '<script type="application/ld+json">{"a":1}</script>',
      '<SCRIPT>\nlet b = 2;\n</SCRIPT>',
    ].join('\n');
    expect(inlineScriptHashes(html)).toHaveLength(3);
  });
});

test('inline event handlers and javascript: URLs are found, text that only looks like one is not', () => {
  expect(inlineHandlers('<button type="button" onclick="go()">Go</button>')).toEqual(['<button on…=>']);
  expect(inlineHandlers('<a href="javascript:void(0)">x</a>')).toHaveLength(1);
  expect(inlineHandlers('<p title="say onclick=hi">onload= in text</p><code>&lt;img onerror=x&gt;</code>')).toEqual([]);
});

test('the site policy allows no inline script except by hash, and no framing', () => {
  const policy = sitePolicy(['sha256-abc=', 'sha256-abc=']);
  const directives = Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:', "'sha256-abc='"]);
  // The site, and the probe that tells in a moment whether WebContainers can be reached (src/labkit/runtime/choose.ts).
  expect(directives['connect-src']).toEqual(["'self'", 'https://stackblitz.com']);
  expect(directives['frame-ancestors']).toEqual(["'self'"]);
  expect(directives['object-src']).toEqual(["'none'"]);
});

describe('writeSiteHeaders', () => {
  const build = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'csp-test-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };
  const headers = ['/*', '  X-Frame-Options: SAMEORIGIN', '/_astro/offline-runtime.worker-*.js', "  Content-Security-Policy: connect-src 'none'", ''].join('\n');

  test('adds one policy with the hashes of every page to the /* rule', () => {
    const dir = build({
      _headers: headers,
      'index.html': '<script>a()</script>',
      'guide/index.html': '<script>b()</script><script>a()</script>',
      '_astro/offline-runtime.worker-x1.js': '',
    });
    try {
      const { hashes } = writeSiteHeaders(dir);
      // Two pages' scripts, and the speaker view's (reveal.js writes it into a window of the deck's origin).
      expect(hashes).toBe(2 + speakerViewHashes().length);
      const rules = parseHeaders(readFileSync(join(dir, '_headers'), 'utf8'));
      expect(headersFor(rules, '/guide/')['Content-Security-Policy']).toMatch(/^default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob: 'sha256-/);
      expect(headersFor(rules, '/_astro/offline-runtime.worker-x1.js')['Content-Security-Policy']).toMatch(/, connect-src 'none'$/);
      // Running it again (a second build into the same folder) keeps one policy.
      writeSiteHeaders(dir);
      expect(headersFor(parseHeaders(readFileSync(join(dir, '_headers'), 'utf8')), '/')['Content-Security-Policy']).not.toContain(', ');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('fails when a rule for particular files matches no built file', () => {
    const dir = build({ _headers: headers, 'index.html': '' });
    try {
      expect(() => writeSiteHeaders(dir)).toThrow(/no built file matches \/_astro\/offline-runtime\.worker-\*\.js/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('fails on an inline event handler, naming the page', () => {
    const dir = build({ _headers: '/*\n  X: y\n', 'labs/index.html': '<body onload="x()">' });
    try {
      expect(() => writeSiteHeaders(dir)).toThrow(/labs\/index\.html: <body on…=>/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

test("reveal.js's speaker view template has its inline script hashed", () => {
  const hashes = speakerViewHashes();
  expect(hashes.length).toBeGreaterThan(0);
  for (const hash of hashes) expect(hash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
});
