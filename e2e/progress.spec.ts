/**
 * Progress across the course, as a student uses it: knowledge checks, "mark as read", the progress page, export and
 * import, storage that is full, and module pages that are clean (console, axe).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, useTheme } from './support';
import { builtPages } from './site-pages';
import { answerQuiz as answer } from './quiz-answers';

const modulePages = builtPages().filter((path) => /^\/modules\/[a-z0-9-]+\/$/.test(path));
const first = modulePages.includes('/modules/intro/') ? '/modules/intro/' : modulePages[0]!;
const firstId = first.split('/')[2]!;
const idOf = (url: string) => new URL(url).pathname.split('/')[2]!;
/** Ticks the right answers (a wrong one in the `wrong` questions) of the knowledge check on the open module page. */
const answerQuiz = (page: Page, wrong: number[] = []) => answer(page, idOf(page.url()), wrong);

/** Marks the open reading as read with its button. */
async function markRead(page: Page): Promise<void> {
  const control = page.locator('mark-read');
  await control.getByRole('button', { name: 'Mark as read' }).click();
  await expect(control.locator('[data-state]')).toContainText('✓');
}

/**
 * Reads the open module page from top to bottom as a student would: a scroll step at a time, with time (on the page's
 * fake clock) to read each screen, until the end of the text is on screen. Returns the seconds spent.
 */
async function readThrough(page: Page): Promise<number> {
  const minutes = Number(await page.locator('mark-read [data-minutes]').textContent());
  const height = await page.locator('mark-read [data-reading]').evaluate((el) => el.getBoundingClientRect().height);
  const steps = Math.ceil(height / 400) + 2;
  const perStep = Math.ceil((minutes * 60 * 1.25) / steps);
  await page.evaluate(() => scrollTo(0, 0));
  await page.mouse.move(200, 300);
  for (let step = 0; step < steps; step++) {
    await page.mouse.wheel(0, 400);
    await page.clock.runFor(perStep * 1000);
  }
  await page.locator('mark-read [data-end]').scrollIntoViewIfNeeded();
  await page.clock.runFor(2000);
  return steps * perStep;
}

