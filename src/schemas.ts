/**
 * Frontmatter and data schemas for every content collection. They live apart from `content.config.ts`
 * so unit tests can validate content without Astro's virtual modules.
 */
import { z } from 'astro/zod';

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use an ISO date such as 2027-02-08'));

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case words joined by hyphens');

export const courseSchema = z
  .object({
    title: z.string().min(1),
    code: z.string().min(1),
    institution: z.string().min(1),
    term: z.string().min(1),
    start: isoDate,
    timezone: z.string().min(1),
    session: z.object({
      weekday: z.number().int().min(1).max(7),
      time: z.string().regex(/^\d{2}:\d{2}$/, 'use HH:MM'),
      minutes: z.number().int().positive(),
      location: z.string().min(1),
    }),
    lecturers: z.array(z.object({ name: z.string().min(1), role: z.string().min(1) })).min(1),
    breaks: z.array(z.object({ label: z.string().min(1), start: isoDate, weeks: z.number().int().positive() })).default([]),
    modules: z
      .array(z.object({ id, title: z.string().min(1), core: z.boolean(), summary: z.string().min(1) }))
      .min(1),
    weeks: z
      .array(
        z.object({
          topic: z.string().min(1),
          module: id.optional(),
          lab: id.optional(),
          note: z.string().optional(),
        }),
      )
      .min(1),
  })
  .superRefine((course, ctx) => {
    const known = new Set(course.modules.map((m) => m.id));
    if (known.size !== course.modules.length) ctx.addIssue({ code: 'custom', message: 'module ids must be unique', path: ['modules'] });
    course.weeks.forEach((week, i) => {
      if (week.module && !known.has(week.module)) {
        ctx.addIssue({ code: 'custom', message: `week ${i + 1} names unknown module "${week.module}"`, path: ['weeks', i, 'module'] });
      }
    });
  });
export type Course = z.infer<typeof courseSchema>;
export type CourseModule = Course['modules'][number];

const option = z.object({
  text: z.string().min(1),
  correct: z.boolean().default(false),
  why: z.string().min(1, 'every option needs an explanation'),
});

export const questionSchema = z
  .object({
    prompt: z.string().min(1),
    /** true: tick every correct option; false: exactly one option is correct. */
    multiple: z.boolean().default(false),
    options: z.array(option).min(2).max(6),
  })
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (!q.multiple && correct !== 1) {
      ctx.addIssue({ code: 'custom', message: `a single-answer question needs exactly 1 correct option, found ${correct}: "${q.prompt}"` });
    }
    if (q.multiple && (correct < 1 || correct === q.options.length)) {
      ctx.addIssue({ code: 'custom', message: `a multiple-answer question needs at least 1 correct and 1 wrong option: "${q.prompt}"` });
    }
  });
export type Question = z.infer<typeof questionSchema>;

export const outcomeSchema = z.object({
  id: z.string().regex(/^[A-Z]{1,4}\d+(\.\d+)?$/, 'use a code such as LO1 or M3.2'),
  text: z.string().min(1),
});

/** Minutes a student really spends on a piece of work; the study guide adds them up against the credits. */
const minutes = z.number().int().positive();

/** A module reading: `content/modules/<module id>.mdx`. */
export const moduleSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  /** Study time for the reading, its worked examples and its knowledge check. */
  minutes: minutes.optional(),
  outcomes: z.array(outcomeSchema).min(2),
  quiz: z.array(questionSchema).min(5).max(10),
});

/** Extra frontmatter a study-guide page may carry: the course project declares its minutes per student. */
export const guidePageSchema = z.object({ minutes: minutes.optional() });

/** A lecture deck: `content/slides/<deck>.mdx`. */
export const deckSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  module: id,
  lecturers: z.array(z.string().min(1)).min(1),
  term: z.string().min(1),
  date: isoDate.optional(),
  minutes: z.number().int().positive().optional(),
});

export const comparisons = ['<=', '<', '>=', '>', '=='] as const;
export const criterionSchema = z.object({
  id,
  label: z.string().min(1),
  /** The name of a measured quantity that the lab's workspace reports. */
  quantity: z.string().min(1),
  comparison: z.enum(comparisons),
  threshold: z.number(),
  unit: z.string().optional(),
  /**
   * Which end of the quantity's 95% interval is compared: `upper` for "at most" claims that must hold even at the
   * interval's pessimistic end, `lower` for "at least" claims. Absent: the estimate itself.
   */
  bound: z.enum(['upper', 'lower']).optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

/** A lab: `labs/<lab>/index.mdx`. */
export const labSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  module: id,
  minutes: z.number().int().positive(),
  criteria: z.array(criterionSchema).min(1),
});
