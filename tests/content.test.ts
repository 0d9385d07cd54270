/**
 * Content checks that do not need Astro: every module in content/course.yaml has a reading with outcomes and a
 * knowledge check, and a lecture deck with speaker notes; every question has the right number of correct options and an
 * explanation for every option; the authoring of a knowledge check gives nothing away by position; the study load the
 * course declares matches its credits. The same zod schemas as the site build are used, so a failure here is a failure
 * there.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PASS_RATIO } from '../src/labkit/progress/format';
import { withinTolerance, workloadPlan, type WorkItem } from '../src/lib/workload';
import { courseSchema, deckSchema, labSchema, moduleSchema, type Question } from '../src/schemas';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

function frontmatter(path: string): unknown {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const match = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?/);
  if (!match) throw new Error(`${path}: no YAML frontmatter between --- lines at the top`);
  return parse(match[1]!);
}

function issues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('\n');
}

const course = courseSchema.parse(parse(readFileSync(root('content/course.yaml'), 'utf8')));
const moduleIds = course.modules.map((m) => m.id);
const labIds = readdirSync(root('labs'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(root(`labs/${d.name}/index.mdx`)))
  .map((d) => d.name);

/** The body of an MDX file without its frontmatter and without fenced code blocks. */
function prose(path: string): string {
  const text = readFileSync(path, 'utf8').replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');
  return text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
}

/** Indices of the correct options of a question. */
const correctIndices = (q: Question) => q.options.flatMap((o, i) => (o.correct ? [i] : []));
const isPrefix = (indices: number[]) => indices.every((index, i) => index === i);

describe('content/course.yaml', () => {
  it('names at least one module, with unique ids', () => {
    expect(moduleIds.length).toBeGreaterThan(0);
    expect(new Set(moduleIds).size).toBe(moduleIds.length);
  });

  it('names in its weeks only labs that exist in labs/', () => {
    const unknown = course.weeks.flatMap((week, i) => (week.lab && !labIds.includes(week.lab) ? [`week ${i + 1}: ${week.lab}`] : []));
    expect(unknown, 'planned labs belong in a week\'s note until labs/<id>/index.mdx exists').toEqual([]);
  });

  it('has a reading file for no module it does not list', () => {
    const files = readdirSync(root('content/modules')).filter((f) => /\.mdx?$/.test(f));
    const strays = files.map((f) => f.replace(/\.mdx?$/, '')).filter((id) => !moduleIds.includes(id));
    expect(strays, 'readings whose file name is not a module id in content/course.yaml').toEqual([]);
  });
});

