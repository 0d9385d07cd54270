/**
 * The authored answers of a module's knowledge check, read from its source file: the page keeps them obfuscated, so
 * tests look them up here and find an option on the page by its authored index (the input's value).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';

interface AuthoredQuestion {
  multiple?: boolean;
  options: { text: string; correct?: boolean; why: string }[];
}

export function authoredQuiz(moduleId: string): AuthoredQuestion[] {
  const text = readFileSync(`content/modules/${moduleId}.mdx`, 'utf8');
  return (parse(text.match(/^---\r?\n([\s\S]*?)\r?\n---/)![1]) as { quiz: AuthoredQuestion[] }).quiz;
}

/** Authored indices of the correct options of every question. */
export function correctAnswers(moduleId: string): number[][] {
  return authoredQuiz(moduleId).map((q) => q.options.flatMap((o, i) => (o.correct ? [i] : [])));
}

/** Ticks answers in every question of the page's knowledge check: the right ones, or a wrong one for `wrong` questions. */
export async function answerQuiz(page: Page, moduleId: string, wrong: number[] = []): Promise<number> {
  const answers = correctAnswers(moduleId);
  const questions = page.locator('knowledge-check .kc-question');
  for (const [i, correct] of answers.entries()) {
    const n = await questions.nth(i).locator('input').count();
    const pick = wrong.includes(i) ? [[...Array(n).keys()].find((k) => !correct.includes(k))!] : correct;
    for (const k of pick) await questions.nth(i).locator(`input[value="${k}"]`).check();
  }
  return answers.length;
}

/** The authored index of every option of every question, in the order the page shows them. */
export function shownOrder(page: Page): Promise<number[][]> {
  return page
    .locator('knowledge-check .kc-question')
    .evaluateAll((questions) => questions.map((q) => [...q.querySelectorAll('input')].map((i) => Number(i.value))));
}
