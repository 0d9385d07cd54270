/**
 * The tuning lab as a student uses it: check the study file, compare grid and random search over 50 replayed seeds
 * (a criterion ticks), replay a study and read its dashboard, brush the parallel coordinates, take the one test
 * look (a second is refused), export the Optuna journal, break the study file and see the line, shorten the
 * objective in the editor and run a short live study on two workers, and download the report.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect, startEditing, pasteIntoEditor } from './support';

const LAB = '/labs/tuning/';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const idle = (page: Page, timeout = 60_000) => expect(page.getByTestId('job')).toHaveCount(0, { timeout });

/** Replaces the editor's text as a student would: select everything, then type. */
async function typeInEditor(page: Page, text: string) {
  const editor = page.locator('.lab-file-editor .monaco-editor').first();
  await editor.click();
  await pasteIntoEditor(page, text);
}

test('a student compares strategies, reads a study, tests it once, exports it, and runs a live study', async ({ page }) => {
  test.setTimeout(180_000);
  // Pretend to be a 4-core laptop, so the live study may use 2 workers on the test machine too.
  await page.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 4 }));
  await page.goto(LAB);
  await startEditing(page);
  const starter = await readFile('labs/tuning/starter/study.mjs', 'utf8');

  await page.getByRole('button', { name: 'Check the study file' }).click();
  await expect(page.getByTestId('check-result')).toContainText('One replayed trial ran', { timeout: 30_000 });
  await expect(page.getByTestId('check-result')).toContainText('your grid has 16 points');

  // Grid against random search over 50 seeds.
  await page.getByRole('button', { name: 'Grid against random search, equal trials' }).click();
  await expect(page.getByTestId('compare-row')).toHaveCount(2);
  await page.getByLabel('Seeds', { exact: true }).fill('50');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('comparison-table')).toContainText('grid search, 16 trials', { timeout: 60_000 });
  await idle(page);
  await expect(criterion(page, 'random-vs-grid')).toHaveAttribute('data-status', 'met');

  // One replayed study (de-duplicated TPE with ASHA) and its dashboard.
  await page.getByRole('button', { name: 'Replay the study' }).click();
  await idle(page);
  await expect(page.getByTestId('study-summary')).toContainText('Replayed with seed 1');
  await expect(page.getByTestId('curves-chart')).toContainText('Intermediate values');
  const shown = async () => Number(/(\d+) of \d+ trials shown/.exec(await page.getByTestId('dashboard').innerText())![1]);
  const all = await shown();
  await page.getByLabel('Best % of complete trials').fill('10');
  expect(await shown()).toBeLessThan(all);
  await page.getByLabel('Best % of complete trials').fill('100');
  // Brush the objective axis (the last one) by dragging over its lower half.
  const overlay = page.locator('.tuning-parallel-overlay');
  await overlay.scrollIntoViewIfNeeded();
  const box = (await overlay.boundingBox())!;
  await page.mouse.move(box.x + box.width * (650 / 720), box.y + box.height * 0.55);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * (650 / 720), box.y + box.height * 0.9, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: /Clear 1 range/ })).toBeVisible();
  expect(await shown()).toBeLessThan(all);
  await page.getByRole('button', { name: /Clear 1 range/ }).click();

  // The one look at the test images.
  await page.getByRole('button', { name: 'Test the chosen configuration (once)' }).click();
  await expect(page.getByTestId('test-result')).toContainText('This study has had its one look');
  await expect(page.getByRole('button', { name: 'Test the chosen configuration (once)' })).toHaveCount(0);
  await expect(criterion(page, 'honest-test')).toHaveAttribute('data-status', 'met');

  // The Optuna journal.
  const [journal] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download the Optuna journal/ }).click()]);
  const lines = (await readFile((await journal.path())!, 'utf8')).trimEnd().split('\n');
  expect(JSON.parse(lines[0]!)).toMatchObject({ op_code: 0, directions: [1] });
  expect(lines.filter((l) => l.startsWith('{"op_code": 4,')).length).toBe(60);
  await expect(criterion(page, 'journal-export')).toHaveAttribute('data-status', 'met');

  // A syntax error names its line; then a shorter objective (2 epochs) for a quick live study.
  await typeInEditor(page, starter.replace('export async function objective(trial, { train, TrialPruned, maxEpochs }) {', 'export async function objective(trial, { train, TrialPruned, maxEpochs } {'));
  await expect(page.getByTestId('syntax-error')).toContainText('study.mjs line 8');
  await typeInEditor(page, starter.replace('epoch <= maxEpochs', 'epoch <= 2'));
  await expect(page.getByTestId('syntax-error')).toHaveCount(0);
  await page.getByLabel(/Live: train in 3 workers/).check();
  await page.getByLabel('Trials').first().fill('4');
  await page.getByLabel(/Workers \(at most 3\)/).fill('2');
  await page.getByLabel('Pruner').first().selectOption('asha');
  await page.getByRole('button', { name: 'Run the live study' }).click();
  await expect(page.getByTestId('study-summary')).toContainText('running', { timeout: 60_000 });
  await idle(page, 120_000);
  await expect(page.getByTestId('study-summary')).toContainText(/Live on 2 workers \(wasm/);
  await expect(page.getByTestId('trial-table').locator('tbody tr')).toHaveCount(4);

  // The report.
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (.md)' }).click()]);
  const md = await readFile((await report.path())!, 'utf8');
  expect(md).toContain('| random search, 16 trials |');
  expect(md).toMatch(/\| live \| TPE, de-duplicated \+ successive halving \(ASHA\), 4 trials on 2 workers/);
  expect(md).toContain('test accuracy % (95% CI), once');
});
