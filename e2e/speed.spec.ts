/**
 * The speed lab as a student would use it, in the machine's headless Chromium (cross-origin isolated by the test
 * server's COOP/COEP headers; WebGL is SwiftShader; there is no WebGPU adapter): write the quantile function and use
 * it, benchmark cpu and threaded wasm with a short budget, see the criteria tick and every row say what it measured,
 * find "Clear results" asking first, download the report, reload to find the results kept, and cancel a run.
 * Timings are never asserted, only that they were measured.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, startEditing, pasteIntoEditor } from './support';

const LAB = '/labs/speed/';
const backend = (page: Page, id: string) => page.locator(`[data-backend="${id}"][data-available]`);
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const rows = (page: Page, selector = '') => page.locator(`[data-testid="results"] tbody tr${selector}`);

const QUANTILE = `export function quantileSorted(sorted, p) {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be in [0, 1]');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
`;

async function open(page: Page) {
  await page.goto(`${LAB}#workspace`);
  await expect(backend(page, 'cpu')).toBeVisible({ timeout: 30_000 });
}

/** Ticks exactly these backends, the dense model and these variants, with the quick budget. */
async function choose(page: Page, o: { backends: string[]; variants: string[]; sweep: boolean }) {
  for (const row of await page.locator('[data-backend][data-available="true"]').all()) {
    await row.getByRole('checkbox').setChecked(o.backends.includes((await row.getAttribute('data-backend'))!));
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

test('a student writes the quantile, benchmarks two backends with it, and hands in a report that says what ran', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await expect(page.getByTestId('timer')).toContainText('crossOriginIsolated: true');
  await expect(backend(page, 'webgpu')).toHaveAttribute('data-available', 'false');
  await expect(backend(page, 'webgpu')).toContainText(/unavailable: (navigator\.gpu is missing|no WebGPU adapter)/);
  await expect(page.getByTestId('software-warning')).toContainText('SwiftShader');
  await expectAccessible(page, { exclude: ['button[data-open-modal]'] });

  // The coding track: write the quantile, pass its tests, and let the lab use it.
  await page.locator('summary', { hasText: 'The type-7 quantile of a sorted sample' }).click();
  const exercise = page.locator('[data-exercise="quantile-sorted"]');
  await (await startEditing(exercise)).click();
  await pasteIntoEditor(page, QUANTILE);
  await exercise.getByRole('button', { name: 'Run the tests' }).click();
  await expect(page.getByTestId('exercise-result-quantile-sorted')).toContainText(/(\d+) of \1 test cases pass/, { timeout: 20_000 });
  await exercise.getByRole('checkbox', { name: /use my function/ }).check();
  await expect(page.getByTestId('speed-status')).toContainText('Summaries use your quantileSorted');

  // A short run on cpu and threaded wasm, with the sweep.
  await choose(page, { backends: ['cpu', 'wasm-simd-threads'], variants: ['baseline', 'uint8', 'structured50'], sweep: true });
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('job')).toBeVisible();
  await expect(page.getByTestId('job')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('lab-status')).toContainText('Run 1: measured on cpu (plain JavaScript, 1 thread); wasm (SIMD, threaded build) on');
  await expect(page.getByTestId('lab-alert')).toHaveCount(0);

  // Every row says what it measured; the threaded build says how many threads it really used.
  await expect(rows(page, '[data-backend="cpu"]')).toHaveCount(3);
  await expect(rows(page, '[data-backend="wasm-simd-threads"][data-batch="1"]')).toHaveCount(3);
  const wasmRow = rows(page, '[data-backend="wasm-simd-threads"][data-variant="baseline"]');
  await expect(wasmRow).toContainText('your quantileSorted');
  const threads = (await wasmRow.locator('td').nth(2).innerText()).trim();
  expect(threads).toMatch(/^\d+$/);
  await expect(page.getByTestId('threads-warning')).toHaveCount(threads === '1' ? 1 : 0);
  await expect(page.getByTestId('leaks')).toHaveText('Tensors left in memory after the timed groups: 0');
  await expect(page.getByTestId('ttfp').locator('tbody tr')).toHaveCount(6);
  for (const id of ['two-backends', 'batch-sweep', 'uint8-first-prediction']) await expect(criterion(page, id)).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'structured-faster')).toHaveAttribute('data-status', /^(met|not-met)$/); // timing is not asserted

  // "Clear results" asks first; saying no keeps everything.
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Clear results…' }).click();
  await expect(rows(page)).toHaveCount(6);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (.md)' }).click()]);
  const md = await readFile((await download.path())!, 'utf8');
  expect(md).toContain('Backends as they ran');
  expect(md).toMatch(/\| 1 \| wasm-simd-threads \| wasm \(SIMD, threaded build\) on \d+ threads? \|/);
  expect(md).toContain('Time to first prediction, each variant on a fresh backend');
  expect(md).toContain('your quantileSorted');
  expect(md).not.toMatch(/Steady state \(batch/);

  // A reload keeps the results and the criteria.
  await page.reload();
  await expect(rows(page)).toHaveCount(6, { timeout: 30_000 });
  await expect(criterion(page, 'two-backends')).toHaveAttribute('data-status', 'met');
});

test('a broken upload says why, and a run can be cancelled', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page);
  await page.getByLabel(/Your own tfjs LayersModel/).setInputFiles(['public/models/dense/model.json']);
  await expect(page.getByTestId('lab-alert')).toContainText('Check your model: missing weight file', { timeout: 30_000 });
  await expect(page.getByRole('checkbox', { name: /your own model/ })).toBeDisabled();

  await choose(page, { backends: ['cpu'], variants: ['baseline', 'uint8'], sweep: true });
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('job')).toContainText(/first inference|building/);
  await page.getByTestId('job').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('lab-status')).toContainText('cancelled', { timeout: 2_000 });
  await expect(page.getByTestId('job')).toHaveCount(0);
  await expect(page.getByText('No measurements yet.')).toBeVisible();
});
