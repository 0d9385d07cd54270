/**
 * The CI/CD lab in the machine's Chromium, in the offline runtime, as a student does it: a workflow problem is marked
 * while typing, the reference workflow is committed to main and runs green, a planted pull request fails the gate
 * with an annotation on the changed line, a fix typed on the branch passes it, the criteria tick, and the report
 * downloads.
 */
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, startEditing } from './support';

const LAB = '/labs/cicd/?runtime=offline#workspace';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const editor = (page: Page) => page.getByTestId('editor').locator('.view-lines');

const fileButton = (page: Page, path: string) => page.getByRole('navigation', { name: 'Project files' }).getByTitle(path, { exact: true });

async function openFile(page: Page, path: string) {
  await fileButton(page, path).click();
  await expect(fileButton(page, path)).toHaveAttribute('aria-current', 'true');
}

/** Replace text in the open file with Monaco's find-and-replace widget, as a student would. */
async function replaceInEditor(page: Page, find: string, replace: string) {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+h');
  // The widget keeps the last search and replacement: select each field's text before typing over it.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(find);
  await page.keyboard.press('Tab');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(replace);
  await page.keyboard.press('ControlOrMeta+Alt+Enter');
  await page.keyboard.press('Escape');
}

async function runFinished(page: Page, id: number, result: 'success' | 'failure') {
  await expect(page.getByTestId(`run-${id}-result`)).toContainText(result, { timeout: 90_000 });
}

test('a workflow from commit to a gated pull request, offline', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(LAB);
  await startEditing(page);

  // A typo in an expression is marked at its line and column before anything runs.
  await openFile(page, '.github/workflows/ci.yml');
  await replaceInEditor(page, 'node --test', 'node --test ${{ github.sha) }}');
  await expect(page.getByTestId('workflow-problems')).toContainText(/ci\.yml:\d+:\d+ Unexpected symbol: '\)'/, { timeout: 10_000 });

  // The reference workflow, committed to main.
  await page.getByLabel('Solution').selectOption('reference-workflow');
  await page.getByRole('button', { name: 'Show solution' }).click();
  await expect(page.getByTestId('workflow-problems')).toHaveCount(0, { timeout: 10_000 });
  await page.getByLabel('Commit message').fill('Add the CI pipeline');
  await page.getByRole('button', { name: 'Commit and push' }).click();
  await runFinished(page, 1, 'success');
  await expect(criterion(page, 'step-1-run')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'step-2-needs')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'step-3-matrix')).toHaveAttribute('data-status', 'met');
  await expect(page.getByRole('group', { name: /Jobs of run #1/ })).toBeVisible();

  // The planted refactor: the gate fails and marks the changed line; the annotation opens it in the editor.
  await page.getByTestId('plant-regression').click();
  await runFinished(page, 2, 'failure');
  const annotations = page.getByTestId('annotations');
  await expect(annotations).toContainText('Changed in this pull request');
  await annotations.getByRole('button', { name: 'lib/data.mjs:78' }).first().click();
  await expect(fileButton(page, 'lib/data.mjs')).toHaveAttribute('aria-current', 'true');
  await expect(criterion(page, 'step-5-gate-blocks')).toHaveAttribute('data-status', 'met');

  // The fix, typed on the pull request's branch: the pull request runs again and passes the gate.
  await page.getByTestId('pull-1').getByRole('button', { name: 'Edit on simplify-scaling' }).click();
  await expect(page.getByTestId('ci-branch')).toContainText('simplify-scaling');
  await openFile(page, 'lib/data.mjs');
  await replaceInEditor(page, '(v, j) => v / std[j]', '(x, j) => (x - mean[j]) / std[j]');
  await expect(page.getByTestId('changes')).toContainText('lib/data.mjs', { timeout: 10_000 });
  await page.getByLabel('Commit message').fill('Centre the features before scaling them');
  await page.getByRole('button', { name: 'Commit and push' }).click();
  await runFinished(page, 3, 'success');
  await expect(criterion(page, 'step-5-gate-passes')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'step-6-report')).toHaveAttribute('data-status', 'met');
  await expect(page.getByRole('region', { name: 'Pull-request report' })).toContainText('The quality gate passed');

  const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (.md)' }).click()]);
  expect(report.suggestedFilename()).toMatch(/\.md$/);
  await expectAccessible(page, { exclude: ['header.header', '.lab-monaco', '.lab-terminal'] });
});
