/**
 * Knowledge checks that test understanding: options come in an order that carries no information (new for every
 * attempt, kept through a reload within one), the keyboard follows the order shown, answers are recorded by authored
 * index, the answers are not readable in the page's HTML, and ticking the first option(s) does not pass. The
 * statistics over many attempts are in tests/knowledge-check-guessing.test.ts; this spec checks that the page shows
 * exactly the orders that test reasons about.
 */
import type { Page } from '@playwright/test';
import { PASS_RATIO } from '../src/labkit/progress/format';
import { attemptOrder } from '../src/lib/quiz-order';
import { test, expect } from './support';
import { authoredQuiz, correctAnswers, answerQuiz, shownOrder } from './quiz-answers';
import { builtHtml, builtPages } from './site-pages';

const modulePages = builtPages().filter((path) => /^\/modules\/[a-z0-9-]+\/$/.test(path));
const idOf = (path: string) => path.split('/')[2]!;
const attemptKey = (id: string) => `mlops-course.kc-attempt.${id}`;
const seedOf = async (page: Page, id: string) => JSON.parse((await page.evaluate((key) => sessionStorage.getItem(key), attemptKey(id)))!).seed as number;
const expectedOrder = (id: string, seed: number) => authoredQuiz(id).map((q, qi) => attemptOrder(seed, qi, q.options.length));

test('the built pages hold neither the correct options nor the explanations in plain text', () => {
  expect(modulePages.length).toBeGreaterThan(0);
  for (const path of modulePages) {
    const html = builtHtml(path);
    expect(html, path).not.toContain('data-correct');
    const quiz = authoredQuiz(idOf(path));
    for (const q of quiz) {
      for (const o of q.options) {
        // Long explanations only: a few words could occur in the reading too.
        const words = o.why.replace(/[`*]/g, '').split(/\s+/).slice(0, 8).join(' ');
        if (words.length > 40) expect(html, `${path}: "${words}"`).not.toContain(words);
      }
    }
  }
});

test('every attempt shows its own order, kept through a reload, and answers are recorded by authored index', async ({ page }) => {
  const path = modulePages[0]!;
  const id = idOf(path);
  await page.goto(path);
  const seed = await seedOf(page, id);
  expect(await shownOrder(page)).toEqual(expectedOrder(id, seed));

  // Tick something, reload: the same order and the same ticks.
  const firstInput = page.locator('knowledge-check .kc-question').first().locator('input').nth(1);
  await firstInput.check();
  const ticked = await firstInput.getAttribute('value');
  await page.reload();
  expect(await seedOf(page, id)).toBe(seed);
  expect(await shownOrder(page)).toEqual(expectedOrder(id, seed));
  await expect(page.locator(`knowledge-check .kc-question >> nth=0 >> input[value="${ticked}"]`)).toBeChecked();

  // Answer right, check: the attempt is stored with the authored indices of the correct options.
  const kc = page.locator('knowledge-check');
  await answerQuiz(page, id);
  await kc.getByRole('button', { name: 'Check answers' }).click();
  await expect(kc.locator('[data-score]')).toContainText('Passed.');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('mlops-course.progress')!));
  expect(stored.progress.quizzes[id].attempts[0].answers).toEqual(correctAnswers(id));

  // Try again: a new attempt with a new order.
  await kc.getByRole('button', { name: 'Try again' }).click();
  const next = await seedOf(page, id);
  expect(next).not.toBe(seed);
  expect(await shownOrder(page)).toEqual(expectedOrder(id, next));
  await expect(kc.locator('input:checked')).toHaveCount(0);
});

for (const path of modulePages) {
  test(`${path}: ticking the first option(s) as shown does not pass`, async ({ page }) => {
    const id = idOf(path);
    const seed = 1;
    await page.addInitScript(([key, value]) => sessionStorage.getItem(key) ?? sessionStorage.setItem(key, value), [attemptKey(id), JSON.stringify({ seed, ticks: {} })]);
    await page.goto(path);
    expect(await seedOf(page, id)).toBe(seed);
    const quiz = authoredQuiz(id);
    const order = expectedOrder(id, seed);
    expect(await shownOrder(page)).toEqual(order);
    const questions = page.locator('knowledge-check .kc-question');
    let expected = 0;
    for (const [qi, q] of quiz.entries()) {
      const k = q.options.filter((o) => o.correct).length;
      for (let i = 0; i < k; i++) await questions.nth(qi).locator('input').nth(i).check();
      if (order[qi].slice(0, k).every((i) => q.options[i].correct)) expected++;
    }
    const need = Math.ceil(quiz.length * PASS_RATIO - 1e-9);
    expect(expected, `this seed's first options answer ${expected} of ${quiz.length} right; ${need} pass`).toBeLessThan(need);
    await page.locator('knowledge-check').getByRole('button', { name: 'Check answers' }).click();
    const score = page.locator('knowledge-check [data-score]');
    await expect(score).toContainText(`You got ${expected} of ${quiz.length} right`);
    await expect(score).toContainText('Not passed yet');
  });
}
