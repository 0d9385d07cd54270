/** The offline runtime's core: file system, built-ins, module loader, exits and time limits, run in worker threads. */
import { describe, expect, it } from 'vitest';
import { MemFS } from '../memfs.ts';
import { createNodeOfflineRuntime } from '../offline-node.ts';
import { offlineSupport } from './shims/index.ts';

/** Run files in the offline runtime (a worker thread running the browser worker's code). */
export async function run(files: Record<string, string>, entry = 'main.mjs', args: string[] = [], timeoutMs = 20_000) {
  const runtime = createNodeOfflineRuntime();
  await runtime.mount(files);
  let output = '';
  const result = await runtime.run({ entry, args, env: { LAB: 'pipeline' }, timeoutMs, onOutput: (t) => void (output += t) }).done;
  return { code: result.code, output, result, runtime };
}

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

  it('appends in place and announces only the bytes added', () => {
    const fs = new MemFS();
    const posted: number[] = [];
    fs.onChange = (c) => posted.push('data' in c ? c.data.byteLength : 0);
    const line = 'x'.repeat(99) + '\n';
    for (let i = 0; i < 4000; i += 1) fs.append('/log.txt', line);
    expect(fs.stat('/log.txt')!.size).toBe(400_000);
    expect(fs.readText('/log.txt').split('\n')).toHaveLength(4001);
    // Linear work: every change carries one line, so the page receives the file once, not 4,000 times over.
    expect(posted.reduce((a, b) => a + b, 0)).toBe(400_000);
    const copy = new MemFS();
    fs.onChange = (c) => copy.apply(c);
    fs.append('/log.txt', 'end');
    copy.apply({ op: 'write', path: '/other', data: new Uint8Array([1]) });
    copy.apply({ op: 'append', path: '/other', data: new Uint8Array([2]) });
    expect([...copy.read('/other')]).toEqual([1, 2]);
  });

  it('refuses writes past its byte limit with ENOSPC, and frees the space of removed files', () => {
    const fs = new MemFS({ limitBytes: 1000 });
    fs.write('/a', new Uint8Array(600));
    expect(() => fs.write('/b', new Uint8Array(600))).toThrow(/ENOSPC: no space left on device, write '\/b' \(the offline runtime keeps at most 0 MB/);
    expect(() => fs.append('/a', new Uint8Array(500))).toThrow(/ENOSPC/);
    fs.write('/a', new Uint8Array(100));
    fs.write('/b', new Uint8Array(800));
    fs.rm('/b');
    expect(fs.usedBytes).toBe(100);
  });

  it('keeps large files as Blobs on the page and reads them in the worker only when the program does', async () => {
    const page = new MemFS({ largeFileBytes: 1024 });
    page.write('/big.bin', new Uint8Array(4096).fill(7));
    page.append('/big.bin', new Uint8Array([9]));
    page.write('/small.txt', 'hi');
    const snapshot = page.snapshot();
    const big = snapshot.find(([p]) => p === '/big.bin')![1];
    expect(big).toBeInstanceOf(Blob);
    expect((await page.readAsync('/big.bin')).byteLength).toBe(4097);
    const reads: number[] = [];
    const worker = MemFS.fromSnapshot(snapshot, {
      readBlobSync: (blob) => {
        reads.push(blob.size);
        return new Uint8Array(4097).fill(7);
      },
    });
    expect(worker.stat('/big.bin')!.size).toBe(4097);
    expect(reads).toEqual([]);
    expect(worker.read('/big.bin')[0]).toBe(7);
    worker.read('/big.bin');
    expect(reads).toEqual([4097]);
  });
});

describe('offlineSupport', () => {
  it('names the built-ins a lab needs that the offline runtime lacks', () => {
    expect(offlineSupport(['fs', 'node:events', 'path'])).toEqual({ missing: [], message: null });
    const support = offlineSupport(['node:http', 'events', 'child_process']);
    expect(support.missing).toEqual(['http', 'child_process']);
    expect(support.message).toMatch(/^This lab needs http \(it is planned .*\) and child_process \(a Web Worker cannot start other programs\), which the offline runtime lacks\.$/);
  });
});

