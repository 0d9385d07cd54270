/** `on:` filters as GitHub documents them (the filter pattern cheat sheet), and which events start a workflow. */
import { describe, expect, it } from 'vitest';
import { decideTrigger, included, patternRegex } from './filters.ts';

describe('filter patterns (the cheat sheet)', () => {
  const cases: [string, string[], string[]][] = [
    ['feature/*', ['feature/my-branch', 'feature/your-branch'], ['feature/your/branch', 'feature']],
    ['feature/**', ['feature/beta-a/my-branch', 'feature/your-branch', 'feature/mona/the/octocat'], ['features/x']],
    ['main', ['main'], ['main2', 'releases/main']],
    ['v2*', ['v2', 'v2.0', 'v2.9'], ['v1.0']],
    ['v[12].[0-9]+.[0-9]+', ['v1.10.1', 'v2.0.0'], ['v3.0.0', 'v1.x.1']],
    ['*', ['README.md', 'server.rb'], ['docs/file.txt']],
    ['*.jsx?', ['page.js', 'page.jsx'], ['page.jsxx']],
    ['**', ['all/the/files.md'], []],
    ['*.js', ['app.js', 'index.js'], ['src/app.js']],
    ['**.js', ['index.js', 'js/index.js', 'src/js/app.js'], ['index.ts']],
    ['docs/*', ['docs/README.md', 'docs/file.txt'], ['docs/a/b.md']],
    ['docs/**', ['docs/README.md', 'docs/mona/octocat.txt'], ['mydocs/x']],
    ['**/docs/**', ['docs/hello.md', 'dir/docs/my-file.txt', 'space/docs/plan/space.doc'], ['docsx/a']],
    ['**/README.md', ['README.md', 'js/README.md'], ['README.txt']],
    ['**/*src/**', ['a/src/app.js', 'my-src/code/js/app.js'], ['src.txt']],
    ['**/*-post.md', ['my-post.md', 'path/their-post.md'], ['post.md']],
  ];
  for (const [pattern, yes, no] of cases) {
    it(pattern, () => {
      for (const name of yes) expect(patternRegex(pattern).test(name), `${pattern} should match ${name}`).toBe(true);
      for (const name of no) expect(patternRegex(pattern).test(name), `${pattern} should not match ${name}`).toBe(false);
    });
  }

  it('a later negative pattern excludes, and a later positive one includes again', () => {
    const patterns = ['sub-project/**', '!sub-project/docs/**', 'sub-project/docs/keep.md'];
    expect(included('sub-project/a.js', patterns)).toBe(true);
    expect(included('sub-project/docs/x.md', patterns)).toBe(false);
    expect(included('sub-project/docs/keep.md', patterns)).toBe(true);
  });
});

describe('which events start a workflow', () => {
  const events = { push: { branches: ['main'] }, pull_request: { paths: ['lib/**', 'data/**'] } };

  it('push: the branch filter', () => {
    expect(decideTrigger(events, { name: 'push', branch: 'main', changedFiles: ['README.md'] }).runs).toBe(true);
    expect(decideTrigger(events, { name: 'push', branch: 'dev', changedFiles: ['lib/a.mjs'] })).toEqual({ runs: false, reason: "push to dev: branch 'dev' does not match branches 'main'" });
  });

  it('pull_request: a paths filter needs one changed file to match', () => {
    expect(decideTrigger(events, { name: 'pull_request', branch: 'main', action: 'opened', changedFiles: ['README.md', 'data/iris.csv'] })).toEqual({ runs: true, reason: "pull request into main: data/iris.csv matches paths 'lib/**', 'data/**'" });
    expect(decideTrigger(events, { name: 'pull_request', branch: 'main', action: 'opened', changedFiles: ['README.md'] }).runs).toBe(false);
  });

  it('pull_request without types: opened, synchronize and reopened, not closed', () => {
    const pr = { pull_request: {} };
    expect(decideTrigger(pr, { name: 'pull_request', branch: 'main', action: 'synchronize', changedFiles: [] }).runs).toBe(true);
    expect(decideTrigger(pr, { name: 'pull_request', branch: 'main', action: 'closed', changedFiles: [] }).runs).toBe(false);
  });

  it('paths-ignore: no run when every changed file is ignored', () => {
    const e = { push: { 'paths-ignore': ['docs/**'] } };
    expect(decideTrigger(e, { name: 'push', branch: 'main', changedFiles: ['docs/a.md'] }).runs).toBe(false);
    expect(decideTrigger(e, { name: 'push', branch: 'main', changedFiles: ['docs/a.md', 'lib/x.mjs'] }).runs).toBe(true);
  });

  it('an event the workflow does not list', () => {
    expect(decideTrigger(events, { name: 'workflow_dispatch', branch: 'main', changedFiles: [] })).toEqual({ runs: false, reason: 'the workflow has no `on: workflow_dispatch` trigger' });
  });
});
