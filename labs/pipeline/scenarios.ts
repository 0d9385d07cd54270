/**
 * The lab's scenarios: which project state to run, and with which arguments, run after run.
 * The unit tests run each under real Node and under the offline runtime and compare what the runs recorded.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { projectAtStep } from './files.node.ts';
import type { LabRuntime } from '../../src/labkit/runtime/types.ts';

export interface Scenario {
  name: string;
  /** The project after this step's solution (0: the starter). */
  step: number;
  /** One entry per run: the command-line arguments for pipeline.mjs. */
  runs: string[][];
}

export const SCENARIOS: Scenario[] = [
  { name: 'starter', step: 0, runs: [[]] },
  { name: 'step 2: retries', step: 2, runs: [[]] },
  { name: 'step 3: caching', step: 3, runs: [[], []] },
  { name: 'step 4: parameters', step: 4, runs: [[], ['--epochs=50']] },
  { name: 'step 5: quality gate', step: 5, runs: [[], ['--epochs=0']] },
];

/** Everything the lab leaves behind that should not depend on where it ran: times and run-time facts removed. */
export interface Outcome {
  exitCodes: (number | null)[];
  records: RunRecord[];
  /** Every file under runs/ with its text, except run.json and logs (times differ) and the feed's counter. */
  artifacts: Record<string, string>;
  registry: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RunRecord = Record<string, any>;

/** A run record without what changes from run to run (times, durations, the Node version). */
export function comparable(record: RunRecord) {
  return {
    runId: record.runId,
    flow: record.flow,
    state: record.state,
    params: record.params,
    error: record.error,
    artifacts: [...record.artifacts].sort(),
    result: record.result ?? null,
    tasks: record.tasks.map((t: RunRecord) => ({
      name: t.name,
      state: t.state,
      attempts: t.attempts,
      upstream: t.upstream,
      cacheKey: t.cacheKey,
      error: t.error,
      artifacts: [...t.artifacts].sort(),
      states: t.history.map((h: { state: string }) => h.state),
    })),
  };
}

const stripTimes = (text: string) => text.replace(/"(registeredAt|startedAt|endedAt)": "[^"]*"/g, '"$1": "…"');

/** Collect an Outcome from a folder on disk (real Node) or from a runtime's file system. */
export async function collect(read: (path: string) => Promise<string | null>, list: (path: string) => Promise<{ name: string; directory: boolean }[]>, exitCodes: (number | null)[]): Promise<Outcome> {
  const records: RunRecord[] = [];
  const artifacts: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await list(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.directory) await walk(path);
      else if (!/\/(run\.json|logs\.jsonl|feed-requests\.txt)$/.test(path)) artifacts[path] = stripTimes((await read(path)) ?? '');
    }
  };
  for (const run of await list('runs')) {
    const text = await read(`runs/${run.name}/run.json`);
    if (text) records.push(JSON.parse(text));
    await walk(`runs/${run.name}`);
  }
  const registry = await read('registry/models.json');
  return { exitCodes, records, artifacts, registry: registry && stripTimes(registry) };
}

/** Run a scenario with real Node (what WebContainers run) in a new temporary folder. */
export async function runWithNode(scenario: Scenario, node = process.execPath): Promise<Outcome & { dir: string; output: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-lab-'));
  for (const [path, text] of Object.entries(projectAtStep(scenario.step))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const exitCodes: (number | null)[] = [];
  const output: string[] = [];
  for (const args of scenario.runs) {
    const { code, text } = await new Promise<{ code: number | null; text: string }>((resolve) => {
      execFile(node, ['pipeline.mjs', ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '' } }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, text: stdout + stderr });
      });
    });
    exitCodes.push(code);
    output.push(text);
  }
  const outcome = await collect(
    async (path) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : null),
    async (path) => (existsSync(join(dir, path)) ? readdirSync(join(dir, path), { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1)) : []),
    exitCodes,
  );
  return { ...outcome, dir, output };
}

/** Run a scenario in a runtime (the offline runtime in the tests). */
export async function runWithRuntime(scenario: Scenario, runtime: LabRuntime): Promise<Outcome & { output: string[] }> {
  await runtime.mount(projectAtStep(scenario.step));
  const exitCodes: (number | null)[] = [];
  const output: string[] = [];
  for (const args of scenario.runs) {
    let text = '';
    const result = await runtime.run({ entry: 'pipeline.mjs', args, timeoutMs: 20_000, onOutput: (chunk) => (text += chunk) }).done;
    exitCodes.push(result.code);
    output.push(text);
  }
  const outcome = await collect((path) => runtime.readFile(path), (path) => runtime.readdir(path), exitCodes);
  return { ...outcome, output };
}

