/**
 * The containers lab end to end in Node, as a student works through it: the starter fails the criteria, the
 * reference solution meets them all; the state parses, merges and is marked when restored; bad input gets markers
 * and never a crash.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkCriteria } from '../../src/labkit/lab/define.ts';
import { evaluateCriteria, type Criterion } from '../../src/labkit/report/criteria.ts';
import { emptyBuilder } from '../../src/labkit/docker/build.ts';
import { containers, editPairs, emptyState, type ContainersState } from './lab.ts';
import { COMPOSE, solutionFiles, type ProjectFile } from './project.ts';
import { replay, runBuild, type BuildOptions } from './records.ts';
import { checkCompose } from './stack.ts';
import { build, imageFs } from '../../src/labkit/docker/build.ts';
import { requestOf } from './records.ts';
import { buildBundle, readBundle, verifyBundle } from '../../src/labkit/lab/evidence.ts';
import { verifyContainers } from './verify.ts';

const criteria = (parse(readFileSync(new URL('./index.mdx', import.meta.url), 'utf8').split('---')[1]!) as { criteria: Criterion[] }).criteria;

/** A student session in Node: builds and Compose checks recorded as the page records them. */
class Session {
  state: ContainersState = emptyState();
  private builder = emptyBuilder();
  private n = 0;
  private clock = Date.UTC(2027, 1, 10, 9);

  edit(path: string, change: (text: string) => string): void {
    this.state.files = this.state.files.map((f) => (f.path === path ? { ...f, text: change(f.text ?? ''), mtime: (this.clock += 60_000) } : f));
  }

  use(files: ProjectFile[]): void {
    this.state.files = this.state.files.map((f) => files.find((s) => s.path === f.path) ?? f);
  }

  build(note?: string, options: BuildOptions = {}) {
    const id = `b${++this.n}`;
    const { record, blobs } = runBuild(this.builder, { id, at: new Date((this.clock += 60_000)).toISOString(), files: this.state.files, options, day: this.state.day, ...(note ? { note } : {}) }, this.state.blobs);
    this.state = { ...this.state, builds: [...this.state.builds, record], blobs: { ...this.state.blobs, ...blobs } };
    return record;
  }

  compose() {
    const last = this.state.builds.filter((b) => b.kind === 'build' && b.ok).at(-1)!;
    const image = build(requestOf(last, this.state.blobs), replay(this.state.builds.slice(0, this.state.builds.indexOf(last)), this.state.blobs)).image!;
    const outcome = checkCompose({ id: `c${++this.n}`, at: new Date((this.clock += 60_000)).toISOString(), compose: this.state.files.find((f) => f.path === COMPOSE)!.text!, env: this.state.files.find((f) => f.path === '.env')!.text!, image: { id: last.id } }, image);
    this.state = { ...this.state, compose: [...this.state.compose, outcome.record] };
    return outcome;
  }

  status() {
    return Object.fromEntries(evaluateCriteria(criteria, containers.measure(this.state)).map((e) => [e.criterion.id, e.status]));
  }
}

