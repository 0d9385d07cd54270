/** The lab layer's Node-only helpers (tests, scripts; never bundled for the page): a lab's files and exercises from disk. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { labSchema } from '../../schemas.ts';
import type { Criterion } from '../report/criteria.ts';
import type { ExerciseSpec } from './exercise.ts';
import { specFrom, type ExerciseMeta } from './exercise-files.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every file under a folder (dot files included), by its path inside it with '/' separators -> text, in path order. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function labIds(): string[] {
  return readdirSync(join(ROOT, 'labs'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'labs', d.name, 'index.mdx')))
    .map((d) => d.name)
    .sort();
}

/** A lab's exercises, in their order; `wrong` holds the deliberately wrong solutions the tests must reject. */
export function exercisesOf(lab: string): (ExerciseSpec & { order: number; wrong: Record<string, string> })[] {
  const dir = join(ROOT, 'labs', lab, 'exercises');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const folder = join(dir, d.name);
      const meta = JSON.parse(readFileSync(join(folder, 'exercise.json'), 'utf8')) as ExerciseMeta;
      const read = (file: string) => readFileSync(join(folder, file), 'utf8');
      const wrongDir = join(folder, 'wrong');
      const wrong = existsSync(wrongDir) ? Object.fromEntries(readdirSync(wrongDir).map((f) => [f, readFileSync(join(wrongDir, f), 'utf8')])) : {};
      return { ...specFrom(d.name, meta, { starter: read('starter.mjs'), tests: read('tests.mjs'), reference: readFileSync(join(ROOT, meta.reference), 'utf8') }), wrong };
    })
    .sort((a, b) => a.order - b.order);
}

/** A lab's frontmatter (labs/<lab>/index.mdx), validated with the site's own schema. */
export function labFrontmatter(lab: string) {
  const text = readFileSync(join(ROOT, 'labs', lab, 'index.mdx'), 'utf8');
  const match = /^---\n([\s\S]*?)\n---/.exec(text);
  if (!match) throw new Error(`labs/${lab}/index.mdx has no frontmatter`);
  return labSchema.parse(parse(match[1]!));
}

export const labCriteria = (lab: string): Criterion[] => labFrontmatter(lab).criteria;