describe('running programs', () => {
  it('resolves relative imports and built-ins, and shims fs, crypto, process and timers', async () => {
    const { code, output, runtime } = await run(
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
    expect(await runtime.readFile('out/a.txt')).toBe('hi');
  });

  it('exits with process.exit() and process.exitCode, and stops output after exit', async () => {
    expect((await run({ 'main.mjs': `console.log('a'); process.exit(3); console.log('b');` })).code).toBe(3);
    expect((await run({ 'main.mjs': `process.exitCode = 2;` })).code).toBe(2);
    const later = await run({ 'main.mjs': `setTimeout(() => { console.log('x'); process.exit(4); }, 5); setTimeout(() => console.log('never'), 50);` });
    expect(later).toMatchObject({ code: 4, output: 'x\n' });
  });

  it('reports uncaught errors with the file URL, line and column, and exits 1', async () => {
    const { code, output } = await run({ 'main.mjs': `import './lib/b.mjs';`, 'lib/b.mjs': `\nthrow new TypeError('broken');` });
    expect(code).toBe(1);
    expect(output).toMatch(/TypeError: broken\n\s+at file:\/\/\/project\/lib\/b\.mjs:2:7/);
    expect(output).toMatch(/\n\nNode\.js v24\.0\.0-offline\n$/);
  });

  it('explains packages and modules it cannot load', async () => {
    expect((await run({ 'main.mjs': `import _ from 'lodash';` })).output).toMatch(/Cannot find package 'lodash'.*built-ins/);
    expect((await run({ 'main.mjs': `import './nope.mjs';` })).output).toMatch(/Cannot find module '\/project\/nope.mjs'/);
    expect((await run({ 'main.mjs': `import './lib/util';`, 'lib/util.mjs': '' })).output).toMatch(/Cannot find module '\/project\/lib\/util' imported from \/project\/main.mjs\nDid you mean to import "\.\/lib\/util\.mjs"\?/);
    expect((await run({ 'main.mjs': `import 'node:http2';` })).output).toMatch(/does not provide the built-in module 'node:http2'/);
    const cycle = await run({ 'main.mjs': `import './a.mjs';`, 'a.mjs': `import './main.mjs';` });
    expect(cycle).toMatchObject({ code: 1 });
    expect(cycle.output).toMatch(/Circular import/);
  });

  it('lets a module import process itself, and sees it as globalThis.process', async () => {
    const { output } = await run({ 'main.mjs': `import process from 'node:process';\nimport { argv } from 'node:process';\nconsole.log(process.version.includes('offline'), argv.length, globalThis.process === process);` });
    expect(output).toBe('true 2 true\n');
  });
});

describe('OfflineRuntime (in a worker thread)', () => {
  it('stops a program that never ends at the time limit, keeps its output and file changes, and runs again after', async () => {
    const runtime = createNodeOfflineRuntime();
    await runtime.mount({ 'loop.mjs': `import fs from 'node:fs';\nfs.writeFileSync('before.txt', 'x');\nconsole.log('looping');\nwhile (true) {}` });
    let output = '';
    const result = await runtime.run({ entry: 'loop.mjs', timeoutMs: 3000, onOutput: (t) => void (output += t) }).done;
    expect(result).toMatchObject({ code: null, reason: 'timeout' });
    expect(output).toContain('looping');
    expect(output).toMatch(/Stopped: the program was still running after 3 s, the time limit/);
    expect(await runtime.readFile('before.txt')).toBe('x');
    await runtime.writeFile('ok.mjs', `console.log('fine')`);
    let second = '';
    expect((await runtime.run({ entry: 'ok.mjs', onOutput: (t) => void (second += t) }).done).code).toBe(0);
    expect(second).toBe('fine\n');
  }, 20_000);

  it('kills a run on Stop', async () => {
    const runtime = createNodeOfflineRuntime();
    await runtime.mount({ 'wait.mjs': `setInterval(() => {}, 1000);` });
    let output = '';
    const handle = runtime.run({ entry: 'wait.mjs', onOutput: (t) => void (output += t) });
    setTimeout(() => handle.kill(), 200);
    expect(await handle.done).toMatchObject({ code: null, reason: 'killed' });
    expect(output).toContain('Stopped.');
    await runtime.remove('wait.mjs');
    expect(await runtime.readdir('')).toEqual([]);
  }, 20_000);
});
