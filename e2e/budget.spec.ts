/**
 * JavaScript budgets per page type: the scripts the page itself loads before any interaction, gzipped. Workers'
 * scripts are left out (tfjs lives there, and whether a worker's script arrives before the network goes idle depends
 * on the machine), as are a lab's other heavy parts (Monaco when the student edits, xterm when the terminal shows). A
 * budget that breaks means something heavy moved onto the page's first load (as tfjs once did through a pure helper's
 * import). The lab budgets are about 10% above what the pages load now (measured 2026-12-01: speed 208 KB, tuning 259,
 * monitoring 269, containers 257, serving 228, progress 41; CI/CD 335 once its workspace has hydrated, which it does
 * when it comes into view).
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
  ['/labs/tuning/', 285],
  ['/labs/monitoring/', 300],
  ['/labs/containers/', 285],
  ['/labs/cicd/', 370],
  ['/labs/serving/', 250],
  ['/progress/', 50],
];

for (const [path, budget] of BUDGETS_KB) {
  test(`${path} loads at most ${budget} KB of gzipped JavaScript before interaction`, async ({ page }) => {
    const sizes = new Map<string, number>();
    const workers = new Set<string>();
    page.on('worker', (worker) => workers.add(worker.url()));
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      try {
        sizes.set(response.url(), gzipSync(await response.body()).length);
      } catch {
        /* a response without a body (redirect) */
      }
    });
    await page.goto(path, { waitUntil: 'networkidle' });
    for (const url of workers) sizes.delete(url);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0) / 1024;
    const largest = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([url, n]) => `${url.split('/').pop()} ${(n / 1024).toFixed(1)} KB`);
    expect(total, `${path}: ${total.toFixed(1)} KB; largest: ${largest.join(', ')}`).toBeLessThanOrEqual(budget);
  });
}
