/**
 * JavaScript budgets per page type: the scripts a page loads before any interaction, gzipped, the scripts of workers
 * it starts at once included (the tuning and containers labs start theirs on load). A lab's heavy parts (tfjs, Monaco
 * when the student edits, xterm when the terminal shows) are not in it; a budget that breaks means something heavy
 * moved onto the page's first load (as tfjs once did through a pure helper's import). Each budget is about 10% above
 * what the page loads now (measured 2026-12-01: speed 211 KB, tuning 371, monitoring 271, containers 401, serving
 * 223, progress 41; CI/CD 338 once its workspace has hydrated, which it does when it comes into view, 114 before).
 */
import { gzipSync } from 'node:zlib';
import { test, expect } from './support';

const BUDGETS_KB: [string, number][] = [
  ['/modules/edge/', 45],
  ['/guide/overview/', 45],
  ['/slides/intro/', 60],
  ['/labs/tour/', 220],
  ['/labs/quantize-prune/', 230],
  ['/labs/pipeline/', 300],
  ['/labs/verify/', 160],
  ['/labs/speed/', 235],
  ['/labs/tuning/', 410],
  ['/labs/monitoring/', 300],
  ['/labs/containers/', 440],
  ['/labs/cicd/', 370],
  ['/labs/serving/', 250],
  ['/progress/', 50],
];

for (const [path, budget] of BUDGETS_KB) {
  test(`${path} loads at most ${budget} KB of gzipped JavaScript before interaction`, async ({ page }) => {
    const sizes = new Map<string, number>();
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      try {
        sizes.set(response.url(), gzipSync(await response.body()).length);
      } catch {
        /* a response without a body (redirect) */
      }
    });
    await page.goto(path, { waitUntil: 'networkidle' });
    const total = [...sizes.values()].reduce((a, b) => a + b, 0) / 1024;
    const largest = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([url, n]) => `${url.split('/').pop()} ${(n / 1024).toFixed(1)} KB`);
    expect(total, `${path}: ${total.toFixed(1)} KB; largest: ${largest.join(', ')}`).toBeLessThanOrEqual(budget);
  });
}
