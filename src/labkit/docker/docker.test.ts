/**
 * The Docker simulator's pieces on golden cases from Docker's documentation: the Dockerfile parser (directives,
 * continuations, flags, exec form, here-documents), variable substitution, .dockerignore matching, the shell, the
 * package world's rules, the smoke test and the OCI export's reproducibility.
 */
import { gunzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { build, emptyBuilder, imageFs, type ContextFile } from './build.ts';
import { parseDockerfile, splitWords, stagesOf } from './dockerfile.ts';
import { expandWord, parsePairs } from './expand.ts';
import { hex } from './fs.ts';
import { isIgnored, parseIgnore } from './ignore.ts';
import { ociLayout, tar } from './oci.ts';
import { parseScript } from './sh.ts';
import { importsOf, smokeTest } from './smoke.ts';

const context = (files: Record<string, string>): ContextFile[] => Object.entries(files).map(([path, text]) => ({ path, text, size: new TextEncoder().encode(text).length, digest: hex(text), mode: 0o644 }));
const run = (dockerfile: string, files: Record<string, string> = {}, day = 1, builder = emptyBuilder()) => build({ dockerfile, dockerignore: '', context: context(files), day }, builder);

describe('Dockerfile parser (Dockerfile reference)', () => {
  it('reads directives only at the top, and the escape directive changes continuations', () => {
    const f = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM python:3.12-slim\nRUN echo a `\n  && echo b\n# escape=\\\n');
    expect(f.directives).toMatchObject({ syntax: 'docker/dockerfile:1', escape: '`' });
    expect(f.instructions[1]!.args).toBe('echo a   && echo b');
    expect(f.comments.map((c) => c.text)).toEqual(['escape=\\']);
  });

  it('drops comment lines inside a continuation and records empty ones', () => {
    const f = parseDockerfile('FROM a\nRUN one \\\n# comment\n\n  two\n');
    expect(f.instructions[1]).toMatchObject({ args: 'one   two', line: 2, endLine: 5, emptyContinuations: [4] });
  });

  it('takes flags off, parses the exec form, and keeps the written keyword', () => {
    const f = parseDockerfile('from python:3.12-slim AS Build\nCOPY --from=build --chown=app:app /a /b\nCMD ["uvicorn", "app:app"]\nCMD [not json]\n');
    expect(f.instructions[0]!.written).toBe('from');
    expect(f.instructions[1]!.flags.map((x) => [x.name, x.value])).toEqual([['from', 'build'], ['chown', 'app:app']]);
    expect(f.instructions[2]!.json).toEqual(['uvicorn', 'app:app']);
    expect(f.instructions[3]!.json).toBeNull();
    expect(stagesOf(f).stages[0]).toMatchObject({ name: 'build', writtenName: 'Build', base: 'python:3.12-slim' });
  });

  it('reads here-documents, and says when one is never closed', () => {
    const f = parseDockerfile('FROM a\nRUN <<EOF\necho 1\necho 2\nEOF\nCOPY <<-X /f\n\tline\nX\n');
    expect(f.instructions[1]!.heredocs[0]).toMatchObject({ name: 'EOF', content: 'echo 1\necho 2\n' });
    expect(f.instructions[2]!.heredocs[0]).toMatchObject({ name: 'X', chomp: true, content: 'line\n' });
    expect(parseDockerfile('FROM a\nRUN <<EOF\necho 1\n').problems[0]!.message).toMatch(/never closed/);
  });

  it('names an unknown instruction with its line and columns', () => {
    expect(parseDockerfile('FROM a\n  COPPY x y\n').problems).toEqual([{ line: 2, column: 3, endColumn: 8, message: expect.stringMatching(/unknown instruction: COPPY/) }]);
  });

  it('splits words keeping quoted spaces', () => {
    expect(splitWords('"a b" c\\ d e')).toEqual(['"a b"', 'c\\ d', 'e']);
  });
});

describe('variable substitution (Dockerfile reference, environment replacement)', () => {
  const env: Record<string, string> = { A: 'x', EMPTY: '', PATH: '/usr/bin', FILE: 'archive.tar.gz' };
  const lookup = (n: string) => env[n];
  it.each([
    ['$A', 'x'],
    ['${A}_b', 'x_b'],
    ['${NOPE:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${A:+y}', 'y'],
    ['${NOPE:+y}', ''],
    ["'$A'", '$A'],
    ['"$A b"', 'x b'],
    ['\\$A', '$A'],
    ['${FILE%.gz}', 'archive.tar'],
    ['${FILE%%.*}', 'archive'],
    ['${FILE#*.}', 'tar.gz'],
    ['${FILE##*.}', 'gz'],
    ['${PATH/usr/opt}', '/opt/bin'],
    ['/opt/venv/bin:$PATH', '/opt/venv/bin:/usr/bin'],
  ])('%s → %s', (word, value) => expect(expandWord(word, lookup).value).toBe(value));

  it('reports undefined names and a failed ${X:?}', () => {
    expect(expandWord('$NOPE/${ALSO}', lookup).undefined).toEqual(['NOPE', 'ALSO']);
    expect(expandWord('${NOPE:?set it}', lookup).error).toBe('NOPE: set it');
  });

  it('parses KEY=value pairs, the legacy form and bare ARG names', () => {
    expect(parsePairs('A=1 B="two words"', false).pairs.map((p) => [p.key, p.raw])).toEqual([['A', '1'], ['B', '"two words"']]);
    expect(parsePairs('PYTHONUNBUFFERED 1', false).pairs[0]).toMatchObject({ key: 'PYTHONUNBUFFERED', raw: '1', legacy: true });
    expect(parsePairs('VERSION', true).pairs[0]).toMatchObject({ key: 'VERSION', raw: null });
  });
});

describe('.dockerignore (build context documentation)', () => {
  const rules = parseIgnore('# comment\n*/temp*\n*/*/temp*\ntemp?\n**/*.pyc\n/data\n*.md\n!README.md\n.git\n');
  it.each([
    ['somedir/temporary.txt', true],
    ['somedir/subdir/temp', true],
    ['tempa', true],
    ['temp', false],
    ['a/b/c/x.pyc', true],
    ['x.pyc', true],
    ['data/transactions.csv', true],
    ['notes.md', true],
    ['README.md', false],
    ['.git/HEAD', true],
    ['app.py', false],
  ])('%s excluded: %s', (path, excluded) => expect(isIgnored(rules, path)).toBe(excluded));

  it('reports a malformed pattern with its line', () => {
    expect(parseIgnore('ok\n[abc\n').problems).toEqual([{ line: 2, message: expect.stringMatching(/never closed/) }]);
  });
});

describe('the simulated shell and package world', () => {
  it('parses lists, pipes and redirections, and marks what it does not model', () => {
    const s = parseScript('a && b || c; d | e > f 2>&1');
    expect(s.items.map((i) => [i.pipeline.commands.length, i.then])).toEqual([[1, '&&'], [1, '||'], [1, ';'], [2, null]]);
    expect(parseScript('for x in a; do echo $x; done').unsupported).toMatch(/for/);
    expect(parseScript('echo "open').syntaxError).toMatch(/never closed/);
  });

  it('apt-get install without update fails on an official image: its lists are empty', () => {
    expect(run('FROM debian:bookworm-slim\nRUN apt-get install -y curl\n').error?.message).toMatch(/Unable to locate package curl/);
  });

  it('apt-get install without -y aborts when it must install more than asked', () => {
    expect(run('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install curl\n').error?.message).toMatch(/Do you want to continue\? \[Y\/n\] Abort/);
  });

  it('a cached apt-get update names versions the mirror no longer has on a later day', () => {
    const builder = emptyBuilder();
    expect(run('FROM debian:bookworm-slim\nRUN apt-get update\n', {}, 1, builder).ok).toBe(true);
    const later = run('FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n', {}, 3, builder);
    expect(later.steps.map((s) => s.decision)).toEqual(['cached', 'cached', 'failed'].slice(0, 2).concat([]).concat(later.steps.slice(2).map((s) => s.decision)));
    expect(later.error?.message).toMatch(/404\s+Not Found/);
    expect(run('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n', {}, 3, builder).ok).toBe(true);
  });

  it('pip refuses Debian\u2019s own Python (PEP 668) and needs gcc for a package without wheels', () => {
    expect(run('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install fastapi\n').error?.message).toMatch(/externally-managed-environment/);
    expect(run('FROM python:3.12-slim\nRUN pip install hnswlib\n').error?.message).toMatch(/command 'gcc' failed/);
    expect(run('FROM python:3.12\nRUN pip install --no-cache-dir hnswlib\n').ok).toBe(true);
  });

  it('python:latest moves to 3.13 on day 3, where an old pinned wheel no longer exists', () => {
    expect(run('FROM python:latest\nRUN pip install --no-cache-dir pandas==2.1.4\n', {}, 1).ok).toBe(true);
    const later = run('FROM python:latest\nRUN pip install --no-cache-dir pandas==2.1.4\n', {}, 3);
    expect(later.steps[1]!.log.join('\n')).toMatch(/Building wheel for pandas/);
  });

  it('a recursive chown in its own RUN copies every file it touches into a new layer', () => {
    const r = run('FROM python:3.12-slim\nRUN pip install --no-cache-dir numpy==2.1.3\nRUN chown -R nobody /usr/local/lib/python3.12/site-packages/numpy\n');
    expect(r.steps[2]!.size).toBeGreaterThan(60e6);
  });

  it('npm ci installs what the lock file says, refuses a lock out of sync, and npm install follows latest', () => {
    const pkg = JSON.stringify({ name: 'api', dependencies: { express: '^4.21.0' }, devDependencies: { jest: '^29.0.0' } });
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/express': { version: '4.21.1' }, 'node_modules/jest': { version: '29.7.0', dev: true } } });
    const df = 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY server.js .\nUSER node\nCMD ["node", "server.js"]\n';
    const ok = run(df, { 'package.json': pkg, 'package-lock.json': lock, 'server.js': 'require("express")\n' });
    expect(ok.ok, ok.error?.message).toBe(true);
    const fs = imageFs(ok.image!);
    expect(fs.get('/app/node_modules/express')?.label).toMatch(/express 4.21.1/);
    expect(fs.has('/app/node_modules/jest')).toBe(false);
    expect(smokeTest(ok.image!).ok).toBe(true);
    const stale = JSON.stringify({ lockfileVersion: 3, packages: {} });
    expect(run(df, { 'package.json': pkg, 'package-lock.json': stale, 'server.js': '' }).error?.message).toMatch(/in sync/);
    const latest = (day: number) => imageFs(run('FROM node:22-slim\nWORKDIR /app\nRUN npm install express\n', {}, day).image!).get('/app/node_modules/express')?.label;
    expect([latest(1), latest(3)]).toEqual([expect.stringMatching(/4.21.1/), expect.stringMatching(/4.21.2/)]);
  });

  it('python:3.12-slim has no curl: a download needs it installed first', () => {
    const r = run('FROM python:3.12-slim\nRUN curl -o /tmp/m.tgz https://models.example.org/fraud-detector/14/model.tar.gz\n');
    expect(r.error?.message).toMatch(/curl: not found/);
  });
});

describe('smoke test (a simulated docker run)', () => {
  const app = 'import os\nimport joblib\nfrom fastapi import FastAPI\nMODEL_PATH = os.environ.get("MODEL_PATH", "model/m.joblib")\napp = FastAPI()\n';
  it('reads the imports of a Python file', () => expect(importsOf('import os, sys as s\nfrom a.b import c\nfrom . import x\n')).toEqual(['os', 'sys', 'a']));

  it('finds the program, the imports and the model, or says what is missing', () => {
    const ok = run('FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir fastapi==0.115.5 uvicorn==0.32.1 joblib==1.4.2\nCOPY . .\nCMD ["uvicorn", "app:app"]\n', { 'app.py': app, 'model/m.joblib': 'weights' });
    expect(smokeTest(ok.image!)).toMatchObject({ ok: true });
    const noJoblib = run('FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir fastapi==0.115.5 uvicorn==0.32.1\nCOPY . .\nCMD ["uvicorn", "app:app"]\n', { 'app.py': app, 'model/m.joblib': 'w' });
    expect(smokeTest(noJoblib.image!).checks.at(-2)).toMatchObject({ ok: false, detail: expect.stringMatching(/No module named 'joblib'/) });
    const distroless = 'FROM python:3.12-slim AS build\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir uvicorn==0.32.1\nFROM gcr.io/distroless/python3-debian12\nCOPY --from=build /opt/venv /opt/venv\nENV PATH=/opt/venv/bin:/usr/bin\n';
    // distroless's ENTRYPOINT is python itself, so CMD ["uvicorn", …] names a script file …
    expect(smokeTest(run(`${distroless}CMD ["uvicorn", "app:app"]\n`).image!).checks.find((c) => !c.ok)?.detail).toMatch(/can't open file '\/uvicorn'/);
    // … and a venv made on python:3.12-slim points at an interpreter distroless does not have.
    expect(smokeTest(run(`${distroless}ENTRYPOINT ["uvicorn", "app:app"]\n`).image!).checks.find((c) => !c.ok)?.detail).toMatch(/made with \/usr\/local\/bin\/python3.12/);
  });
});

describe('OCI export', () => {
  const image = () => run('FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nRUN rm /etc/shadow\nCMD ["python", "app.py"]\n', { 'app.py': 'print("hi")\n' }).image!;

  it('is reproducible: the same build gives the same bytes and digests', () => {
    const a = ociLayout(image());
    const b = ociLayout(image());
    expect(a.manifestDigest).toBe(b.manifestDigest);
    expect(hex(strFromU8(a.tar, true))).toBe(hex(strFromU8(b.tar, true)));
  });

  it('writes the layout files, whiteouts and real file contents', () => {
    const oci = ociLayout(image());
    const names = readTar(oci.tar).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['oci-layout', 'index.json', 'blobs/sha256/']));
    const layers = oci.layers.map((l) => readTar(gunzipSync(readTar(oci.tar).find((e) => e.name === `blobs/sha256/${l.digest.slice(7)}`)!.content)));
    const all = layers.flat();
    expect(strFromU8(all.find((e) => e.name === 'app/app.py')!.content)).toBe('print("hi")\n');
    expect(all.some((e) => e.name === 'etc/.wh.shadow')).toBe(true);
    expect(strFromU8(all.find((e) => e.name.endsWith('SIMULATED.txt'))!.content)).toMatch(/would hold \d+ bytes/);
  });

  it('writes long names with a ustar prefix or a PAX header', () => {
    const long = `${'d/'.repeat(80)}file.txt`;
    expect(readTar(tar([{ name: long, type: 'file', mode: 0o644, content: new Uint8Array([1]) }]))[0]!.name).toBe(long);
  });
});

/** Reads a tar (ustar with PAX path records) back, for the tests. */
function readTar(bytes: Uint8Array): { name: string; content: Uint8Array }[] {
  const out: { name: string; content: Uint8Array }[] = [];
  let pax: string | null = null;
  for (let offset = 0; offset + 512 <= bytes.length; ) {
    const h = bytes.subarray(offset, offset + 512);
    if (h.every((b) => b === 0)) break;
    const text = (a: number, n: number) => strFromU8(h.subarray(a, a + n)).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12), 8);
    const type = text(156, 1);
    const content = bytes.subarray(offset + 512, offset + 512 + size);
    const prefix = text(345, 155);
    const name = pax ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    if (type === 'x') pax = /path=(.*)\n/.exec(strFromU8(content))?.[1] ?? null;
    else {
      out.push({ name, content });
      pax = null;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

it('keeps the context file contents it copies', () => {
  const r = run('FROM python:3.12-slim\nCOPY a.txt /a.txt\n', { 'a.txt': 'hello\n' });
  expect(imageFs(r.image!).get('/a.txt')?.text).toBe('hello\n');
});
