/**
 * The monitoring lab used as a student would: calibrate a corrected KS detector on the no-drift stream, evaluate it
 * on the sudden drift, run Page-Hinkley on the error stream, watch the criteria turn green, replay a scenario, and
 * download the verifiable report bundle. A window of 0 is refused with a message that names the field.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './support';

const LAB = '/labs/monitoring/#workspace';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const idle = (page: Page, timeout = 90_000) => expect(page.getByTestId('job')).toHaveCount(0, { timeout });

test('a student calibrates, detects drift and a concept change, and downloads the report', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(LAB);
  await expect(page.getByTestId('tfjs-status')).toContainText('Serving the dense model', { timeout: 90_000 });
  await idle(page);

  // A window of 0 is refused before any work, naming the field.
  await page.getByLabel('Test').selectOption('ks');
  await page.getByLabel('Correction for many features').selectOption('bonferroni');
  await page.getByLabel('Window (events)').fill('0');
  await page.getByRole('button', { name: 'Evaluate: false alarms and power' }).click();
  await expect(page.getByTestId('lab-alert')).toContainText('window: 0 is not a whole number');

  // Calibrate at three window sizes.
  await page.getByLabel('Window sizes to calibrate').fill('100, 250, 500');
  await page.getByRole('button', { name: 'Measure false alarms on no drift' }).click();
  await idle(page);
  await expect(page.getByTestId('sweep-chart')).toHaveCount(1);
  await expect(criterion(page, 'calibrate-first')).toHaveAttribute('data-status', 'met');

  // The corrected KS detector at 500 events: few false alarms, and it catches the sudden drift.
  await page.getByLabel('Window (events)').fill('500');
  await page.getByRole('button', { name: 'Evaluate: false alarms and power' }).click();
  await idle(page);
  await expect(page.getByTestId('detectors').locator('tbody tr')).toHaveCount(1);
  await expect(criterion(page, 'drift-false-alarms')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'drift-power')).toHaveAttribute('data-status', 'met');

  // Page-Hinkley with λ = 20 on the error stream.
  await page.getByLabel('λ (threshold)').fill('20');
  await page.getByRole('button', { name: 'Run Page-Hinkley' }).click();
  await idle(page);
  await expect(criterion(page, 'concept-false-alarms')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'concept-delay')).toHaveAttribute('data-status', 'met');

  // Replay the concept scenario: realised accuracy drops, the confidence-based estimate does not.
  await page.getByLabel('Scenario').selectOption('concept');
  await page.getByRole('button', { name: 'Replay two days' }).click();
  await idle(page);
  await expect(page.getByTestId('replay')).toContainText('requests over two days');

  // The report bundle holds the evidence and the charts.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /report bundle/i }).click()]);
  const zip = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const names = Object.keys(zip);
  const evidence = JSON.parse(strFromU8(zip[names.find((n) => n.endsWith('/evidence.json'))!]!));
  expect(evidence.measured['detector.powerPct'].value).toBeGreaterThanOrEqual(95);
  expect(names.some((n) => /charts\/.+\.svg$/.test(n))).toBe(true);
  const md = strFromU8(zip[names.find((n) => n.endsWith('/report.md'))!]!);
  expect(md).toContain('Acceptance criteria: 5 of 5 met');

  await expectAccessible(page, { exclude: ['button[data-open-modal]'] });

  // A reload keeps the results.
  await page.reload();
  await expect(criterion(page, 'drift-power')).toHaveAttribute('data-status', 'met', { timeout: 30_000 });
});
