/**
 * The speed lab used as a student would, in the machine's headless Chromium (cross-origin isolated by the test
 * server's COOP/COEP headers; WebGL is SwiftShader; there is no WebGPU adapter): detect backends, benchmark cpu with
 * a batch sweep, then threaded wasm and webgl, check that nothing leaked, download the report, cancel a run, and
 * reload to find the results kept. Timings are never asserted, only that they were measured.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './support';

const LAB = '/labs/speed/';
const backendItem = (page: Page, id: string) => page.locator(`.speed-backends li[data-backend="${id}"]`);
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);

async function open(page: Page) {
  await page.goto(LAB);
  await expect(backendItem(page, 'cpu')).toBeVisible({ timeout: 60_000 });
}

/** Ticks exactly these backends, models and variants, with the quick budget. */
async function choose(page: Page, o: { backends: string[]; variants: string[]; sweep: boolean }) {
  for (const li of await page.locator('.speed-backends li').all()) {
    const id = (await li.getAttribute('data-backend'))!;
    const box = li.getByRole('checkbox');
    if (await box.isEnabled()) await box.setChecked(o.backends.includes(id));
  }
  await page.getByRole('checkbox', { name: 'dense (MLP)' }).setChecked(true);
  await page.getByRole('checkbox', { name: 'CNN' }).setChecked(false);
  for (const [name, kind] of [
    ['float32 baseline', 'baseline'],
    ['uint8 weights', 'uint8'],
    ['float16 weights', 'float16'],
    ['80% sparse (unstructured)', 'sparse80'],
    ['structured −50%', 'structured50'],
  ]) {
    await page.getByRole('checkbox', { name, exact: true }).setChecked(o.variants.includes(kind));
  }
  await page.getByLabel('Budget').selectOption('500');
  await page.getByRole('checkbox', { name: /batch sweep/ }).setChecked(o.sweep);
}

async function run(page: Page, timeout = 240_000) {
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('notice')).toHaveText('Done.', { timeout });
  await expect(page.locator('.speed-error')).toHaveCount(0);
}

