/**
 * The runner's semantics, on a fake runtime whose "node scripts" are functions (fast), and bad input of every kind
 * the lab promises to report clearly; one step that never ends runs in the real offline runtime.
 */
import { describe, expect, it } from 'vitest';
import { createNodeOfflineRuntime } from '../runtime/offline-node.ts';
import type { DirEntry, LabRuntime, RunHandle, RunOptions, RunResult } from '../runtime/types.ts';
import { emptyCache } from './cache.ts';
import type { RunRecord } from './record.ts';
import { runWorkflow, type RunnerOptions } from './runner.ts';
import { readWorkflow } from './workflow.ts';

type Script = (ctx: { args: string[]; env: Record<string, string>; files: Map<string, string>; print: (t: string) => void }) => number | Promise<number> | 'timeout';

/** A runtime whose files are a Map and whose programs are the functions in `scripts` (by entry path). */
class FakeRuntime implements LabRuntime {
  readonly kind = 'offline' as const;
  files = new Map<string, string>();
  static running = 0;
  static most = 0;
  private scripts: Record<string, Script>;
  constructor(scripts: Record<string, Script>) {
    this.scripts = scripts;
    for (const name of Object.keys(scripts)) this.files.set(name, '// a script of the fake runtime\n');
  }
  async mount(files: Record<string, string>) {
    for (const [p, t] of Object.entries(files)) this.files.set(p, t);
  }
  run(options: RunOptions): RunHandle {
    const script = this.scripts[options.entry];
    const done = (async (): Promise<RunResult> => {
      FakeRuntime.running += 1;
      FakeRuntime.most = Math.max(FakeRuntime.most, FakeRuntime.running);
      try {
        if (!script) {
          await options.onOutput(`Error: Cannot find module '/project/${options.entry}'\n`);
          return { code: 1, reason: 'exit', durationMs: 1 };
        }
        await new Promise((r) => setTimeout(r, 2));
        const code = await script({ args: options.args ?? [], env: options.env ?? {}, files: this.files, print: (t) => void options.onOutput(t) });
        return code === 'timeout' ? { code: null, reason: 'timeout', durationMs: 1 } : { code, reason: 'exit', durationMs: 1 };
      } finally {
        FakeRuntime.running -= 1;
      }
    })();
    return { done, kill: () => {} };
  }
  async readFile(p: string) {
    return this.files.get(p) ?? null;
  }
  async writeFile(p: string, t: string) {
    this.files.set(p, t);
  }
  async readdir(dir: string): Promise<DirEntry[]> {
    const prefix = dir ? `${dir}/` : '';
    const names = new Map<string, boolean>();
    for (const p of this.files.keys()) if (p.startsWith(prefix)) names.set(p.slice(prefix.length).split('/')[0]!, p.slice(prefix.length).includes('/'));
    return [...names].sort().map(([name, directory]) => ({ name, directory }));
  }
  async remove(p: string) {
    for (const k of [...this.files.keys()]) if (k === p || k.startsWith(`${p}/`) || !p) this.files.delete(k);
  }
  async dispose() {}
}

const SCRIPTS: Record<string, Script> = {
  'ok.mjs': ({ print }) => (print('ok\n'), 0),
  'fail.mjs': ({ print }) => (print('::error file=lib/a.mjs,line=7::broken here\n'), 1),
  'hang.mjs': () => 'timeout',
  'out.mjs': ({ env, files, args }) => {
    files.set(env.GITHUB_OUTPUT!, `${files.get(env.GITHUB_OUTPUT!) ?? ''}value=${args[0] ?? 'v'}\nblock<<END\nline 1\nline 2\nEND\n`);
    return 0;
  },
  'env.mjs': ({ env, files }) => (files.set(env.GITHUB_ENV!, 'COLOR=blue\nNODE_OPTIONS=--inspect\n'), 0),
  'show.mjs': ({ env, print }) => (print(`COLOR=${env.COLOR ?? ''} FROM=${env.FROM ?? ''} TOKEN=${env.TOKEN ?? ''}\n`), 0),
  'summary.mjs': ({ env, files }) => (files.set(env.GITHUB_STEP_SUMMARY!, '### Hello\n'), 0),
  'matrix.mjs': ({ args }) => (args[0] === '2' ? 1 : 0),
};

