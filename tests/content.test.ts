/**
 * Content checks that do not need Astro: every module in content/course.yaml has a reading with outcomes and a
 * knowledge check, and a lecture deck; every question has the right number of correct options and an explanation
 * for every option. The same zod schemas as the site build are used, so a failure here is a failure there.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { courseSchema, deckSchema, moduleSchema } from '../src/schemas';

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

describe('content/course.yaml', () => {
  it('names at least one module, with unique ids', () => {
    expect(moduleIds.length).toBeGreaterThan(0);
    expect(new Set(moduleIds).size).toBe(moduleIds.length);
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
});
