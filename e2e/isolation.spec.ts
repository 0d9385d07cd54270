// On a host that cannot send the COOP/COEP headers, the service worker in public/coi-serviceworker.js adds them:
// after one reload the page is cross-origin isolated, so threaded wasm and WebContainers still work.
import { spawn, type ChildProcess } from 'node:child_process';
import { test, expect } from './support';
import { dist } from './site-pages';

let server: ChildProcess;
let origin = '';

test.beforeAll(async () => {
  server = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', dist, '--no-headers'], { stdio: ['ignore', 'pipe', 'inherit'] });
  origin = await new Promise<string>((resolve, reject) => {
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    server.stdout!.on('data', (chunk) => {
      const found = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
      if (found) resolve(found);
    });
  });
});

test.afterAll(() => {
  server.kill();
});

for (const path of ['/guide/overview/', '/slides/intro/', '/labs/speed/']) {
  test(`${path} becomes cross-origin isolated through the service worker on a host without headers`, async ({ page }) => {
    const first = await page.request.get(`${origin}${path}`);
    expect(first.headers()['cross-origin-embedder-policy'], 'this server sends no isolation headers').toBeUndefined();
    await page.goto(`${origin}${path}`);
    // The page reloads itself once the service worker is active; a check that runs during that reload reads false.
    const isolated = () => page.evaluate(() => crossOriginIsolated).catch(() => false);
    await expect.poll(isolated, { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  });
}

test('with the headers, no service worker is registered', async ({ page }) => {
  await page.goto('/guide/overview/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.waitForTimeout(500);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
});
