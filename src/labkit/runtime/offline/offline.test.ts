/** The offline runtime's core in Node: file system, built-in shims, module loader, exits and time limits. */
import { createHash } from 'node:crypto';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemFS } from '../memfs.ts';
import { sha256 } from './sha256.ts';
import { makePath, format } from './shims.ts';
import { startProgram, dataUrl } from './loader.ts';
import { createNodeOfflineRuntime } from '../offline-node.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Run files in-process (no worker) and return the exit code and output. */
async function run(files: Record<string, string>, entry = 'main.mjs', args: string[] = []) {
  const fs = new MemFS();
  for (const [p, text] of Object.entries(files)) {
    fs.mkdir(nodePath.posix.dirname(`/project/${p}`), true);
    fs.write(`/project/${p}`, text);
  }
  let output = '';
  const program = startProgram({ fs, cwd: '/project', entry, argv: ['node', `/project/${entry}`, ...args], env: { LAB: 'pipeline' }, write: (t) => (output += t), makeUrl: dataUrl });
  const code = await program.exited;
  return { code, output, fs };
}

describe('sha256', () => {
  it('matches node:crypto for empty, short, block-boundary and long inputs', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'ü€'.repeat(1000)]) {
      expect(hex(sha256(new TextEncoder().encode(text)))).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});

describe('path', () => {
  const path = makePath(() => '/project');
  it('behaves like node:path/posix', () => {
    for (const args of [['a', 'b', '../c'], ['/a/', './b/'], ['runs', 'run-001', 'run.json'], ['', 'x'], ['a/..']]) {
      expect(path.join(...args)).toBe(nodePath.posix.join(...args));
    }
    for (const p of ['/a/b/c.json', 'a/b', 'c', '/', 'a/b/', '.hidden', 'x.tar.gz']) {
      expect([path.dirname(p), path.basename(p), path.extname(p)]).toEqual([nodePath.posix.dirname(p), nodePath.posix.basename(p), nodePath.posix.extname(p)]);
    }
    expect(path.resolve('runs', '../data')).toBe('/project/data');
    expect(path.relative('/project/a/b', '/project/c')).toBe('../../c');
  });
});

describe('console formatting', () => {
  it('prints values the way Node does for common cases', () => {
    expect(format('a', 1, { x: 1, y: [1, 2] }, null)).toBe('a 1 { x: 1, y: [ 1, 2 ] } null');
    expect(format('%s is %d', 'n', 42)).toBe('n is 42');
    expect(format(['a'])).toBe("[ 'a' ]");
  });
});

describe('MemFS', () => {
  it('creates, lists, renames and removes, with Node-style errors', () => {
    const fs = new MemFS();
    const changes: string[] = [];
    fs.onChange = (c) => changes.push(`${c.op} ${c.path}`);
    fs.mkdir('/p/runs', true);
    fs.write('/p/runs/a.json', '{}');
    expect(fs.readdir('/p')).toEqual([{ name: 'runs', directory: true }]);
    expect(() => fs.read('/p/missing')).toThrow(/ENOENT: no such file or directory, open '\/p\/missing'/);
    expect(() => fs.write('/nowhere/x', '')).toThrow(/ENOENT/);
    expect(() => fs.rm('/p/runs')).toThrow(/ENOTEMPTY/);
    fs.rename('/p/runs', '/p/old');
    expect(fs.readText('/p/old/a.json')).toBe('{}');
    fs.rm('/p/old', { recursive: true });
    expect(fs.exists('/p/old/a.json')).toBe(false);
    expect(changes).toEqual(['mkdir /p', 'mkdir /p/runs', 'write /p/runs/a.json', 'rename /p/runs', 'rm /p/old']);
    const copy = MemFS.fromSnapshot(fs.snapshot());
    expect(copy.isDir('/p')).toBe(true);
  });
});

