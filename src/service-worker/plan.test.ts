import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { precachePlan, references } from './plan.mjs';

test('references are found in HTML, CSS and JavaScript as a bundler writes them', () => {
  expect(references('<img src="/d/a.svg" alt=""><link rel="stylesheet" href="/_astro/x.css"><img srcset="/a.png 1x, /b.png 2x">', '.html')).toEqual([
    '/d/a.svg',
    '/_astro/x.css',
    '/a.png',
    '/b.png',
  ]);
  expect(references('@font-face{src:url(./f.woff2) format("woff2")}@import "./more.css";', '.css')).toEqual(['./f.woff2', './more.css']);
  expect(references('import{a as b}from"./c.js";import"./d.js";export*from"./e.js";const u=import(`./f.js`);', '.js')).toEqual(['./c.js', './d.js', './e.js', './f.js']);
});

const root = mkdtempSync(join(tmpdir(), 'plan-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('readers get pages and what they load; labs get the rest; configuration is never cached', () => {
  const files: Record<string, string> = {
    'index.html': '<script type="module" src="/course/_astro/page.js"></script><img src="/course/diagrams/d-light.svg">',
    'labs/speed/index.html': '<script type="module" src="/course/_astro/SpeedWorkspace.js"></script>',
    '_astro/page.js': 'import"./shared.js";const s=()=>import("./ui-core.js");',
    '_astro/shared.js': '',
    '_astro/ui-core.js': '',
    '_astro/SpeedWorkspace.js': 'import"./shared.js";new Worker(new URL("./worker.js",import.meta.url));',
    '_astro/worker.js': '',
    '_astro/mermaid.core.x1.js': '',
    'diagrams/d-light.svg': '<svg/>',
    'models/dense/model.json': '{}',
    'pagefind/pagefind.js': '',
    _headers: '/*\n  A: b\n',
    'sitemap-index.xml': '',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const { core, labs } = precachePlan(root, '/course/');
  expect(core.map((entry) => entry.url).sort()).toEqual([
    '/course/',
    '/course/_astro/page.js',
    '/course/_astro/shared.js',
    '/course/_astro/ui-core.js',
    '/course/diagrams/d-light.svg',
    '/course/labs/speed/',
    '/course/pagefind/pagefind.js',
  ]);
  expect(labs.map((entry) => entry.url).sort()).toEqual([
    '/course/_astro/SpeedWorkspace.js',
    '/course/_astro/mermaid.core.x1.js',
    '/course/_astro/worker.js',
    '/course/models/dense/model.json',
  ]);
  expect(core[0]!.revision).toMatch(/^[0-9a-f]{16}$/);
});
