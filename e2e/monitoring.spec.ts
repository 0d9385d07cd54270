/**
 * The monitoring lab used as a student would: calibrate a corrected KS detector on the no-drift stream, evaluate it
 * on the sudden drift, run Page-Hinkley on the error stream, watch the criteria turn green, replay a scenario, and
 * download the verifiable report bundle. A window of 0 is refused with a message that names the field.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, startEditing, pasteIntoEditor } from './support';

const LAB = '/labs/monitoring/#workspace';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const idle = (page: Page, timeout = 90_000) => expect(page.getByTestId('job')).toHaveCount(0, { timeout });

const mean = (offset: string) => `(rate(input_feature_sum{feature="contrast"}[3h]${offset}) / ignoring(feature) rate(input_feature_count[3h]${offset}))`;
// One line each, in YAML's flow style, so that the editor's indentation cannot change what is pasted.
const RULES = `{groups: [{name: input-drift, rules: [{alert: ContrastDrop, expr: '${mean('')} < 0.98 * ${mean(' offset 1d')}', for: 30m, labels: {severity: ticket}}]}]}`;
const TESTS = `{evaluation_interval: 1m, tests: [{interval: 10m, input_series: [{series: 'input_feature_sum{job="digits",feature="contrast"}', values: '0+300x144 43200+288x36'}, {series: 'input_feature_count{job="digits"}', values: '0+1000x180'}], alert_rule_test: [{eval_time: 24h, alertname: ContrastDrop, exp_alerts: []}, {eval_time: 28h, alertname: ContrastDrop, exp_alerts: [{exp_labels: {severity: ticket, job: digits}}]}]}]}`;

/** Replaces the text of the open Monaco editor, as a student would paste it. */
async function replaceEditorText(page: Page, text: string) {
  await page.locator('section[aria-labelledby="mon-alerts"] .lab-monaco .view-lines').click();
  await pasteIntoEditor(page, text);
}

test('a student calibrates, detects drift and a concept change, and downloads the report', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(LAB);
  await expect(page.getByTestId('tfjs-status')).toContainText('Serving the dense model', { timeout: 90_000 });
  await idle(page);

  // A window of 0 is refused before any work, naming the field.
  await page.getByRole('combobox', { name: 'Test', exact: true }).selectOption('ks');
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

  // Metrics: a PromQL typo names its column; a dashboard panel draws.
  await page.getByRole('textbox', { name: 'PromQL' }).fill('sum(rate(requests_total[5m))');
  await page.getByRole('button', { name: 'Run the PromQL query' }).click();
  await expect(page.getByTestId('lab-alert')).toContainText('syntax error at line 1, column');
  await page.getByRole('button', { name: 'mean contrast, 1 h' }).click();
  await idle(page, 150_000);
  await expect(page.getByTestId('metrics-chart')).toBeVisible();

  // Alert rules: mean contrast against the same hours a day earlier fires on the drift and not on the daylight.
  await page.getByRole('button', { name: 'rules.yml (alert rules)' }).click();
  await startEditing(page.locator('section[aria-labelledby="mon-alerts"]'));
  await replaceEditorText(page, RULES);
  await page.getByRole('button', { name: 'rules.test.yml (unit tests)' }).click();
  await replaceEditorText(page, TESTS);
  await page.getByRole('button', { name: 'Check the rules on both scenarios' }).click();
  await idle(page, 150_000);
  await expect(page.getByTestId('alert-result')).toContainText('Proven');
  await expect(criterion(page, 'alert-proven')).toHaveAttribute('data-status', 'met');

  // Logs: a query that matches nothing says so; the broken firmware's warnings and errors are the incident.
  await page.getByRole('textbox', { name: 'Log query' }).fill('{severity>=ERROR} | client.name = "nobody"');
  await page.getByRole('button', { name: 'Run the query' }).click();
  await idle(page, 120_000);
  await expect(page.getByTestId('lab-alert')).toContainText('matched none of the');
  await page.getByRole('textbox', { name: 'Log query' }).fill('{severity>=WARN} | count by client.version');
  await page.getByRole('button', { name: 'Run the query' }).click();
  await idle(page);
  await expect(page.getByTestId('log-counts').locator('tbody tr').first()).toContainText('2.1');
  await page.getByRole('textbox', { name: 'Log query' }).fill('{severity>=WARN} | client.version = "2.1"');
  await page.getByRole('button', { name: 'Run the query' }).click();
  await idle(page);
  await page.getByLabel('Root cause').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Record the last query as the finding' }).click();
  await expect(criterion(page, 'logs-root-cause')).toHaveAttribute('data-status', 'met');

  // Replay the concept scenario: realised accuracy drops, the confidence-based estimate does not.
  await page.locator('section[aria-labelledby="mon-stream"]').getByLabel('Scenario').selectOption('concept');
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
  expect(md).toContain('Acceptance criteria: 7 of 7 met');

  await expectAccessible(page, { exclude: ['button[data-open-modal]'] });

  // A reload keeps the results.
  await page.reload();
  await expect(criterion(page, 'drift-power')).toHaveAttribute('data-status', 'met', { timeout: 30_000 });
});