describe('containers lab', () => {
  it('declares criteria on quantities it measures, in the same units', () => {
    expect(checkCriteria(containers, criteria)).toEqual([]);
    expect(criteria.length).toBe(6);
  });

  it('the starter fails the criteria; the reference solution meets every one', () => {
    const s = new Session();
    const starter = s.build('starter');
    expect(starter.ok).toBe(true);
    expect(starter.smoke?.ok).toBe(true);
    s.edit('app.py', (t) => `${t}# edit 1\n`);
    s.build('source-only edit');
    s.edit('requirements.txt', (t) => `${t}# bump 1\n`);
    s.build('dependency edit');
    s.compose();
    const before = containers.measure(s.state);
    expect(before['image.sizeRatio']!.value).toBeCloseTo(1, 6);
    expect(before['image.wastedMB']!.value).toBeGreaterThan(50);
    expect(before['rebuild.sourceEditLayers']!.value).toBeGreaterThan(3);
    expect(before['lint.failing']!.value).toBeGreaterThanOrEqual(3);
    expect(s.status()).toEqual({ 'lint-clean': 'not-met', 'source-edit': 'not-met', 'deps-edit': 'met', smaller: 'not-met', 'no-waste': 'not-met', 'compose-healthy': 'not-met' });

    s.use(solutionFiles());
    const solved = s.build('solution');
    expect(solved.ok, solved.error?.message).toBe(true);
    expect(solved.smoke).toMatchObject({ ok: true });
    s.edit('app.py', (t) => `${t}# edit 2\n`);
    const edit = s.build('source-only edit');
    expect(edit.steps.filter((x) => x.decision === 'built').map((x) => x.text)).toEqual(['COPY --chown=app:app app.py .']);
    s.edit('requirements.txt', (t) => `${t}# bump 2\n`);
    s.build('dependency edit');
    const compose = s.compose();
    expect(compose.validation.valid).toBe(true);
    expect(compose.run?.error).toBeUndefined();
    expect(s.status()).toEqual({ 'lint-clean': 'met', 'source-edit': 'met', 'deps-edit': 'met', smaller: 'met', 'no-waste': 'met', 'compose-healthy': 'met' });
    const after = containers.measure(s.state);
    expect(after['image.sizeRatio']!.value).toBeLessThan(0.4);
    expect(editPairs(s.state).map((p) => `${p.after.note}:${p.kind}:${p.rebuilt}`).slice(-2)).toEqual(['source-only edit:source:1', 'dependency edit:dependency:3']);
  });

  it('a touch only changes the modification time: nothing is rebuilt, and it is no source edit', () => {
    const s = new Session();
    s.build();
    s.state.files = s.state.files.map((f) => (f.path === 'app.py' ? { ...f, mtime: f.mtime + 1000 } : f));
    const again = s.build();
    expect(again.steps.filter((x) => x.decision === 'built')).toEqual([]);
    expect(editPairs(s.state)).toEqual([]);
  });

  it('the API that starts before the store is ready exits in the simulated compose up', () => {
    const s = new Session();
    s.use(solutionFiles().filter((f) => f.path !== COMPOSE));
    s.build();
    const outcome = s.compose();
    expect(outcome.validation.problems.filter((p) => p.severity === 'error').map((p) => p.path)).toEqual(['services.model-store.volumes[0]']);
    s.edit(COMPOSE, (t) => `${t}volumes:\n  models:\n`);
    const up = s.compose();
    expect(up.validation.valid).toBe(true);
    expect(up.run!.events.some((e) => e.service === 'api' && e.event === 'exited')).toBe(true);
    expect(up.record.startedAfterHealthy).toBe(false);
  });
});

describe('bad input gets markers, never a crash', () => {
  const run = (dockerfile: string, extra: ProjectFile[] = []) => {
    const s = new Session();
    s.edit('Dockerfile', () => dockerfile);
    s.state.files = [...s.state.files, ...extra];
    return s.build();
  };

  it('an unknown instruction stops the build at its line', () => {
    const r = run('FROM python:3.12-slim\nCOPPY app.py /app/\n');
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ line: 2, message: expect.stringMatching(/unknown instruction: COPPY/) });
  });

  it('text that is not a Dockerfile fails with a message', () => {
    for (const text of ['', '{"not": "a dockerfile"}', '\u0000\u0001\u0002', 'RUN echo before any FROM\n']) {
      const r = run(text);
      expect(r.ok).toBe(false);
      expect(r.error?.message.length).toBeGreaterThan(5);
    }
  });

  it('a COPY of a file that is not in the context names the file', () => {
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY model.pkl .\n');
    expect(r.error).toMatchObject({ line: 3, message: expect.stringMatching(/"\/model.pkl": not found/) });
  });

  it('a COPY of a file .dockerignore excludes says so', () => {
    const s = new Session();
    s.edit('.dockerignore', () => 'data/\n');
    s.edit('Dockerfile', () => 'FROM python:3.12-slim\nCOPY data/transactions.csv /data.csv\n');
    expect(s.build().error?.message).toMatch(/excludes it/);
  });

  it('an image the simulator does not know, a program the image lacks, and shell it does not model', () => {
    expect(run('FROM mcr.microsoft.com/dotnet/runtime:8.0\n').error?.message).toMatch(/has no image/);
    expect(run('FROM python:3.12-slim\nRUN frobnicate --all\n').error?.message).toMatch(/exit code: 127[\s\S]*frobnicate: not found/);
    const s = new Session();
    s.edit('Dockerfile', () => 'FROM python:3.12-slim\nRUN if [ -f /x ]; then echo y; fi\n');
    const builder = emptyBuilder();
    const { result } = runBuild(builder, { id: 'x', at: '2027-02-10T09:00:00Z', files: s.state.files, options: {}, day: 1 }, {});
    expect(result.ok).toBe(true);
    expect(result.notModelled).toEqual([{ line: 2, what: expect.stringMatching(/shell keyword "if"/) }]);
  });

  it('huge and binary context files are built as simulated files', () => {
    const huge: ProjectFile = { path: 'weights.bin', synthetic: { size: 12_000_000_000, seed: 'upload', kind: 'binary' }, mtime: 0, mode: 0o644 };
    const r = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY weights.bin .\n', [huge]);
    expect(r.ok).toBe(true);
    expect(r.size).toBeGreaterThan(12e9);
  });

  it('a failing RUN shows the command, its exit code and its output', () => {
    const r = run('FROM python:3.12-slim\nRUN apt-get install -y curl\n');
    expect(r.error?.message).toMatch(/exit code: 100[\s\S]*Unable to locate package curl/);
  });
});

