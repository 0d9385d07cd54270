// The service worker (src/service-worker/sw.ts): on a host that cannot send headers it makes pages cross-origin
// isolated and adds the Content-Security-Policy; on any host it keeps the course for offline use. The rest of the
// suite blocks service workers (playwright.config.ts), so each test here allows them itself.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect } from './support';
import { base, dist, sitePath } from './site-pages';
import { precachePlan } from '../src/service-worker/plan.mjs';

test.use({ serviceWorkers: 'allow' });

/** Resolves once the worker controls the page, that is after it precached the core tier and took over. */
async function controlled(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)).catch(() => false), { timeout: 60_000 }).toBe(true);
}

test.describe('on a host without headers', () => {
  let server: ChildProcess;
  let origin = '';

  test.beforeAll(async () => {
    server = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', dist, '--base', base, '--no-headers'], { stdio: ['ignore', 'pipe', 'inherit'] });
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

  test.use({ baseURL: undefined });

  for (const path of ['/guide/overview/', '/slides/intro/', '/labs/speed/']) {
    test(`${path} becomes cross-origin isolated, with the Content-Security-Policy, through the service worker`, async ({ page }) => {
      const url = `${origin}${sitePath(path)}`;
      const first = await page.request.get(url);
      expect(first.headers()['cross-origin-embedder-policy'], 'this server sends no isolation headers').toBeUndefined();
      await page.goto(url);
      // The page reloads itself once the worker controls it; a check during that reload reads false.
      const isolated = () => page.evaluate(() => crossOriginIsolated).catch(() => false);
      await expect.poll(isolated, { timeout: 60_000 }).toBe(true);
      const policy = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
      expect(policy).toContain("frame-ancestors 'self'");
    });
  }

  test("the serving lab's preview runs under the lab's own service worker, beside the site's, isolated too", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${origin}${sitePath('/labs/serving/')}#workspace`);
    await expect.poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 60_000 }).toBe(true);
    await expect(page.getByTestId('serving-status')).toContainText('serving the dense MNIST model', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Start the server' }).click();
    await expect(page.frameLocator('iframe[title^="Preview"]').locator('#health')).toHaveText('server ready', { timeout: 30_000 });
    const scopes = await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((r) => new URL(r.scope).pathname).sort());
    expect(scopes).toEqual([sitePath('/'), sitePath('/labs/serving/sandbox/')]);
    const preview = page.frames().find((frame) => frame.url().includes('/labs/serving/sandbox/'))!;
    const answer = await preview.evaluate(async () => {
      const response = await fetch('api/v2/health/live');
      return { isolated: crossOriginIsolated, status: response.status, coep: response.headers.get('cross-origin-embedder-policy'), timing: response.headers.get('server-timing'), body: await response.json() };
    });
    expect(answer).toMatchObject({ isolated: true, status: 200, coep: 'require-corp', body: { live: true } });
    expect(answer.timing).toMatch(/^handler;dur=[\d.]+$/);
  });
});

test('with the headers, the page is isolated at once and the worker still registers, without a reload', async ({ page }) => {
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(sitePath('/guide/overview/'));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(1);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toMatch(new RegExp(`${base}$`));
  expect(loads).toBe(1);
});

test('after one visit, readings and decks open offline, and the page says it is offline', async ({ page, context }) => {
  await page.goto(sitePath('/guide/overview/'));
  await controlled(page);
  await context.setOffline(true);
  for (const path of ['/modules/edge/', '/slides/intro/', '/slides/intro/read/']) {
    await page.goto(sitePath(path));
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await expect(page.locator('.offline-notice')).toContainText('You are offline');
  }
  await context.setOffline(false);
  await expect(page.locator('.offline-notice')).toBeHidden();
});

test('a lab opened once online runs offline: its bundles, wasm, worker, model and data come from the cache', async ({ page, context }) => {
  test.setTimeout(240_000);
  const labs = precachePlan(dist, base).labs.length;
  const lab = sitePath('/labs/quantize-prune/');
  await page.goto(lab);
  await controlled(page);
  // The first visit to a lab under the worker's control fetches the labs tier.
  await page.reload();
  const cached = () =>
    page.evaluate(async () => {
      const name = (await caches.keys()).find((key) => key.startsWith('course-labs-'));
      return name ? (await (await caches.open(name)).keys()).length : 0;
    });
  await expect.poll(cached, { timeout: 180_000, intervals: [1_000] }).toBe(labs);
  await context.setOffline(true);
  await page.goto(lab);
  await expect(page.getByRole('status').first()).toContainText('on wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Load dense baseline' }).click();
  await expect(page.getByTestId('model-summary')).toContainText('parameters', { timeout: 60_000 });
});