async function run(yaml: string, extra: Partial<RunnerOptions> = {}): Promise<RunRecord> {
  const workflow = await readWorkflow('.github/workflows/ci.yml', yaml);
  return runWorkflow({
    id: 1,
    workflow,
    event: { name: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40), payload: {}, actor: 'student', reason: 'push' },
    source: { 'lib/a.mjs': 'x\n' },
    repository: 'student/repo',
    defaultBranch: 'main',
    secrets: { TOKEN: 'tok-123' },
    cache: emptyCache(),
    openWorkspace: async () => new FakeRuntime(SCRIPTS),
    ...extra,
  });
}

const job = (r: RunRecord, id: string) => r.jobs.find((j) => j.id === id)!;
const step = (r: RunRecord, jobId: string, i: number) => job(r, jobId).steps[i]!;
const text = (r: RunRecord, jobId: string, i: number) => step(r, jobId, i).log.map((l) => l.text).join('\n');

describe('jobs, needs and status functions', () => {
  it('a failure skips what needs it; always() and failure() still run; success() looks at every ancestor', async () => {
    const r = await run(`on: push
jobs:
  a: { runs-on: x, steps: [ { run: node fail.mjs } ] }
  b: { runs-on: x, needs: a, steps: [ { run: node ok.mjs } ] }
  c: { runs-on: x, needs: b, if: always(), steps: [ { run: node ok.mjs } ] }
  d: { runs-on: x, needs: c, steps: [ { run: node ok.mjs } ] }
  e: { runs-on: x, needs: a, if: failure(), steps: [ { run: node ok.mjs } ] }
  f: { runs-on: x, needs: [c], if: "always() && needs.c.result == 'success'", steps: [ { run: node ok.mjs } ] }
`);
    expect(Object.fromEntries(r.jobs.map((j) => [j.id, j.conclusion]))).toEqual({ a: 'failure', b: 'skipped', c: 'success', d: 'skipped', e: 'success', f: 'success' });
    expect(r.conclusion).toBe('failure');
    expect(r.annotations.some((a) => a.file === 'lib/a.mjs' && a.line === 7)).toBe(true);
  });

  it('steps: if, continue-on-error, outcome and conclusion, failure() and always()', async () => {
    const r = await run(`on: push
jobs:
  a:
    runs-on: x
    steps:
      - id: f
        run: node fail.mjs
        continue-on-error: true
      - run: node ok.mjs
      - if: steps.f.outcome == 'failure' && steps.f.conclusion == 'success'
        run: node ok.mjs
      - run: node fail.mjs
      - run: node ok.mjs
      - if: failure()
        run: node ok.mjs
      - if: always()
        run: node ok.mjs
`);
    const a = job(r, 'a');
    expect(a.steps.map((s) => `${s.outcome}/${s.conclusion}`)).toEqual(['failure/success', 'success/success', 'success/success', 'failure/failure', 'skipped/skipped', 'success/success', 'success/success']);
    expect(a.conclusion).toBe('failure');
  });

  it('a job with continue-on-error does not fail the run, and its dependents run', async () => {
    const r = await run(`on: push
jobs:
  a: { runs-on: x, continue-on-error: true, steps: [ { run: node fail.mjs } ] }
  b: { runs-on: x, needs: a, steps: [ { run: node ok.mjs } ] }
`);
    expect(r.jobs.map((j) => j.conclusion)).toEqual(['failure', 'success']);
    expect(r.conclusion).toBe('success');
  });
});

