/**
 * Checks an imported progress file against what this course has: a file made for another course, or edited by hand,
 * must not fill the progress page with checks that do not exist, scores out of the wrong number of questions, or
 * results for criteria no lab defines. The progress page passes `checkProgress` as the store's import `check`.
 */
import type { Progress } from './format';

export interface CourseFacts {
  /** Module id → the number of questions of its knowledge check. */
  quizzes: Record<string, number>;
  /** Lab id → its criteria (id → the quantity it reads, with the quantity's unit). */
  labs: Record<string, Record<string, { quantity: string; unit?: string }>>;
}

const quoted = (s: string) => `"${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`;

/** The problems, each a sentence; none means the file fits this course. */
export function checkProgress(incoming: Progress, course: CourseFacts): string[] {
  const problems: string[] = [];
  for (const [id, record] of Object.entries(incoming.quizzes)) {
    const size = course.quizzes[id];
    if (size === undefined) {
      problems.push(`The file has a knowledge check for ${quoted(id)}, which this course does not have.`);
      continue;
    }
    const totals = new Set([record.best.total, ...record.attempts.flatMap((a) => [a.total, a.answers.length, a.correct.length])]);
    const wrong = [...totals].filter((n) => n !== size);
    if (wrong.length) {
      problems.push(`The knowledge check of ${quoted(id)} has ${size} questions, but the file scores it out of ${wrong.join(' and ')}.`);
    }
  }
  for (const [id, record] of Object.entries(incoming.labs)) {
    const criteria = course.labs[id];
    if (!criteria) {
      problems.push(`The file has results for a lab ${quoted(id)}, which this course does not have.`);
      continue;
    }
    const unknown = Object.keys(record.criteria).filter((c) => !(c in criteria));
    if (unknown.length) problems.push(`The ${quoted(id)} lab has no criterion ${unknown.map(quoted).join(', ')}.`);
    const units = new Map(Object.values(criteria).map((c) => [c.quantity, c.unit]));
    for (const [quantity, measured] of Object.entries(record.results)) {
      const unit = units.get(quantity);
      if (unit !== undefined && measured.unit !== undefined && measured.unit !== unit) {
        problems.push(`The ${quoted(id)} lab measures ${quoted(quantity)} in ${unit}, but the file has it in ${measured.unit}.`);
      }
    }
  }
  return problems;
}