test.describe('speed lab', () => {
  test.describe.configure({ mode: 'serial' });

  test('detects backends: webgpu unavailable with its reason, threads available when isolated', async ({ page }) => {
    await open(page);
    await expect(page.getByTestId('timer')).toContainText('crossOriginIsolated: true');
    await expect(page.getByTestId('timer')).toContainText('5 µs');
    await expect(backendItem(page, 'cpu')).toHaveAttribute('data-available', 'true');
    await expect(backendItem(page, 'wasm-simd-threads')).toHaveAttribute('data-available', 'true');
    await expect(backendItem(page, 'webgl')).toHaveAttribute('data-available', 'true');
    const gpu = backendItem(page, 'webgpu');
    await expect(gpu).toHaveAttribute('data-available', 'false');
    await expect(gpu).toContainText(/unavailable: (navigator\.gpu is missing|no WebGPU adapter)/);
    await expect(gpu.getByRole('checkbox')).toBeDisabled();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expectAccessible(page);
  });

  test('benchmarks cpu, wasm and webgl, meets the criteria, leaks nothing, and the report downloads', async ({ page }) => {
    test.setTimeout(600_000);
    await open(page);
    // cpu with the batch sweep
    await choose(page, { backends: ['cpu'], variants: ['baseline', 'uint8', 'structured50'], sweep: true });
    await run(page);
    await expect(page.locator('[data-testid="results"] tr[data-backend="cpu"]')).toHaveCount(3);
    await expect(criterion(page, 'batch-sweep')).toHaveAttribute('data-status', 'met');
    // threaded wasm and webgl (software), without the sweep
    await choose(page, { backends: ['wasm-simd-threads', 'webgl'], variants: ['baseline', 'structured50'], sweep: false });
    await run(page);
    for (const id of ['cpu', 'wasm-simd-threads', 'webgl']) {
      await expect(page.locator(`[data-testid="results"] tr[data-backend="${id}"][data-variant="baseline"]`)).toHaveCount(1);
    }
    await expect(criterion(page, 'two-backends')).toHaveAttribute('data-status', 'met');
    await expect(criterion(page, 'uint8-first-prediction')).toHaveAttribute('data-status', 'met');
    // Measured, whichever way it came out on this (shared, busy) machine: timing is not asserted.
    await expect(criterion(page, 'structured-faster')).toHaveAttribute('data-status', /^(met|not-met)$/);
    await expect(page.getByTestId('leaks')).toHaveText('Tensors leaked across runs: 0');
    await expect(page.locator('figure.speed-chart svg')).toHaveCount(4); // distribution, 2× batch scaling, time to first prediction

    // A repeated run of the same backend replaces its results and still leaks nothing.
    await choose(page, { backends: ['cpu'], variants: ['baseline'], sweep: false });
    await run(page);
    await expect(page.getByTestId('leaks')).toHaveText('Tensors leaked across runs: 0');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download lab report (Markdown)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^lab-report-speed-\d{4}-\d{2}-\d{2}\.md$/);
    const md = await readFile((await download.path())!, 'utf8');
    expect(md).toContain('# Lab report: Lab: measure inference speed honestly');
    expect(md).toContain('## Environment');
    expect(md).toContain('crossOriginIsolated');
    expect(md).toContain('Timer resolution');
    expect(md).toMatch(/\| wasm-simd-threads \| dense \|/);
    expect(md).toContain('Time to first prediction');
    expect(md).toContain('Batch sweep');
    expect(md).toContain('## Backends');
    expect((md.match(/data:image\/svg\+xml;base64,/g) ?? []).length).toBe(4);

    // Results survive a reload.
    await page.reload();
    await expect(backendItem(page, 'cpu')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('[data-testid="results"] tr[data-backend="wasm-simd-threads"]')).toHaveCount(2);
    await expect(criterion(page, 'two-backends')).toHaveAttribute('data-status', 'met');
    await expectAccessible(page);
  });

  test("a student's own model is benchmarked, and a broken upload is explained", async ({ page }) => {
    test.setTimeout(180_000);
    await open(page);
    const upload = page.getByLabel(/Your own tfjs LayersModel/);
    // Only model.json: its weight file is missing.
    await upload.setInputFiles(['public/models/dense/model.json']);
    await choose(page, { backends: ['cpu'], variants: ['baseline'], sweep: false });
    await page.getByRole('checkbox', { name: 'dense (MLP)' }).setChecked(false);
    await page.getByRole('checkbox', { name: 'your own model' }).setChecked(true);
    await run(page);
    await expect(page.getByTestId('skipped')).toContainText('missing weight file');
    // Both files: measured like a baseline, with its structurally pruned variant.
    await upload.setInputFiles(['public/models/dense/model.json', 'public/models/dense/weights.bin']);
    await choose(page, { backends: ['cpu'], variants: ['baseline', 'structured50'], sweep: false });
    await page.getByRole('checkbox', { name: 'dense (MLP)' }).setChecked(false);
    await page.getByRole('checkbox', { name: 'your own model' }).setChecked(true);
    await run(page);
    await expect(page.locator('[data-testid="results"] tr[data-model="custom"]')).toHaveCount(2);
    await expect(page.getByTestId('leaks')).toHaveText('Tensors leaked across runs: 0');
  });

  test('a run can be cancelled', async ({ page }) => {
    test.setTimeout(120_000);
    await open(page);
    await choose(page, { backends: ['cpu'], variants: ['baseline', 'uint8', 'float16', 'sparse80', 'structured50'], sweep: true });
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await expect(page.getByRole('progressbar', { name: 'Benchmark progress' })).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('notice')).toContainText('Cancelled');
    await expect(page.getByRole('button', { name: 'Run benchmark' })).toBeEnabled();
  });
});
