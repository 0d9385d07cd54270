// Lighthouse scores for built pages, served with the deploy headers, in the machine's Chromium.
// Usage: npm run build && node bench/lighthouse.mjs [/guide/overview/ ...]   (mobile preset; add --desktop)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from './chromium.mjs';
import { serveSite } from './serve-site.mjs';

const args = process.argv.slice(2);
const desktop = args.includes('--desktop');
const paths = args.filter((a) => !a.startsWith('--'));
const pages = paths.length ? paths : ['/guide/overview/', '/modules/edge/', '/slides/intro/'];
const server = await serveSite();

const out = mkdtempSync(join(tmpdir(), 'lighthouse-'));
const rows = [];
try {
  for (const [i, path] of pages.entries()) {
    const report = join(out, `${i}.json`);
    try {
      execFileSync(
        process.execPath,
        [
          'node_modules/lighthouse/cli/index.js',
          `${server.origin}${path}`,
          '--quiet',
          '--only-categories=performance,accessibility,best-practices',
          '--output=json',
          `--output-path=${report}`,
          '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update',
          ...(desktop ? ['--preset=desktop'] : []),
        ],
        { env: { ...process.env, CHROME_PATH: chromiumPath() }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
    } catch {
      rows.push({ page: path, performance: 'Lighthouse failed (see its output above)' });
      continue;
    }
    const { categories, audits } = JSON.parse(readFileSync(report, 'utf8'));
    rows.push({
      page: path,
      performance: Math.round(categories.performance.score * 100),
      accessibility: Math.round(categories.accessibility.score * 100),
      'best-practices': Math.round(categories['best-practices'].score * 100),
      'LCP (ms)': Math.round(audits['largest-contentful-paint'].numericValue),
      'TBT (ms)': Math.round(audits['total-blocking-time'].numericValue),
      CLS: audits['cumulative-layout-shift'].numericValue.toFixed(3),
    });
  }
} finally {
  server.stop();
}
console.log(`Lighthouse (${desktop ? 'desktop' : 'mobile'} preset, simulated throttling)`);
console.table(rows);
