/**
 * The containers lab as a student uses it: the page says it is a simulator; a line typed into the Dockerfile gets a
 * lint marker and breaks the build at its line; the starter builds and a source-only edit rebuilds most of it; the
 * reference solution meets every criterion after the rebuild experiments and a Compose check; the report bundle
 * carries the project; a reload keeps everything.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, startEditing } from './support';

const LAB = '/labs/containers/#workspace';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const idle = (page: Page) => expect(page.getByTestId('job')).toHaveCount(0, { timeout: 30_000 });

async function build(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await idle(page);
}

test('a student lints, builds, shrinks, rebuilds, composes and reports', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(LAB);
  await expect(page.getByRole('complementary', { name: 'What this lab is' })).toContainText('A simulator, not Docker');
  await expect(page.getByTestId('containers-status')).toContainText('Build simulator ready (not Docker)');
  await expect(page.getByTestId('editor-preview')).toContainText('FROM python:3.12');
  await expect(await startEditing(page)).toContainText('FROM python:3.12');
  await expect(page.getByTestId('lint-findings')).toContainText('DL3008');

  // Type a line into the Dockerfile: the linter marks it, and the build stops at it.
  await page.locator('.lab-monaco .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  // The starter ends with a newline, so the cursor is on the empty line 12.
  await page.keyboard.type('EXPOSE 99999');
  await expect(page.locator('[data-rule="DL3011"]')).toContainText('line 12');
  await build(page, 'Build');
  await expect(page.getByTestId('build-error')).toContainText('invalid containerPort: 99999');
  await page.locator('.lab-monaco .view-lines').click();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.locator('[data-rule="DL3011"]')).toHaveCount(0);

  // The starter builds; a source-only edit reruns COPY . and everything after it.
  // The failed build ran lines 1-3 before it reached EXPOSE, so they come from the cache now; COPY . reruns because
  // the Dockerfile, part of the context, changed back. (BuildKit rejects a bad EXPOSE before it runs anything.)
  await build(page, 'Build');
  await expect(page.getByTestId('build-steps').locator('tr[data-decision="built"]')).toHaveCount(6);
  await expect(page.getByTestId('history')).toContainText('COPY . /app');
  await build(page, 'Edit app.py and rebuild');
  await expect(criterion(page, 'source-edit')).toHaveAttribute('data-status', 'not-met');
  await expect(criterion(page, 'smaller')).toHaveAttribute('data-status', 'not-met');

  // The reference solution: a slim, multi-stage image whose source edits rebuild one layer.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Show the reference solution' }).click();
  await expect(page.locator('.lab-monaco .view-lines')).toContainText('AS runtime');
  await build(page, 'Build');
  await expect(page.getByTestId('smoke')).toContainText('the container would start');
  await build(page, 'Edit app.py and rebuild');
  await expect(page.getByTestId('build-steps').locator('tr[data-decision="built"]')).toHaveCount(1);
  await build(page, 'Edit requirements.txt and rebuild');
  for (const id of ['lint-clean', 'source-edit', 'deps-edit', 'smaller', 'no-waste']) await expect(criterion(page, id)).toHaveAttribute('data-status', 'met');

  // The Compose stack waits for a healthy model store.
  await page.getByRole('button', { name: 'Check and start the stack' }).click();
  await idle(page);
  await expect(page.getByTestId('compose-result')).toContainText('The API started after the model store was healthy');
  await expect(criterion(page, 'compose-healthy')).toHaveAttribute('data-status', 'met');
  await expect(page.getByRole('heading', { name: /Acceptance criteria \(6 of 6 met\)/ })).toBeVisible();

  // The report bundle carries the builds and the project.
  const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report bundle (.zip)' }).click()]);
  const zip = unzipSync(new Uint8Array(await readFile((await bundle.path())!)));
  const names = Object.keys(zip);
  expect(names).toContain('lab-report-containers/evidence/project/Dockerfile');
  expect(strFromU8(zip['lab-report-containers/report.md']!)).toContain('Acceptance criteria: 6 of 6 met');

  await expectAccessible(page, { exclude: ['button[data-open-modal]', '.lab-monaco'] });

  // A reload keeps the builds, the criteria and the image view.
  await page.reload();
  await expect(page.getByRole('heading', { name: /Acceptance criteria \(6 of 6 met\)/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('smoke')).toContainText('the container would start', { timeout: 30_000 });
});
