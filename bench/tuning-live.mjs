// Live studies in the built site, in headless Chromium: the same short study (random search, no pruner, 6 trials of
// 3 epochs) on 1 and on 2 training workers, alternated, and the speed-up as a ratio of medians; and the main thread's
// long tasks (over 50 ms, PerformanceObserver 'longtask') while each study runs. Needs a build (npm run build).
// Usage: node bench/tuning-live.mjs [rounds=2]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { chromiumPath } from './chromium.mjs';
import { serveSite } from './serve-site.mjs';

const rounds = Number(process.argv[2] ?? 2);
const TRIALS = 6;
const starter = readFileSync(new URL('../labs/tuning/starter/study.mjs', import.meta.url), 'utf8');
const site = await serveSite();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
// Report 4 cores, so the lab offers 3 workers whatever this machine has; the ratio below is what this machine did.
await page.addInitScript(() => {
  Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 4 });
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
});
await page.goto(`${site.origin}/labs/tuning/`);
await page.locator('.lab-file-editor .monaco-editor').first().click({ timeout: 120_000 });
await page.keyboard.press('Control+A');
await page.keyboard.insertText(starter.replace('epoch <= maxEpochs', 'epoch <= 3'));
await page.getByLabel(/Live: train in/).check();
await page.getByLabel('Sampler').first().selectOption('random');
await page.getByLabel('Pruner').first().selectOption('none');
await page.getByLabel('Trials').first().fill(String(TRIALS));

async function study(workers) {
  await page.getByLabel(/Workers \(at most/).fill(String(workers));
  await page.evaluate(() => (window.__longTasks = []));
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run the live study' }).click();
  await page.getByTestId('job').waitFor({ state: 'attached' });
  await page.getByTestId('job').waitFor({ state: 'detached', timeout: 600_000 });
  const seconds = (Date.now() - t0) / 1000;
  const summary = await page.getByTestId('study-summary').innerText();
  if (!summary.includes(`${TRIALS} complete`)) throw new Error(`the study did not complete: ${summary}`);
  const long = await page.evaluate(() => window.__longTasks);
  return { seconds, long };
}

// A first study warms up the workers (tfjs, wasm, MNIST) so that every measured study starts from the same point.
await study(2);
const times = { 1: [], 2: [] };
const longTasks = [];
for (let r = 0; r < rounds; r++) {
  for (const w of [1, 2]) {
    const { seconds, long } = await study(w);
    times[w].push(seconds);
    longTasks.push(...long);
    console.log(`round ${r + 1}, ${w} worker${w > 1 ? 's' : ''}: ${seconds.toFixed(1)} s, ${long.length} long tasks`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${TRIALS} trials × 3 epochs: median ${median(times[1]).toFixed(1)} s on 1 worker, ${median(times[2]).toFixed(1)} s on 2 workers; speed-up ${(median(times[1]) / median(times[2])).toFixed(2)}×`);
console.log(`main-thread long tasks (> 50 ms) during the studies: ${longTasks.length}${longTasks.length ? `, longest ${Math.max(...longTasks).toFixed(0)} ms` : ''}`);
console.log(`Chromium ${browser.version()}; this machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
await browser.close();
site.stop();