describe('matrix strategy', () => {
  const yaml = (failFast: boolean, maxParallel = '') => `on: push
jobs:
  m:
    runs-on: x
    strategy:
      fail-fast: ${failFast}
      ${maxParallel}
      matrix:
        n: [1, 2, 3]
    steps: [ { run: "node matrix.mjs \${{ matrix.n }}" } ]
`;
  it('fail-fast (the default) cancels the siblings that have not finished', async () => {
    const r = await run(yaml(true));
    expect(r.jobs.map((j) => `${j.id}:${j.conclusion}`)).toEqual(['m (1):success', 'm (2):failure', 'm (3):cancelled']);
  });

  it('fail-fast: false lets every sibling finish', async () => {
    const r = await run(yaml(false));
    expect(r.jobs.map((j) => j.conclusion)).toEqual(['success', 'failure', 'success']);
    expect(r.jobs[0]!.strategy).toEqual({ failFast: false, maxParallel: null });
  });

  it('max-parallel caps how many siblings run at once, even with more runners', async () => {
    FakeRuntime.most = 0;
    await run(yaml(false, 'max-parallel: 1'), { runners: 3 });
    expect(FakeRuntime.most).toBe(1);
    FakeRuntime.most = 0;
    await run(yaml(false), { runners: 3 });
    expect(FakeRuntime.most).toBe(3);
  });

  it('a matrix over 256 jobs fails the job with the reason', async () => {
    const r = await run(`on: push
jobs:
  big: { runs-on: x, strategy: { matrix: { a: [${Array.from({ length: 20 }, (_, i) => i)}], b: [${Array.from({ length: 13 }, (_, i) => i)}] } }, steps: [ { run: node ok.mjs } ] }
`);
    expect(r.jobs[0]!.conclusion).toBe('failure');
    expect(r.jobs[0]!.error).toMatch(/at most 256 jobs/);
  });
});

describe('outputs, environment files, summaries, masking', () => {
  it('step and job outputs reach the jobs that need them; GITHUB_ENV reaches later steps; secrets are masked', async () => {
    const r = await run(`on: push
jobs:
  a:
    runs-on: x
    outputs:
      value: \${{ steps.o.outputs.value }}
      block: \${{ steps.o.outputs.block }}
      leak: \${{ secrets.TOKEN }}
    steps:
      - id: o
        run: node out.mjs 42
      - run: node env.mjs
      - run: node show.mjs
        env:
          TOKEN: \${{ secrets.TOKEN }}
      - run: node summary.mjs
  b:
    runs-on: x
    needs: a
    steps:
      - run: node show.mjs
        env:
          FROM: \${{ needs.a.outputs.value }}/\${{ needs.a.outputs.block }}
`);
    expect(job(r, 'a').outputs).toEqual({ value: '42', block: 'line 1\nline 2' });
    expect(r.annotations.some((a) => a.message === "Skip output 'leak' since it may contain secret.")).toBe(true);
    expect(text(r, 'a', 2)).toBe('COLOR=blue FROM= TOKEN=***');
    expect(r.annotations.some((a) => /NODE_OPTIONS/.test(a.message))).toBe(true);
    expect(job(r, 'a').summary).toBe('### Hello\n');
    expect(text(r, 'b', 0)).toBe('COLOR= FROM=42/line 1\nline 2 TOKEN=');
  });
});

