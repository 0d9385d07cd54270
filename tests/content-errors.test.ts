// A wrong frontmatter field must stop the build with a message that names the file. This runs `astro sync`
// (which validates every content collection, as the build does) on a copy of the project with one broken file.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const copied = ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'content', 'labs', 'public', 'scripts'];

function syncWith(file: string, edit: (text: string) => string) {
  const root = mkdtempSync(join(tmpdir(), 'content-errors-'));
  try {
    for (const path of copied) cpSync(path, join(root, path), { recursive: true, filter: (p) => !p.includes('public/data') });
    symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');
    writeFileSync(join(root, file), edit(readFileSync(join(root, file), 'utf8')));
    const run = spawnSync(join(process.cwd(), 'node_modules/.bin/astro'), ['sync'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    });
    return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('a bad frontmatter field fails the build and names the file', () => {
  it('a single-answer knowledge-check question with no correct option', () => {
    const { status, output } = syncWith('content/modules/edge.mdx', (text) => text.replace('correct: true', 'correct: false'));
    expect(status).not.toBe(0);
    expect(output).toContain('content/modules/edge.mdx');
    expect(output).toMatch(/exactly 1 correct option/);
  });

  it('a lecture deck without lecturers', () => {
    const { status, output } = syncWith('content/slides/edge.mdx', (text) => text.replace(/^lecturers:.*$/m, ''));
    expect(status).not.toBe(0);
    expect(output).toContain('content/slides/edge.mdx');
    expect(output).toMatch(/lecturers/);
  });
});
