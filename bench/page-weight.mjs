// JavaScript a page ships before any interaction (search closed), gzipped, measured in Chromium.
// Usage: npm run build && node bench/page-weight.mjs [/guide/overview/ ...]
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumPath } from './chromium.mjs';
import { serveSite } from './serve-site.mjs';

const paths = process.argv.slice(2);
const pages = paths.length ? paths : ['/', '/guide/overview/', '/guide/schedule/', '/modules/', '/modules/edge/', '/progress/', '/slides/', '/slides/intro/'];
const server = await serveSite();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-background-networking'] });
const rows = [];
try {
  for (const path of pages) {
    const page = await (await browser.newContext()).newPage();
    const scripts = new Map();
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      try {
        scripts.set(response.url(), await response.body());
      } catch {}
    });
    await page.goto(`${server.origin}${path}`, { waitUntil: 'networkidle' });
    const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? '').join('\n'));
    const files = [...scripts.values()];
    const raw = files.reduce((n, b) => n + b.length, 0) + inline.length;
    const gzipped = files.reduce((n, b) => n + gzipSync(b).length, 0) + gzipSync(inline).length;
    rows.push({ page: path, files: files.length, 'raw KB': (raw / 1024).toFixed(1), 'gzip KB': (gzipped / 1024).toFixed(1) });
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
console.log('JavaScript loaded before interaction (external files gzipped one by one, plus inline scripts)');
console.table(rows);
