/**
 * A knowledge check must not be passable by position. For every module this ticks the first option of every question
 * (the first k options, where k is the number of correct ones, in a multiple-answer question) in the order a student
 * is shown, and checks that this strategy is no better than guessing: it fails in the page's built order, and over
 * many attempts its pass rate and the share of questions it gets right stay at the chance level of blind guessing.
 * The orders come from the same functions the page uses (src/lib/quiz-order.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PASS_RATIO } from '../src/labkit/progress/format';
import { attemptOrder, pageOrder } from '../src/lib/quiz-order';
import { courseSchema, moduleSchema, type Question } from '../src/schemas';

const course = courseSchema.parse(parse(readFileSync('content/course.yaml', 'utf8')));

function quizOf(id: string): Question[] {
  const text = readFileSync(`content/modules/${id}.mdx`, 'utf8');
  return moduleSchema.parse(parse(text.match(/^---\r?\n([\s\S]*?)\r?\n---/)![1])).quiz;
}

/** Whether ticking the first k shown options (k = number of correct ones) answers the question right. */
function firstOptionsRight(q: Question, order: number[]): boolean {
  const k = q.options.filter((o) => o.correct).length;
  return order.slice(0, k).every((i) => q.options[i].correct);
}

const binomial = (n: number, k: number): number => (k === 0 ? 1 : (binomial(n, k - 1) * (n - k + 1)) / k);

/** Chance that blind guessing (one random option, or a random set of the right size) gets the question right. */
const chance = (q: Question) => 1 / binomial(q.options.length, q.options.filter((o) => o.correct).length);

/** Probability of at least `need` right answers when question i is right with probability p[i], independently. */
function atLeast(p: number[], need: number): number {
  let dist = [1];
  for (const pi of p) dist = [...dist, 0].map((_, k) => (dist[k] ?? 0) * (1 - pi) + (dist[k - 1] ?? 0) * pi);
  return dist.slice(need).reduce((a, b) => a + b, 0);
}

const ATTEMPTS = 4000;

describe.each(course.modules.map((m) => m.id))('the knowledge check of module %s', (id) => {
  const quiz = quizOf(id);
  const need = Math.ceil(quiz.length * PASS_RATIO - 1e-9);

  it('is failed by ticking the first option(s) in the order of the built page', () => {
    const right = quiz.filter((q, qi) => firstOptionsRight(q, pageOrder(id, qi, q.options.length))).length;
    expect(right, `${right} of ${quiz.length} right; ${need} pass`).toBeLessThan(need);
  });

  it('is passed by ticking the first option(s) no more often than by blind guessing', () => {
    const passChance = atLeast(quiz.map(chance), need);
    const rightChance = quiz.reduce((sum, q) => sum + chance(q), 0) / quiz.length;
    let passes = 0;
    let right = 0;
    for (let seed = 1; seed <= ATTEMPTS; seed++) {
      const score = quiz.filter((q, qi) => firstOptionsRight(q, attemptOrder(seed, qi, q.options.length))).length;
      right += score;
      if (score >= need) passes++;
    }
    // Both observed rates stay within 5 standard errors of the chance rates (plus one attempt, for rare events).
    const within = (observed: number, p: number, n: number) => Math.abs(observed / n - p) <= 5 * Math.sqrt((p * (1 - p)) / n) + 1 / n;
    expect(within(passes, passChance, ATTEMPTS), `passed ${passes} of ${ATTEMPTS} attempts; chance ${(passChance * 100).toFixed(3)}%`).toBe(true);
    expect(within(right, rightChance, ATTEMPTS * quiz.length), `${right} right answers; chance ${(rightChance * 100).toFixed(1)}%`).toBe(true);
    // Guessing rarely passes: a check that blind guessing passes often would not measure anything.
    expect(passChance).toBeLessThan(0.01);
  });

  it('shows each option first equally often over the attempts, whatever its authored position', () => {
    for (const [qi, q] of quiz.entries()) {
      const n = q.options.length;
      const first = new Array<number>(n).fill(0);
      for (let seed = 1; seed <= ATTEMPTS; seed++) first[attemptOrder(seed, qi, n)[0]]++;
      const expected = ATTEMPTS / n;
      const sd = Math.sqrt(ATTEMPTS * (1 / n) * (1 - 1 / n));
      for (const count of first) expect(Math.abs(count - expected), `question ${qi + 1}: shown first ${first.join('/')}`).toBeLessThanOrEqual(5 * sd);
    }
  });
});