describe('state', () => {
  it('parses what it writes, and names the field of bad state', () => {
    expect(containers.parse(emptyState(), 1)).toEqual(emptyState());
    expect(() => containers.parse({ ...emptyState(), day: 0 }, 1)).toThrow(/day/);
    expect(() => containers.parse({ ...emptyState(), builds: [{ id: 'x' }] }, 1)).toThrow(/builds\[0\]/);
  });

  it('marks restored records and merges two tabs without losing builds', () => {
    const a = new Session();
    a.build();
    const marked = containers.markRestored!(a.state, '2027-02-11T10:00:00Z');
    expect(marked.builds.every((b) => b.restoredAt)).toBe(true);
    const b = new Session();
    b.build();
    b.state.builds[0]!.id = 'other';
    const merged = containers.merge!(a.state, b.state);
    expect(merged.builds.map((x) => x.id).sort()).toEqual(['b1', 'other']);
  });

  it('replaying the recorded builds gives the same decisions (what the verifier relies on)', () => {
    const s = new Session();
    s.build();
    s.edit('app.py', (t) => `${t}# x\n`);
    s.build();
    const again = new Session();
    const builder = replay(s.state.builds.slice(0, 1), s.state.blobs);
    const second = build(requestOf(s.state.builds[1]!, s.state.blobs), builder);
    expect(second.steps.map((x) => x.decision)).toEqual(s.state.builds[1]!.steps.map((x) => x.decision));
    expect(imageFs(second.image!).get('/app/app.py')?.text).toMatch(/# x/);
    void again;
  });
});

describe('report bundle and verification', () => {
  const session = () => {
    const s = new Session();
    s.build('starter');
    s.use(solutionFiles());
    s.build('solution');
    s.edit('app.py', (t) => `${t}# edit\n`);
    s.build('source-only edit');
    s.compose();
    return s;
  };
  const meta = { student: { name: 'Grace', notes: 'Multi-stage with a slim base.' }, shown: {}, code: {} };
  const bundle = (state: ContainersState) => buildBundle({ definition: containers, state, meta, criteria, title: 'Lab: containers', environment: { browser: 'test' }, now: new Date('2027-02-12T12:00:00Z') });

  it('a genuine bundle verifies: every build and Compose check comes out the same when run again', async () => {
    const s = session();
    const { zip, reportMarkdown } = await bundle(s.state);
    expect(reportMarkdown).toMatch(/simulator, not in Docker/);
    expect(reportMarkdown).toMatch(/docker history of b3/);
    const read = readBundle(zip);
    expect(Object.keys(read.files)).toContain('project/Dockerfile');
    const claims = await verifyBundle(containers, criteria, read, { labVerifier: verifyContainers });
    expect(claims.filter((c) => c.status === 'contradicted')).toEqual([]);
    expect(claims.find((c) => /3 of 3 builds give the recorded/.test(c.claim))?.status).toBe('confirmed');
  });

  it('a build record edited by hand is contradicted', async () => {
    const s = session();
    const forged: ContainersState = JSON.parse(JSON.stringify(s.state));
    forged.builds[1]!.size = Math.round(forged.builds[1]!.size / 2);
    forged.builds[2]!.steps = forged.builds[2]!.steps.map((x) => ({ ...x, decision: x.decision === 'built' ? 'cached' : x.decision }));
    const claims = await verifyContainers(forged, {}, {} as never);
    expect(claims.filter((c) => c.status === 'contradicted').map((c) => c.claim)).toEqual([
      'Build b2 gives the recorded result when run again',
      'Build b3 gives the recorded result when run again',
      '1 of 3 builds give the recorded decisions, sizes and smoke tests when run again from their inputs',
    ]);
  });
});