describe('actions and caches', () => {
  it('checkout, cache (miss then save; hit next time), artifacts between jobs', async () => {
    const yaml = `on: push
jobs:
  a:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - id: c
        uses: actions/cache@v4
        with: { path: lib, key: "k-\${{ hashFiles('lib/**') }}" }
      - uses: actions/upload-artifact@v4
        with: { name: code, path: lib }
  b:
    runs-on: x
    needs: a
    steps:
      - uses: actions/download-artifact@v4
        with: { name: code, path: got }
      - run: cat got/a.mjs
`;
    const cache = emptyCache();
    const first = await run(yaml, { cache });
    expect(first.caches.map((c) => c.hit)).toEqual(['miss', 'saved']);
    expect(first.caches[0]!.hashed).toEqual(['lib/**']);
    expect(text(first, 'b', 1)).toBe('x');
    expect(first.artifacts.map((a) => [a.name, Object.keys(a.files)])).toEqual([['code', ['a.mjs']]]);
    const second = await run(yaml, { cache });
    expect(second.caches.map((c) => c.hit)).toEqual(['exact']);
    expect(step(second, 'a', 3).name).toBe('Post Cache');
    expect(text(second, 'a', 3)).toMatch(/Cache hit occurred on the primary key/);
  });

  it('an action the runner does not have fails and says why', async () => {
    const r = await run(`on: push
jobs:
  a:
    runs-on: x
    steps:
      - uses: codecov/codecov-action@v4
      - if: always()
        uses: docker://alpine:3
      - if: always()
        uses: actions/upload-artifact@v3
        with: { path: x }
`);
    expect(text(r, 'a', 0)).toMatch(/codecov\/codecov-action@v4 is not available offline: the lab's runner cannot download actions from GitHub/);
    expect(text(r, 'a', 1)).toMatch(/container action: it needs Docker/);
    expect(text(r, 'a', 2)).toMatch(/deprecated version of `actions\/upload-artifact: v3`/);
  });
});

describe('bad input is a clear failure', () => {
  it('what needs Docker or another shell fails with the reason', async () => {
    const r = await run(`on: push
jobs:
  a: { runs-on: x, container: node:24, steps: [ { run: node ok.mjs } ] }
  b:
    runs-on: x
    steps:
      - run: print(1)
        shell: python
      - if: always()
        run: node ok.mjs
        working-directory: lib
`);
    expect(job(r, 'a').error).toMatch(/uses `container`, which needs Docker/);
    expect(text(r, 'b', 0)).toMatch(/shell: python is not available/);
    expect(text(r, 'b', 1)).toMatch(/working-directory is not supported/);
  });

  it('YAML that does not parse: no job runs, and the problem has its line', async () => {
    const r = await run('on: push\njobs:\n  a:\n    runs-on: x\n   steps: [\n');
    expect(r.conclusion).toBe('failure');
    expect(r.jobs).toEqual([]);
    expect(r.problems[0]).toMatchObject({ line: 5, message: expect.stringMatching(/All mapping items must start at the same column/) });
  });

  it('a job that needs a missing job, and a cycle', async () => {
    const missing = await run('on: push\njobs:\n  a: { runs-on: x, steps: [ { run: node ok.mjs } ] }\n  b: { runs-on: x, needs: nope, steps: [ { run: node ok.mjs } ] }\n');
    expect(missing.problems.map((p) => `${p.line}: ${p.message}`)).toEqual(["4: Job 'b' depends on unknown job 'nope'."]);
    const cycle = await run('on: push\njobs:\n  a: { runs-on: x, steps: [ { run: node ok.mjs } ] }\n  b: { runs-on: x, needs: c, steps: [ { run: node ok.mjs } ] }\n  c: { runs-on: x, needs: b, steps: [ { run: node ok.mjs } ] }\n');
    expect(cycle.problems.map((p) => p.message)).toEqual(["Job 'b' depends on job 'c' which creates a cycle in the dependency graph.", "Job 'c' depends on job 'b' which creates a cycle in the dependency graph."]);
  });

  it('an expression with a typo is marked at its line and column', async () => {
    const r = await run('on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ github.sha) }}\n');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 6, column: 33, message: expect.stringMatching(/^Unexpected symbol: '\)'/) });
  });

  it('an expression that fails while running fails its job with the reason', async () => {
    const r = await run(`on: push\njobs:\n  a: { runs-on: x, steps: [ { run: "echo \${{ fromJSON('not json') }}" } ] }\n`);
    expect(r.jobs[0]!.conclusion).toBe('failure');
    expect(r.annotations[0]!.message).toMatch(/The step could not be evaluated: Error parsing JSON when evaluating fromJson/);
  });

  it('a step that hits its time limit fails with a message, and the next job still runs', async () => {
    const r = await run('on: push\njobs:\n  a: { runs-on: x, steps: [ { run: node hang.mjs } ] }\n  b: { runs-on: x, needs: a, if: always(), steps: [ { run: node ok.mjs } ] }\n', { stepLimitMs: 5000 });
    expect(job(r, 'a').conclusion).toBe('failure');
    expect(text(r, 'a', 0)).toMatch(/still running after 5 s, its time limit, and was stopped\. Look for a loop that never ends/);
    expect(job(r, 'b').conclusion).toBe('success');
  });

  it('a loop that never ends, in the real offline runtime, is stopped at the step limit', async () => {
    const workflow = await readWorkflow('ci.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: node loop.mjs\n');
    const r = await runWorkflow({
      id: 1,
      workflow,
      event: { name: 'push', ref: 'refs/heads/main', sha: 'b'.repeat(40), payload: {}, actor: 'student', reason: 'push' },
      source: { 'loop.mjs': 'console.log("spinning");\nwhile (true) {}\n' },
      repository: 'student/repo',
      defaultBranch: 'main',
      secrets: {},
      cache: emptyCache(),
      stepLimitMs: 1500,
      openWorkspace: async () => createNodeOfflineRuntime(),
    });
    expect(r.conclusion).toBe('failure');
    expect(text(r, 'a', 1)).toMatch(/spinning[\s\S]*its time limit, and was stopped/);
  }, 30_000);
});