test.describe('knowledge check and progress page', () => {
  test('module pages exist', () => {
    expect(modulePages.length).toBeGreaterThan(0);
  });

  test('answering a knowledge check updates the progress page', async ({ page }) => {
    await page.goto(first);
    const kc = page.locator('knowledge-check');
    await kc.getByRole('button', { name: 'Check answers' }).click();
    await expect(kc.locator('[data-score]')).toContainText('Answer every question first: question 1');

    const total = await answerQuiz(page, [0]);
    await kc.getByRole('button', { name: 'Check answers' }).click();
    const score = kc.locator('[data-score]');
    await expect(score).toContainText(`You got ${total - 1} of ${total} right`);
    await expect(score).toContainText('Saved to your progress.');
    await expect(score).toBeFocused();
    // Every option of every question now shows why it is right or wrong.
    const options = await kc.locator('.kc-option').count();
    await expect(kc.locator('.kc-why:visible')).toHaveCount(options);
    await expect(kc.locator('.kc-question').first()).toHaveAttribute('data-state', 'wrong');
    await expect(kc.locator('.kc-question').first().locator('.kc-result')).toContainText('✗');
    // The right answer the student missed is pointed out, not crossed out.
    await expect(kc.locator('.kc-question').first().locator('.kc-why[data-verdict="missed"] .kc-verdict')).toHaveText('→ This was the right answer.');
    await expect(kc.locator('.kc-question').nth(1)).toHaveAttribute('data-state', 'right');
    await expect(kc.locator('input:disabled')).toHaveCount(await kc.locator('input').count());

    // Retry, this time all right, with the keyboard for the first question.
    await kc.getByRole('button', { name: 'Try again' }).click();
    await expect(kc.locator('.kc-why:visible')).toHaveCount(0);
    await expect(kc.locator('input:checked')).toHaveCount(0);
    await expect(kc.locator('input').first()).toBeFocused();
    await answerQuiz(page);
    await kc.getByRole('button', { name: 'Check answers' }).focus();
    await page.keyboard.press('Enter');
    await expect(score).toContainText(`You got ${total} of ${total} right (100%). Passed.`);
    await expect(kc.locator('[data-last]')).toContainText(`best ${total} of ${total}`);

    await page.goto('/progress/');
    const row = page.locator(`tr[data-module="${firstId}"]`);
    await expect(row.locator('[data-quiz]')).toContainText(`✓ Passed`);
    await expect(row.locator('[data-quiz]')).toContainText(`best ${total} of ${total}`);
    await expect(page.locator('[data-summary]')).toContainText('1 of');
    await expect(page.locator('[data-summary]')).toContainText('knowledge checks passed');
    await expectAccessible(page);
  });

  test('the knowledge check works with the keyboard alone', async ({ page }) => {
    await page.goto(first);
    const kc = page.locator('knowledge-check');
    const questions = kc.locator('.kc-question');
    const count = await questions.count();
    for (let i = 0; i < count; i++) {
      await questions.nth(i).locator('input').first().focus();
      await page.keyboard.press('Space');
      const type = await questions.nth(i).locator('input').first().getAttribute('type');
      if (type === 'radio') {
        await page.keyboard.press('ArrowDown');
        await expect(questions.nth(i).locator('input').nth(1)).toBeChecked();
      } else {
        await expect(questions.nth(i).locator('input').first()).toBeChecked();
      }
    }
    await kc.getByRole('button', { name: 'Check answers' }).focus();
    await page.keyboard.press('Enter');
    await expect(kc.locator('[data-score]')).toContainText(`of ${count} right`);
    await expect(kc.getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  test('reading through to the end marks a reading read; jumping to the end or answering the check does not', async ({ page }) => {
    await page.clock.install();
    await page.goto(first);
    const control = page.locator('mark-read');
    const state = control.locator('[data-state]');
    await expect(state).toContainText('Not marked as read yet');

    // Jump to the knowledge check from the table of contents, answer it, and stay active there for a long time.
    await page.locator('starlight-toc a[href="#knowledge-check"]').first().click();
    await answerQuiz(page);
    for (let i = 0; i < 20; i++) {
      await page.mouse.move(300 + i, 400);
      await page.clock.runFor(30_000);
    }
    // The End key jumps to the bottom as well.
    await page.keyboard.press('End');
    await page.clock.runFor(30_000);
    await expect(state).toContainText('Not marked as read yet');

    await readThrough(page);
    await expect(state).toContainText('✓ Marked read on');
    await control.getByRole('button', { name: 'Mark as unread' }).click();
    await expect(state).toContainText('Not marked as read yet');
    await control.getByRole('button', { name: 'Mark as read' }).click();
    await expect(state).toContainText('✓ Read');

    await page.goto('/progress/');
    const row = page.locator(`tr[data-module="${firstId}"]`);
    await expect(row.locator('[data-reading]')).toContainText('✓ Read');
    await expect(row.locator('[data-time]')).toHaveText(/^\d+ min in the text$/);
  });

  test('the progress page tells opened readings from unopened ones', async ({ page }) => {
    const other = modulePages.find((path) => path !== first)!;
    await page.goto(other);
    await page.goto('/progress/');
    await expect(page.locator(`tr[data-module="${other.split('/')[2]}"] [data-reading]`)).toContainText('Opened');
    await expect(page.locator(`tr[data-module="${firstId}"] [data-reading]`)).toHaveText('Not opened');
  });

  test('progress survives a reload and an export → reset → import round trip', async ({ page }, testInfo) => {
    await page.goto(first);
    await markRead(page);
    const total = await answerQuiz(page);
    await page.locator('knowledge-check').getByRole('button', { name: 'Check answers' }).click();
    await expect(page.locator('knowledge-check [data-score]')).toContainText('Passed.');

    await page.goto('/progress/');
    const row = page.locator(`tr[data-module="${firstId}"]`);
    await expect(row.locator('[data-reading]')).toContainText('✓ Read');
    await page.reload();
    await expect(row.locator('[data-reading]')).toContainText('✓ Read');
    await expect(row.locator('[data-quiz]')).toContainText(`best ${total} of ${total}`);

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export progress' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^mlops-progress-\d{4}-\d{2}-\d{2}\.json$/);
    const file = testInfo.outputPath('progress.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ format: 'mlops-course-progress', version: 2 });
    expect(exported.progress.readings[firstId]).toBeDefined();
    await expect(page.locator('[data-page-message]')).toContainText('Exported to');

    await page.getByRole('button', { name: 'Reset progress…' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(row.locator('[data-reading]')).toContainText('✓ Read');
    await page.getByRole('button', { name: 'Reset progress…' }).click();
    await page.getByRole('button', { name: 'Delete all progress' }).click();
    await expect(row.locator('[data-reading]')).toHaveText('Not opened');
    await expect(row.locator('[data-quiz]')).toHaveText('Not tried yet');

    await page.getByLabel('Import progress…').setInputFiles(file);
    await expect(page.locator('[data-page-message]')).toContainText('Imported progress.json');
    await expect(row.locator('[data-reading]')).toContainText('✓ Read');
    await expect(row.locator('[data-quiz]')).toContainText(`best ${total} of ${total}`);
    await page.reload();
    await expect(row.locator('[data-quiz]')).toContainText('✓ Passed');
  });

  test('a corrupt or foreign import is refused with a message, and existing progress stays', async ({ page }) => {
    await page.goto(first);
    await markRead(page);
    await page.goto('/progress/');
    const before = await page.evaluate(() => localStorage.getItem('mlops-course.progress'));
    expect(before).toContain(firstId);
    const input = page.getByLabel('Import progress…');
    const message = page.locator('[data-page-message]');

    await input.setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"mlops-course-progress","version":2,"progress":{"readi') });
    await expect(message).toContainText('Import refused. The file is not valid JSON');
    await expect(message).toHaveAttribute('data-kind', 'error');

    await input.setInputFiles({ name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x","version":"1.0.0"}') });
    await expect(message).toContainText('not a progress file from this course');

    const damaged = { format: 'mlops-course-progress', version: 2, progress: { readings: { tuning: { readAt: 'someday' } } } };
    await input.setInputFiles({ name: 'damaged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
    await expect(message).toContainText('readAt should be a date');
    await expect(message).toContainText('Your progress was not changed.');

    const at = '2026-11-01T00:00:00.000Z';
    const foreign = {
      format: 'mlops-course-progress',
      version: 2,
      progress: {
        quizzes: { [firstId]: { attempts: [{ at, answers: [[0], [1]], correct: [true, true], score: 2, total: 2, passed: true }], best: { score: 2, total: 2 }, passedAt: at } },
        labs: { 'not-a-lab': { updatedAt: at, results: {}, criteria: {} } },
      },
    };
    await input.setInputFiles({ name: 'foreign.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(foreign)) });
    await expect(message).toContainText('but the file scores it out of 2');
    await expect(message).toContainText('a lab "not-a-lab", which this course does not have');

    expect(await page.evaluate(() => localStorage.getItem('mlops-course.progress'))).toBe(before);
    await expect(page.locator(`tr[data-module="${firstId}"] [data-reading]`)).toContainText('✓ Read');
    await expectAccessible(page);
  });

  test('progress the browser could not read is kept aside and can be restored from the progress page', async ({ page }) => {
    await page.goto('/progress/');
    await expect(page.locator('[data-backups]')).toBeHidden();
    const damaged = {
      format: 'mlops-course-progress',
      version: 2,
      progress: { readings: { [firstId]: { readAt: '2026-11-01T00:00:00.000Z' }, tuning: { readAt: 'someday' } } },
    };
    await page.evaluate((text) => localStorage.setItem('mlops-course.progress', text), JSON.stringify(damaged));
    await page.reload();
    const backups = page.locator('[data-backups]');
    await expect(backups).toBeVisible();
    await expect(backups).toContainText('1 readings, 0 knowledge checks, 0 labs readable; 1 damaged entries');
    await expect(page.locator(`tr[data-module="${firstId}"] [data-reading]`)).toContainText('✓ Read');
    await backups.getByRole('button', { name: 'Restore' }).click();
    await expect(page.locator('[data-page-message]')).toContainText('Restored the copy: 1 reading, 0 knowledge checks, 0 labs');
    await expectAccessible(page);
  });

  test('with storage full, the pages say so and keep working', async ({ page }) => {
    await page.addInitScript(() => {
      const original = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (key.startsWith('mlops-course')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.call(this, key, value);
      };
    });
    await page.goto(first);
    const total = await answerQuiz(page);
    await page.locator('knowledge-check').getByRole('button', { name: 'Check answers' }).click();
    const score = page.locator('knowledge-check [data-score]');
    await expect(score).toContainText(`You got ${total} of ${total} right`);
    await expect(score).toContainText("Progress can't be saved in this browser");
    await expect(page.locator('progress-status [data-storage-message]')).toContainText('storage for this site is full');
    await expect(page.locator('knowledge-check [data-last]')).toContainText(`best ${total} of ${total}`);
    await markRead(page);
    await expect(page.locator('mark-read [data-state]')).toContainText('Not saved');
    await expectAccessible(page);

    await page.goto('/progress/');
    await page.getByRole('button', { name: 'Reset progress…' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const exported = JSON.stringify({ format: 'mlops-course-progress', version: 2, progress: { readings: { [firstId]: { readAt: '2026-11-01T00:00:00.000Z' } } } });
    await page.getByLabel('Import progress…').setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await expect(page.locator('[data-page-message]')).toContainText('Imported p.json');
    await expect(page.locator('progress-status [data-storage-message]')).toContainText("Progress can't be saved in this browser");
    await expect(page.locator(`tr[data-module="${firstId}"] [data-reading]`)).toContainText('✓ Read');
  });

  test('an open progress page updates when another tab records progress', async ({ page, context }) => {
    await page.goto('/progress/');
    const cell = page.locator(`tr[data-module="${firstId}"] [data-quiz]`);
    await expect(cell).toHaveText('Not tried yet');
    const other = await context.newPage();
    await other.goto(first);
    const total = await answerQuiz(other);
    await other.locator('knowledge-check').getByRole('button', { name: 'Check answers' }).click();
    await expect(cell).toContainText(`best ${total} of ${total}`);
    await other.close();
  });

  test('with storage blocked, the progress page says so', async ({ page }) => {
    // Browsers throw SecurityError from localStorage when site data is blocked. Blocking it for every key would also
    // break Starlight's own theme scripts, so only the course's progress keys are blocked here.
    await page.addInitScript(() => {
      for (const name of ['getItem', 'setItem', 'removeItem'] as const) {
        const original = Storage.prototype[name] as (...args: string[]) => unknown;
        (Storage.prototype as unknown as Record<string, unknown>)[name] = function (this: Storage, ...args: string[]) {
          if (args[0]?.startsWith('mlops-course')) throw new DOMException('The operation is insecure.', 'SecurityError');
          return original.apply(this, args);
        };
      }
    });
    await page.goto('/progress/');
    await expect(page.locator('progress-status [data-storage-message]')).toContainText('storage is blocked');
    await expect(page.locator('[data-summary]')).toContainText('0 of');
    await page.goto(first);
    const total = await answerQuiz(page);
    await page.locator('knowledge-check').getByRole('button', { name: 'Check answers' }).click();
    await expect(page.locator('knowledge-check [data-score]')).toContainText(`You got ${total} of ${total} right`);
    await expect(page.locator('knowledge-check [data-score]')).toContainText('storage is blocked');
  });
});

test.describe('module pages', () => {
  for (const path of modulePages) {
    test(`${path} is clean and accessible, with outcomes, materials and a knowledge check`, async ({ page }) => {
      await page.goto(path);
      await expect(page.locator('h1')).toBeVisible();
      await expect(page.locator('#module-outcomes')).toBeVisible();
      await expect(page.locator('.module-outcomes li').first()).toBeVisible();
      await expect(page.locator('#module-materials')).toBeVisible();
      const questions = await page.locator('knowledge-check .kc-question').count();
      expect(questions).toBeGreaterThanOrEqual(5);
      expect(questions).toBeLessThanOrEqual(10);
      // Table of contents lists the knowledge check.
      await expect(page.locator('starlight-toc a[href="#knowledge-check"]').first()).toBeAttached();
      await expectAccessible(page);
    });
  }

  for (const theme of ['light', 'dark'] as const) {
    test(`a checked knowledge check is accessible (${theme})`, async ({ page }) => {
      await useTheme(page, theme);
      await page.goto(first);
      await answerQuiz(page, [0, 2]);
      await page.locator('knowledge-check').getByRole('button', { name: 'Check answers' }).click();
      await expect(page.locator('knowledge-check [data-score]')).not.toBeEmpty();
      await expectAccessible(page);
    });
  }
});
