import { describe, expect, it } from 'vitest';
import { checkProgress, type CourseFacts } from './course-check';
import { emptyProgress, type Progress, type QuizAttempt } from './format';

const course: CourseFacts = {
  quizzes: { intro: 3 },
  labs: { speed: { 'first-inference': { quantity: 'firstMs', unit: 'ms' } } },
};
const at = '2027-02-10T10:00:00.000Z';
const attempt = (total: number): QuizAttempt => ({
  at,
  answers: Array.from({ length: total }, () => [0]),
  correct: Array.from({ length: total }, () => true),
  score: total,
  total,
  passed: true,
});
const progress = (patch: Partial<Progress>): Progress => ({ ...emptyProgress(), ...patch });

describe('checkProgress', () => {
  it('accepts a file that fits the course', () => {
    const p = progress({
      quizzes: { intro: { attempts: [attempt(3)], best: { score: 3, total: 3 }, passedAt: at } },
      labs: { speed: { updatedAt: at, results: { firstMs: { value: 12, unit: 'ms', at } }, criteria: { 'first-inference': { met: true, at } } } },
    });
    expect(checkProgress(p, course)).toEqual([]);
  });

  it('names a knowledge check the course does not have, and one scored out of the wrong number of questions', () => {
    const p = progress({
      quizzes: {
        other: { attempts: [attempt(3)], best: { score: 3, total: 3 } },
        intro: { attempts: [attempt(5)], best: { score: 5, total: 5 } },
      },
    });
    expect(checkProgress(p, course)).toEqual([
      'The file has a knowledge check for "other", which this course does not have.',
      'The knowledge check of "intro" has 3 questions, but the file scores it out of 5.',
    ]);
  });

  it('names an unknown lab, an unknown criterion and a quantity in another unit', () => {
    const p = progress({
      labs: {
        elsewhere: { updatedAt: at, results: {}, criteria: {} },
        speed: { updatedAt: at, results: { firstMs: { value: 0.012, unit: 's', at } }, criteria: { faster: { met: true, at } } },
      },
    });
    expect(checkProgress(p, course)).toEqual([
      'The file has results for a lab "elsewhere", which this course does not have.',
      'The "speed" lab has no criterion "faster".',
      'The "speed" lab measures "firstMs" in ms, but the file has it in s.',
    ]);
  });
});