describe('running programs', () => {
  it('resolves relative imports and built-ins, and shims fs, crypto, process and timers', async () => {
    const { code, output, fs } = await run(
      {
        'main.mjs': `
import fs from 'node:fs';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'path';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { double } from './lib/util.mjs';
await writeFile(path.join('out', 'a.txt'), 'hi').catch((e) => console.log('expected', e.code));
fs.mkdirSync('out/deep', { recursive: true });
await writeFile('out/a.txt', 'hi');
await sleep(5);
setTimeout(() => console.log('timer', double(21)), 10);
console.log(createHash('sha256').update('abc').digest('hex').slice(0, 8), (await readFile('out/a.txt')).toString(), process.argv.slice(2), process.env.LAB, process.cwd());
`,
        'lib/util.mjs': `export const double = (x) => x * 2;`,
      },
      'main.mjs',
      ['--x=1'],
    );
    expect(output).toBe(`expected ENOENT\nba7816bf hi [ '--x=1' ] pipeline /project\ntimer 42\n`);
    expect(code).toBe(0);
    expect(fs.readText('/project/out/a.txt')).toBe('hi');
  });

  it('exits with process.exit() and process.exitCode, and stops output after exit', async () => {
    expect((await run({ 'main.mjs': `console.log('a'); process.exit(3); console.log('b');` })).code).toBe(3);
    expect((await run({ 'main.mjs': `process.exitCode = 2;` })).code).toBe(2);
    const later = await run({ 'main.mjs': `setTimeout(() => { console.log('x'); process.exit(4); }, 5); setTimeout(() => console.log('never'), 50);` });
    expect(later).toMatchObject({ code: 4, output: 'x\n' });
  });

  it('reports uncaught errors with the file path, and exits 1', async () => {
    const { code, output } = await run({ 'main.mjs': `import './lib/b.mjs';`, 'lib/b.mjs': `\nthrow new TypeError('broken');` });
    expect(code).toBe(1);
    expect(output).toMatch(/TypeError: broken\n\s+at \/project\/lib\/b\.mjs:2:/);
  });

  it('explains packages and modules it cannot load', async () => {
    expect((await run({ 'main.mjs': `import _ from 'lodash';` })).output).toMatch(/Cannot find package 'lodash'.*built-ins/);
    expect((await run({ 'main.mjs': `import './nope.mjs';` })).output).toMatch(/Cannot find module '\/project\/nope.mjs'/);
    expect((await run({ 'main.mjs': `import 'node:http2';` })).output).toMatch(/does not provide the built-in module 'node:http2'/);
    const cycle = await run({ 'main.mjs': `import './a.mjs';`, 'a.mjs': `import './main.mjs';` });
    expect(cycle).toMatchObject({ code: 1 });
    expect(cycle.output).toMatch(/Circular import/);
  });

  it('lets a module import process itself', async () => {
    const { output } = await run({ 'main.mjs': `import process from 'node:process';\nimport { argv } from 'node:process';\nconsole.log(process.version.includes('offline'), argv.length);` });
    expect(output).toBe('true 2\n');
  });
});

describe('OfflineRuntime (in a worker thread)', () => {
  it('stops a program that never ends at the time limit, keeps its output and file changes, and runs again after', async () => {
    const runtime = createNodeOfflineRuntime();
    await runtime.mount({ 'loop.mjs': `import fs from 'node:fs';\nfs.writeFileSync('before.txt', 'x');\nconsole.log('looping');\nwhile (true) {}` });
    let output = '';
    const result = await runtime.run({ entry: 'loop.mjs', timeoutMs: 4000, onOutput: (t) => (output += t) }).done;
    expect(result).toMatchObject({ code: null, reason: 'timeout' });
    expect(output).toContain('looping');
    expect(output).toMatch(/Stopped: the program was still running after 4 s, the time limit/);
    expect(await runtime.readFile('before.txt')).toBe('x');
    await runtime.writeFile('ok.mjs', `console.log('fine')`);
    let second = '';
    expect((await runtime.run({ entry: 'ok.mjs', onOutput: (t) => (second += t) }).done).code).toBe(0);
    expect(second).toBe('fine\n');
  }, 20_000);

  it('kills a run on Stop', async () => {
    const runtime = createNodeOfflineRuntime();
    await runtime.mount({ 'wait.mjs': `setInterval(() => {}, 1000);` });
    let output = '';
    const handle = runtime.run({ entry: 'wait.mjs', onOutput: (t) => (output += t) });
    setTimeout(() => handle.kill(), 200);
    expect(await handle.done).toMatchObject({ code: null, reason: 'killed' });
    expect(output).toContain('Stopped.');
    await runtime.remove('wait.mjs');
    expect(await runtime.readdir('')).toEqual([]);
  }, 20_000);
});