describe.each(moduleIds)('module %s', (id) => {
  const readingPath = root(`content/modules/${id}.mdx`);
  const deckPath = root(`content/slides/${id}.mdx`);

  it('has a reading whose frontmatter matches the module schema', () => {
    expect(existsSync(readingPath), `content/modules/${id}.mdx is missing`).toBe(true);
    const result = moduleSchema.safeParse(frontmatter(readingPath));
    expect(result.success, result.success ? '' : `content/modules/${id}.mdx:\n${issues(result.error)}`).toBe(true);
  });

  it('has a knowledge check of 5–10 questions with the right number of correct options and a why on every option', () => {
    expect(existsSync(readingPath), `content/modules/${id}.mdx is missing`).toBe(true);
    const data = frontmatter(readingPath) as { quiz?: unknown };
    expect(Array.isArray(data.quiz), `content/modules/${id}.mdx has no quiz list`).toBe(true);
    const quiz = data.quiz as Array<{ prompt?: unknown; multiple?: unknown; options?: unknown }>;
    expect(quiz.length).toBeGreaterThanOrEqual(5);
    expect(quiz.length).toBeLessThanOrEqual(10);
    const problems: string[] = [];
    quiz.forEach((q, qi) => {
      const where = `question ${qi + 1}`;
      if (typeof q.prompt !== 'string' || !q.prompt.trim()) problems.push(`${where}: no prompt`);
      if (q.multiple !== undefined && typeof q.multiple !== 'boolean') problems.push(`${where}: multiple must be true or false`);
      const options = Array.isArray(q.options) ? (q.options as Array<{ text?: unknown; correct?: unknown; why?: unknown }>) : [];
      if (options.length < 2) problems.push(`${where}: fewer than 2 options`);
      options.forEach((o, oi) => {
        if (typeof o.text !== 'string' || !o.text.trim()) problems.push(`${where}, option ${oi + 1}: text must be a non-empty string (quote numbers in YAML)`);
        if (typeof o.why !== 'string' || !o.why.trim()) problems.push(`${where}, option ${oi + 1}: no why`);
        if (o.correct !== undefined && typeof o.correct !== 'boolean') problems.push(`${where}, option ${oi + 1}: correct must be true or false`);
      });
      const correct = options.filter((o) => o.correct === true).length;
      if (q.multiple === true) {
        if (correct < 1 || correct === options.length) problems.push(`${where}: a multiple-answer question needs at least one correct and one wrong option (has ${correct} of ${options.length})`);
      } else if (correct !== 1) {
        problems.push(`${where}: a single-answer question needs exactly one correct option (has ${correct})`);
      }
      const texts = options.map((o) => String(o.text).trim().toLowerCase());
      if (new Set(texts).size !== texts.length) problems.push(`${where}: two options have the same text`);
    });
    expect(problems, `content/modules/${id}.mdx`).toEqual([]);
  });

  it('has a lecture deck', () => {
    expect(existsSync(deckPath), `content/slides/${id}.mdx is missing`).toBe(true);
    const result = deckSchema.safeParse(frontmatter(deckPath));
    expect(result.success, result.success ? '' : `content/slides/${id}.mdx:\n${issues(result.error)}`).toBe(true);
    if (result.success) expect(result.data.module).toBe(id);
  });

  it('has a reading of at least 1,500 words of prose and a deck with speaker notes on every slide', () => {
    const words = prose(readingPath).split(/\s+/).filter(Boolean).length;
    expect(words, `content/modules/${id}.mdx has ${words} words outside code blocks`).toBeGreaterThanOrEqual(1500);
    const slides = prose(deckPath).split(/^(?=## )/m).filter((slide) => slide.startsWith('## '));
    const withoutNotes = slides.filter((slide) => !/^:::notes\s*$/m.test(slide)).map((slide) => slide.split('\n')[0]);
    expect(slides.length, `content/slides/${id}.mdx`).toBeGreaterThanOrEqual(15);
    expect(withoutNotes, `slides without speaker notes in content/slides/${id}.mdx`).toEqual([]);
  });

  it('numbers its outcomes after its place in content/course.yaml', () => {
    const number = moduleIds.indexOf(id) + 1;
    const outcomes = moduleSchema.parse(frontmatter(readingPath)).outcomes.map((o) => o.id);
    expect(outcomes.filter((code) => !code.startsWith(`M${number}.`)), `content/modules/${id}.mdx`).toEqual([]);
  });

  describe('knowledge check authoring', () => {
    const quiz = () => moduleSchema.parse(frontmatter(readingPath)).quiz;

    it('has 8 to 10 questions', () => {
      expect(quiz().length).toBeGreaterThanOrEqual(8);
      expect(quiz().length).toBeLessThanOrEqual(10);
    });

    it('spreads the right answer of single-answer questions: no option position holds more than half of them', () => {
      const positions = quiz().filter((q) => !q.multiple).map((q) => correctIndices(q)[0]!);
      const counts = new Map<number, number>();
      for (const p of positions) counts.set(p, (counts.get(p) ?? 0) + 1);
      const crowded = [...counts].filter(([, n]) => n > positions.length / 2).map(([p, n]) => `option ${p + 1}: ${n} of ${positions.length}`);
      expect(crowded, `content/modules/${id}.mdx`).toEqual([]);
    });

    it('does not make the right set of a multiple-answer question "the first k options" in more than half of them', () => {
      const multi = quiz().filter((q) => q.multiple);
      const prefixes = multi.filter((q) => isPrefix(correctIndices(q)));
      expect(prefixes.length, `content/modules/${id}.mdx: ${prefixes.map((q) => q.prompt).join(' | ')}`).toBeLessThanOrEqual(Math.floor(multi.length / 2));
    });

    it('cannot be passed by always ticking the same option, or the first k options', () => {
      const questions = quiz();
      const widest = Math.max(...questions.map((q) => q.options.length));
      const passing: string[] = [];
      for (let position = 0; position < widest; position++) {
        for (let k = 1; k < widest; k++) {
          const right = questions.filter((q) => {
            const answer = q.multiple ? Array.from({ length: k }, (_, i) => i) : [position];
            const correct = correctIndices(q);
            return answer.length === correct.length && answer.every((a, i) => a === correct[i]);
          }).length;
          if (right / questions.length >= PASS_RATIO) passing.push(`option ${position + 1} and the first ${k}: ${right} of ${questions.length}`);
        }
      }
      expect(passing, `content/modules/${id}.mdx passes blind`).toEqual([]);
    });
  });
});

describe('the study load', () => {
  const methods = readFileSync(root('content/guide/methods.mdx'), 'utf8');
  const declared = methods.match(/<Workload\s+credits=\{(\d+(?:\.\d+)?)\}\s+hoursPerCredit=\{\[(\d+),\s*(\d+)\]\}\s*\/>/);

  it('is stated in the study guide: credits and hours per credit on the methods page, the credits in the overview', () => {
    expect(declared, 'content/guide/methods.mdx needs <Workload credits={…} hoursPerCredit={[…, …]} />').not.toBeNull();
    expect(readFileSync(root('content/guide/overview.mdx'), 'utf8')).toContain(`${declared![1]} ECTS`);
  });

  it('adds up, from the minutes of every reading, deck, lab and the project, to the credits within the tolerance', () => {
    const minutesOf = (path: string) => (frontmatter(path) as { minutes?: number }).minutes;
    const items: WorkItem[] = [
      ...moduleIds.map((id) => ({ kind: 'reading' as const, source: `content/modules/${id}.mdx`, minutes: minutesOf(root(`content/modules/${id}.mdx`)) })),
      ...readdirSync(root('content/slides'))
        .filter((f) => f.endsWith('.mdx'))
        .map((f) => ({ kind: 'lecture' as const, source: `content/slides/${f}`, minutes: deckSchema.parse(frontmatter(root(`content/slides/${f}`))).minutes })),
      ...labIds.map((id) => ({ kind: 'lab' as const, source: `labs/${id}/index.mdx`, minutes: labSchema.parse(frontmatter(root(`labs/${id}/index.mdx`))).minutes })),
      { kind: 'project', source: 'content/guide/project.mdx', minutes: minutesOf(root('content/guide/project.mdx')) },
    ];
    const plan = workloadPlan(items, Number(declared![1]), [Number(declared![2]), Number(declared![3])]);
    expect(plan.undeclared, 'parts that declare no minutes').toEqual([]);
    expect(
      withinTolerance(plan),
      `declared ${plan.totalHours.toFixed(1)} h against ${plan.target.minHours}–${plan.target.maxHours} h (middle ${plan.target.midHours} h): ` +
        `off by ${(plan.deviation * 100).toFixed(1)}%`,
    ).toBe(true);
  });
});
