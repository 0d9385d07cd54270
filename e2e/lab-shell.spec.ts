/**
 * What every lab gets from the shared lab layer, tested once on the tour lab (labs/tour): a job with progress and
 * Cancel, criteria that tick from the student's results, the coding track, the report bundle, work kept across a
 * reload and another tab, Reset, unreadable saved work set aside, restored results marked, storage that is full.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, pasteIntoEditor } from './support';

const LAB = '/labs/tour/';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const rows = (page: Page) => page.locator('[data-testid="batches"] tbody tr');

async function open(page: Page, path = LAB) {
  await page.goto(path);
  await expect(page.locator('astro-island[ssr]')).toHaveCount(0);
}

async function throwDarts(page: Page, darts: string) {
  await page.getByRole('combobox', { name: 'Darts' }).selectOption(darts);
  await page.getByRole('button', { name: 'Throw', exact: true }).click();
}

test('a job runs with progress and stops at Cancel; results tick the criteria, survive a reload, go into the report; Reset clears them', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await expectAccessible(page);
  await expect(criterion(page, 'enough-darts')).toHaveAttribute('data-status', 'not-measured');

  // Cancel a long job: it stops within a second and keeps nothing.
  await throwDarts(page, '10000000');
  await expect(page.getByTestId('job')).toBeVisible();
  await expect(page.getByTestId('job').getByRole('progressbar')).toBeVisible();
  const cancelled = await page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector<HTMLButtonElement>('[data-testid="job"] button')!.click();
    while (document.querySelector('[data-testid="job"]')) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  });
  expect(cancelled, 'Cancel stops the job within a second').toBeLessThan(1000);
  await expect(page.getByTestId('lab-status')).toContainText('cancelled');
  await expect(rows(page)).toHaveCount(0);

  // The worker was replaced; the next job runs on the fresh one.
  await throwDarts(page, '1000000');
  await expect(rows(page)).toHaveCount(1, { timeout: 30_000 });
  await expect(criterion(page, 'enough-darts')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'narrow-interval')).toHaveAttribute('data-status', 'met');

  await page.getByLabel('Your name or student number').fill('Ada Lovelace');
  await page.getByLabel(/Your notes/).fill('The interval narrows as the darts add up.');
  await page.waitForTimeout(600);
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByLabel('Your name or student number')).toHaveValue('Ada Lovelace');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report bundle (.zip)' }).click();
  const zip = unzipSync(new Uint8Array(await readFile(await (await download).path())));
  const report = strFromU8(zip['lab-report-tour/report.md']!);
  expect(report).toContain('**Student:** Ada Lovelace');
  expect(report).toContain('The interval narrows as the darts add up.');
  expect(report).toMatch(/\| at least 100,000 darts thrown \| darts\.thrown ≥ 100000 darts \| 1e\+6 darts \| ✅ met \|/);
  expect(JSON.parse(strFromU8(zip['lab-report-tour/evidence.json']!)).state.batches).toHaveLength(1);
  expect(Object.keys(zip).some((name) => name.startsWith('lab-report-tour/charts/') && name.endsWith('.svg'))).toBe(true);

  // The lecturer's verify page confirms the genuine bundle and flags one with a number edited by hand.
  const genuine = Buffer.from(zipSync(zip));
  const edited = { ...zip, 'lab-report-tour/report.md': strToU8(report.replace('1e+6 darts', '2e+6 darts')) };
  await open(page, '/labs/verify/');
  await page.getByTestId('bundle-input').setInputFiles([
    { name: 'genuine.zip', mimeType: 'application/zip', buffer: genuine },
    { name: 'edited.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(edited)) },
  ]);
  await expect(page.getByTestId('verdict')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('verdict').first()).toHaveAttribute('data-contradicted', '0');
  await expect(page.getByTestId('verdict').nth(1)).toHaveAttribute('data-contradicted', '1');
  await expect(page.getByTestId('verdict').nth(1)).toContainText('report.md matches its evidence — contradicted');
  await expectAccessible(page);
  await open(page);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Reset lab…' }).click();
  await expect(rows(page)).toHaveCount(0);
  await expect(criterion(page, 'enough-darts')).toHaveAttribute('data-status', 'not-measured');
  await page.reload();
  await expect(rows(page)).toHaveCount(0);
});

test('the coding track: failing cases say why; passing code is used by the lab and named in the report', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page);
  await page.getByText('Coding track: write the interval yourself').click();
  const panel = page.locator('[data-exercise="wilson-interval"]');
  await panel.getByTestId('editor-preview').click();
  await expect(panel.getByTestId('editor').locator('.view-lines')).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole('button', { name: 'Show the reference and the tests' })).toBeDisabled();
  await panel.getByRole('button', { name: 'Run the tests' }).click();
  await expect(page.getByTestId('exercise-result-wilson-interval')).toContainText(/0 of 6 test cases pass/);
  await expect(page.getByTestId('exercise-result-wilson-interval')).toContainText('lower end: expected');

  await panel.getByTestId('editor').click();
  await pasteIntoEditor(page, await readFile('src/labkit/stats/wilson.mjs', 'utf8'));
  await panel.getByRole('button', { name: 'Run the tests' }).click();
  await expect(page.getByTestId('exercise-result-wilson-interval')).toContainText('6 of 6 test cases pass');
  await panel.getByLabel(/use my function in the/).check();
  await expect(page.getByTestId('lab-status')).toContainText('your own function');
  await throwDarts(page, '10000');
  await expect(rows(page).first()).toContainText('your function', { timeout: 30_000 });
  await expect(criterion(page, 'own-code')).toHaveAttribute('data-status', 'met');
});

test('another tab keeps its batches; unreadable saved work is set aside; imported results are marked; full storage is said', async ({ page, context }) => {
  test.setTimeout(90_000);
  await open(page);
  await throwDarts(page, '10000');
  await expect(rows(page)).toHaveCount(1, { timeout: 30_000 });
  const other = await context.newPage();
  await open(other);
  await expect(rows(other)).toHaveCount(1);
  await throwDarts(other, '10000');
  await expect(rows(other)).toHaveCount(2, { timeout: 30_000 });
  await throwDarts(page, '10000');
  await expect(rows(page)).toHaveCount(3, { timeout: 30_000 });
  await other.close();

  // A progress file from another browser: its batches come back marked as restored.
  const file = await page.evaluate(() => localStorage.getItem('mlops-course.progress')!);
  const envelope = JSON.parse(file);
  await page.evaluate(() => localStorage.clear());
  await open(page, '/progress/');
  await page.locator('input[type="file"]').setInputFiles({ name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(envelope)) });
  await expect(page.getByRole('status').filter({ hasText: /Imported/i })).toBeVisible();
  await open(page);
  await expect(page.getByTestId('restored')).toBeVisible();
  await expect(page.locator('[data-testid="batches"] tr[data-restored="true"]')).toHaveCount(3);

  // Saved work of another shape: set aside with the reason, the lab still works, and the student can download it.
  envelope.progress.labs.tour.state.value = { batches: [{ id: 'x', darts: 'many' }] };
  await page.evaluate((text) => localStorage.setItem('mlops-course.progress', text), JSON.stringify(envelope));
  await page.reload();
  await expect(page.getByTestId('set-aside')).toContainText('batches[0].darts');
  await throwDarts(page, '10000');
  await expect(rows(page)).toHaveCount(1, { timeout: 30_000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the unreadable work' }).click();
  expect(JSON.parse(await readFile(await (await download).path(), 'utf8')).state.value.batches[0].darts).toBe('many');
  await page.getByRole('button', { name: 'Discard it' }).click();
  await expect(page.getByTestId('set-aside')).toHaveCount(0);

  // Storage full: the lab says so where the work happens and offers the export on the spot.
  await page.evaluate(() => {
    let filler = 'x'.repeat(1 << 20);
    for (let i = 0; ; i++) {
      try {
        localStorage.setItem(`filler-${i}`, filler);
      } catch {
        if (filler.length < 8) break;
        filler = filler.slice(0, filler.length / 2);
      }
    }
  });
  await throwDarts(page, '10000');
  await expect(page.getByTestId('storage-notice')).toContainText('full', { timeout: 30_000 });
  await expect(page.getByTestId('storage-notice').getByRole('button', { name: /Export all progress/ })).toBeVisible();
  await page.evaluate(() => localStorage.clear());
});
