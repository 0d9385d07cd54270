import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTHOR, blobId, commitId, Repo, START_TIME, treeId } from './git.ts';

const FILES = { 'README.md': '# iris\n', 'lib/data.mjs': 'export const a = 1;\n', 'lib/z/deep.mjs': 'x\n', 'lib-a.mjs': 'y\n', '.github/workflows/ci.yml': 'on: push\n' };

/** Real Git, with the author, committer and dates fixed. */
function realGit(files: Record<string, string>, message: string): { tree: string; commit: string; blob: string } {
  const dir = mkdtempSync(join(tmpdir(), 'git-oracle-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const env = { ...process.env, GIT_AUTHOR_NAME: AUTHOR.name, GIT_AUTHOR_EMAIL: AUTHOR.email, GIT_COMMITTER_NAME: AUTHOR.name, GIT_COMMITTER_EMAIL: AUTHOR.email, GIT_AUTHOR_DATE: `${START_TIME} +0000`, GIT_COMMITTER_DATE: `${START_TIME} +0000` };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return { tree: git('rev-parse', 'HEAD^{tree}'), commit: git('rev-parse', 'HEAD'), blob: git('hash-object', 'README.md') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the lab repository uses Git object ids', () => {
  it('blob, tree and commit ids equal real Git', () => {
    const real = realGit(FILES, 'Start the iris project');
    expect(blobId(FILES['README.md'])).toBe(real.blob);
    expect(treeId(FILES)).toBe(real.tree);
    expect(commitId(treeId(FILES), [], { ...AUTHOR, time: START_TIME }, 'Start the iris project')).toBe(real.commit);
    expect(new Repo(FILES).state.branches.main).toBe(real.commit);
  });

  it('commits, changed files, merge base, diff and squash merge', async () => {
    const repo = new Repo(FILES);
    const base = repo.state.branches.main!;
    const c1 = repo.commitFiles('fix', { ...FILES, 'lib/data.mjs': 'export const a = 2;\n' }, 'Change a', START_TIME + 60)!;
    expect(repo.changedFiles(base, c1.id)).toEqual(['lib/data.mjs']);
    expect(repo.commitFiles('fix', repo.files(c1.id), 'nothing', START_TIME + 61)).toBeNull();
    expect(repo.mergeBase(base, c1.id)).toBe(base);
    let text = '';
    await repo.command(['diff', '--unified=0', 'main...HEAD', '--', 'lib'], c1.id, (t) => void (text += t));
    expect(text).toBe('diff --git a/lib/data.mjs b/lib/data.mjs\n--- a/lib/data.mjs\n+++ b/lib/data.mjs\n@@ -1,1 +1,1 @@\n-export const a = 1;\n+export const a = 2;\n');
    const pull = repo.openPull('Change a', 'fix', 'main');
    const merged = repo.merge(pull.number, START_TIME + 120)!;
    expect(repo.files(merged.id)['lib/data.mjs']).toBe('export const a = 2;\n');
    expect(repo.state.branches.main).toBe(merged.id);
    expect(repo.state.pulls[0]!.state).toBe('merged');
  });
});