export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Node behaviours the offline runtime imitates: each is a small program run under real Node and in the offline
 * runtime, and the two outputs (normalised: the project folder, Node's own internal stack frames and version line)
 * and exit codes must be equal.
 */
export interface Behaviour {
  name: string;
  files: Record<string, string>;
}

export const BEHAVIOURS: Behaviour[] = [
  { name: 'an unsettled top-level await exits with code 13 and names the await', files: { 'main.mjs': `console.log('before');\nawait new Promise(() => {});\n` } },
  { name: 'a syntax error: unexpected token', files: { 'main.mjs': `const a = 1;\nconst b = ;\n` } },
  { name: 'a syntax error: unexpected identifier', files: { 'main.mjs': `foo bar;\n` } },
  { name: 'a syntax error: unterminated string', files: { 'main.mjs': `const s = "abc;\n` } },
  { name: 'a syntax error: await outside an async function', files: { 'main.mjs': `function g() { await 1; }\n` } },
  { name: 'a syntax error: a name declared twice', files: { 'main.mjs': `let q = 1;\nlet q = 2;\n` } },
  { name: 'a syntax error: unexpected end of input, in an imported file', files: { 'main.mjs': `import './lib/broken.mjs';\n`, 'lib/broken.mjs': `if (x) {\n  y();\n` } },
  {
    name: 'import.meta and files next to the module',
    files: {
      'main.mjs': [
        `import fs from 'node:fs';`,
        `import { fileURLToPath } from 'node:url';`,
        `const here = fileURLToPath(new URL('.', import.meta.url));`,
        `console.log(import.meta.url.endsWith('/lib/read.mjs'), fs.readFileSync(new URL('./data/iris.csv', import.meta.url), 'utf8').trim());`,
        `console.log(import.meta.filename === fileURLToPath(import.meta.url), import.meta.dirname + '/' === here, import.meta.resolve('./x.mjs') === new URL('./x.mjs', import.meta.url).href);`,
        `const { readRelative } = await import('./lib/read.mjs');`,
        `console.log(readRelative());`,
      ].join('\n'),
      'data/iris.csv': 'a,b\n1,2\n',
      'lib/read.mjs': `import fs from 'node:fs';\nexport const readRelative = () => fs.readFileSync(new URL('../data/iris.csv', import.meta.url), 'utf8').split('\\n')[1];\n`,
    },
  },
  {
    name: 'globalThis.process, and printing Buffers, -0, tables, nested values',
    files: {
      'main.mjs': [
        `console.log(typeof globalThis.process, globalThis.process === process, typeof Buffer, typeof global);`,
        `console.log(Buffer.from('hi'), Buffer.alloc(60), [-0, 0], -0, { z: -0 });`,
        `console.table([{ a: 1, b: 'x' }, { a: 22, c: true }]);`,
        `console.table(['p', 'q']);`,
        `console.log({ weights: [[0.1, -0.43440995699933416, 2.5, 3], [1, 2, 3, 4]], biases: [0.5, -0.5, 0] });`,
        `console.log(Array.from({ length: 30 }, (_, i) => i * 1.5), new Map([['a', { b: [1, { c: {} }] }]]), new Set(['x']));`,
        `console.log('%s has %d items costing %f: %j', 'cart', 3, '9.5', { ok: true }, 'extra');`,
      ].join('\n'),
    },
  },
  {
    name: 'hashes (md5, sha1, sha256, sha512) and os',
    files: {
      'main.mjs': [
        `import { createHash, createHmac } from 'node:crypto';`,
        `import os from 'node:os';`,
        `for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512']) console.log(algorithm, createHash(algorithm).update('iris').update(Buffer.from([1, 2])).digest('hex'));`,
        `console.log(createHash('sha256').update('x').digest('base64'), createHmac('sha256', 'key').update('msg').digest('hex'));`,
        `try { createHash('nope'); } catch (e) { console.log(e.message); }`,
        `console.log(os.cpus().length > 0, os.availableParallelism() > 0, JSON.stringify(os.EOL), os.platform());`,
      ].join('\n'),
    },
  },
  {
    name: 'file system errors name the path as given',
    files: {
      'main.mjs': [
        `import fs from 'node:fs';`,
        `fs.mkdirSync('d/sub', { recursive: true });`,
        `fs.writeFileSync('d/f.txt', 'x');`,
        `const tries = {`,
        `  readFile: () => fs.readFileSync('nope.txt'), readDir: () => fs.readFileSync('d'), write: () => fs.writeFileSync('no/x.txt', 'x'),`,
        `  mkdirExists: () => fs.mkdirSync('d'), readdir: () => fs.readdirSync('nope'), readdirFile: () => fs.readdirSync('d/f.txt'),`,
        `  stat: () => fs.statSync('nope'), rm: () => fs.rmSync('nope'), rmDir: () => fs.rmSync('d'), unlink: () => fs.unlinkSync('nope'),`,
        `  rmdirFull: () => fs.rmdirSync('d'), rename: () => fs.renameSync('nope', 'x'), copy: () => fs.copyFileSync('nope', 'x'), access: () => fs.accessSync('nope'),`,
        `};`,
        `for (const [k, f] of Object.entries(tries)) { try { f(); console.log(k, 'ok'); } catch (e) { console.log(k, '|', e.message, '|', e.code, e.errno, e.syscall, e.path, e.dest); } }`,
        `console.log(fs.statSync('nope', { throwIfNoEntry: false }), fs.readdirSync('d'), fs.mkdirSync('e/f/g', { recursive: true }).endsWith('/e'));`,
        `await fs.promises.readFile('nope.txt').catch((e) => console.log('promise', e.message));`,
      ].join('\n'),
    },
  },
  {
    name: 'Math gives the same bits',
    files: {
      'main.mjs': `const xs = Array.from({ length: 2000 }, (_, i) => (i - 1000) / 7.3);\nconsole.log(xs.map((x) => [Math.exp(x), Math.log(Math.abs(x) + 1e-3), x ** 2, Math.sqrt(Math.abs(x))]).flat().join(','));\n`,
    },
  },
  {
    name: 'events, timers with unref, and util',
    files: {
      'main.mjs': [
        `import { EventEmitter, once } from 'node:events';`,
        `import util from 'node:util';`,
        `const e = new EventEmitter();`,
        `e.on('tick', (n) => console.log('tick', n));`,
        `e.once('tick', () => console.log('first only'));`,
        `e.emit('tick', 1); e.emit('tick', 2);`,
        `console.log(e.listenerCount('tick'), e.eventNames());`,
        `setTimeout(() => e.emit('done', 42), 5);`,
        `console.log('once', await once(e, 'done'));`,
        `try { e.emit('error', new Error('boom')); } catch (err) { console.log('thrown', err.message); }`,
        `setInterval(() => console.log('never'), 1000).unref();`,
        `const sleep = util.promisify((ms, cb) => setTimeout(() => cb(null, ms), ms));`,
        `console.log('slept', await sleep(3), util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual([0], [-0]));`,
        `console.log(util.format('%s=%d', 'n', 5), util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }));`,
      ].join('\n'),
    },
  },
];

/** Output made comparable: the project's folder as /project, without Node's internal frames and version line. */
export function normaliseOutput(text: string, dir: string): string {
  return text
    .split(`file://${dir}`).join('file:///project')
    .split(dir).join('/project')
    .split('\n')
    .filter((line) => !/^\s+at .*node:/.test(line) && !/^Node\.js v/.test(line))
    .join('\n')
    .replace(/\n+$/, '\n');
}

async function runFilesWithNode(files: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'offline-behaviour-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return await new Promise((resolve) => {
      execFile(process.execPath, ['main.mjs'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: normaliseOutput(stdout + stderr, dir) });
      });
    });
  } finally {
    removeFolder(dir);
  }
}

/** A behaviour under real Node and in a runtime: exit codes and normalised outputs. */
export async function compareBehaviour(behaviour: Behaviour, runtime: LabRuntime) {
  const node = await runFilesWithNode(behaviour.files);
  await runtime.mount(behaviour.files);
  let text = '';
  const result = await runtime.run({ entry: 'main.mjs', timeoutMs: 20_000, onOutput: (chunk) => void (text += chunk) }).done;
  return { node, offline: { code: result.code, output: normaliseOutput(text, '/project') } };
}
