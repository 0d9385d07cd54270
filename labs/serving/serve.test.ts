/**
 * serve.mjs under real Node: the lab's server files over real HTTP with the real dense MNIST model (tfjs's CPU
 * backend), the same contract suite the lab runs in the page, and every way a start can fail, each a one-line message
 * and exit code 1. Every child is spawned with this Node, waited for with a limit, and killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistDir } from '../../src/labkit/ml/node.ts';
import { loadMnist, PIXELS } from '../../src/labkit/ml/data.ts';
import { inferBody } from './server/contract.mjs';
import { DENSE_MNIST } from './server/mnist-dense.mjs';

const SERVE = fileURLToPath(new URL('./server/serve.mjs', import.meta.url));
const server = (name: string) => fileURLToPath(new URL(`./server/${name}`, import.meta.url));
/** Far above a start on the shared build machine (a few seconds), so only a hang reaches it. */
const LIMIT_MS = 45_000;

const children = new Set<ChildProcess>();
const scratch = mkdtempSync(join(tmpdir(), 'serve-test-'));
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

type Start = { listening: true; origin: string; child: ChildProcess } | { listening: false; code: number | null; stderr: string };

/** Starts serve.mjs on a free port: resolves with the origin it prints, or with how it ended if it never listened. */
function start(args: string[]): Promise<Start> {
  const child = spawn(process.execPath, [SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve.mjs neither listened nor exited within ${LIMIT_MS} ms; stderr: ${stderr}`));
    }, LIMIT_MS);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.match(/^listening on (http:\/\/localhost:\d+)\n/);
      if (line) {
        clearTimeout(timer);
        resolve({ listening: true, origin: line[1]!, child });
      }
    });
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ listening: false, code, stderr });
    });
  });
}

async function listening(args: string[]) {
  const started = await start(['--port', '0', ...args]);
  if (!started.listening) throw new Error(`serve.mjs exited with ${started.code}: ${started.stderr}`);
  return started;
}

/** A refused start: the exit code and the one line it printed. */
async function refused(args: string[]) {
  const started = await start(args);
  if (started.listening) throw new Error(`serve.mjs listened on ${started.origin}; it should have refused`);
  return { code: started.code, lines: started.stderr.trim().split('\n') };
}

const CHECK = fileURLToPath(new URL('./server/check.mjs', import.meta.url));

/** Runs check.mjs (the contract suite over HTTP, as a student runs it) against `origin`. */
function check(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CHECK, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`check.mjs did not end within ${LIMIT_MS} ms; stderr: ${stderr}`));
    }, LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

async function contractOver(origin: string) {
  const { code, stdout } = await check([origin, '--json']);
  return { code, outcomes: JSON.parse(stdout) as { name: string; passed: boolean; message?: string }[] };
}

describe('serve.mjs: the reference server with the real model over HTTP', () => {
  let origin = '';
  beforeAll(async () => {
    ({ origin } = await listening([server('reference.mjs')]));
  });

  it('passes every case of the contract suite, run over HTTP by check.mjs, which exits with 0', async () => {
    const { code, outcomes } = await contractOver(origin);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(14);
    expect(code).toBe(0);
    const human = await check([origin]);
    expect(human.stdout).toMatch(/^✓ GET \/v2\/health\/live answers \{ live: true \}$/m);
    expect(human.stdout.trim().split('\n').at(-1)).toBe(`${outcomes.length} of ${outcomes.length} cases pass`);
  });

  it('classifies real MNIST test digits: each row is probabilities, and the argmax is almost always the label', async () => {
    const digits = await loadMnist(mnistDir(), 'test', 50);
    const rows = Array.from({ length: digits.count }, (_, r) => Array.from(digits.images.subarray(r * PIXELS, (r + 1) * PIXELS), (v) => v / 255));
    const response = await fetch(`${origin}/v2/models/${DENSE_MNIST.name}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(inferBody(DENSE_MNIST, rows, 'digits')) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const answer = (await response.json()) as { id: string; outputs: { shape: number[]; data: number[] }[] };
    expect(answer.id).toBe('digits');
    expect(answer.outputs[0]!.shape).toEqual([digits.count, 10]);
    const data = answer.outputs[0]!.data;
    let correct = 0;
    for (let r = 0; r < digits.count; r++) {
      const row = data.slice(r * 10, r * 10 + 10);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(Math.min(...row)).toBeGreaterThanOrEqual(0);
      if (row.indexOf(Math.max(...row)) === digits.labels[r]) correct++;
    }
    // The model scores 97.8% on the 5,000 test images; 45 of these 50 is a loose floor a wrong input layout misses.
    expect(correct).toBeGreaterThanOrEqual(45);
  });

  it('answers an unknown path with the server\'s own 404', async () => {
    const response = await fetch(`${origin}/nowhere?x=1`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no route for GET /nowhere' });
  });
});

describe('serve.mjs: what the host answers for a broken handler', () => {
  it('the starter fails only validation cases of infer, and a bad body makes it throw: 500 with the error', async () => {
    const { origin } = await listening([server('starter.mjs')]);
    const { code, outcomes } = await contractOver(origin);
    expect(code).toBe(1);
    expect(outcomes.slice(0, 7).every((o) => o.passed)).toBe(true);
    const failed = outcomes.filter((o) => !o.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((o) => o.name.endsWith('answers 400'))).toBe(true);
    const response = await fetch(`${origin}/v2/models/${DENSE_MNIST.name}/infer`, { method: 'POST', body: '{"inputs": [' });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-served-by')).toBe('lab-host');
    expect((await response.json()).error).toMatch(/^the server threw SyntaxError: /);
  });

  it('a handler that throws answers 500, one that returns no Response 500, and one that never answers 504', async () => {
    const file = scratchFile(
      'broken.mjs',
      `export default {
        fetch(request) {
          const { pathname } = new URL(request.url);
          if (pathname === '/throw') throw new RangeError('boom');
          if (pathname === '/text') return 'ok';
          return new Promise(() => {});
        },
      };`,
    );
    const { origin } = await listening([file]);
    const thrown = await fetch(`${origin}/throw`);
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ error: 'the server threw RangeError: boom' });
    const text = await fetch(`${origin}/text`);
    expect(text.status).toBe(500);
    expect(await text.json()).toEqual({ error: 'the handler returned string, not a Response' });
    const never = await fetch(`${origin}/never`, { signal: AbortSignal.timeout(LIMIT_MS) });
    expect(never.status).toBe(504);
    expect((await never.json()).error).toMatch(/did not answer within \d+ ms/);
  });
});

describe('serve.mjs: a start that cannot work says why in one line and exits with 1', () => {
  it('a port already in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const { code, lines } = await refused([server('reference.mjs'), '--port', String(port)]);
      expect(code).toBe(1);
      expect(lines).toEqual([`serve.mjs: port ${port} is already in use: stop what listens there, or pick another port with --port`]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('a file without a fetch handler, a file that does not load, and no file at all', async () => {
    const plain = scratchFile('plain.mjs', 'export const x = 1;\n');
    const noHandler = await refused([plain]);
    expect(noHandler.code).toBe(1);
    expect(noHandler.lines).toEqual([`serve.mjs: ${plain}: your server must end with \`export default { fetch(request, env) { … } }\` (or export a Hono app as default)`]);
    const broken = await refused([scratchFile('broken-syntax.mjs', 'export default {\n')]);
    expect(broken.code).toBe(1);
    expect(broken.lines).toHaveLength(1);
    expect(broken.lines[0]).toMatch(/your server does not load: SyntaxError: /);
    const missing = await refused([join(scratch, 'nowhere.mjs')]);
    expect(missing).toEqual({ code: 1, lines: [`serve.mjs: no server file at ${join(scratch, 'nowhere.mjs')}`] });
  });

  it('a folder without a model, and a model of the wrong shape', async () => {
    const none = await refused([server('reference.mjs'), '--model', scratch]);
    expect(none).toEqual({ code: 1, lines: [`serve.mjs: no model at ${join(scratch, 'model.json')}: pass --model <folder with model.json and its weight files>`] });
    const cnn = fileURLToPath(new URL('../../public/models/cnn', import.meta.url));
    const wrong = await refused([server('reference.mjs'), '--model', cnn]);
    expect(wrong.code).toBe(1);
    expect(wrong.lines).toHaveLength(1);
    expect(wrong.lines[0]).toMatch(/maps \[null,28,28,1\] → \[null,10\]; mnist-dense takes \[batch, 784\]/);
  });

  it('no server file or an unknown option prints the usage, and a port out of range says so', async () => {
    expect(await refused([])).toEqual({ code: 1, lines: ['serve.mjs: usage: node serve.mjs <server-file> [--port 8080] [--model <folder with model.json>]'] });
    const unknown = await refused([server('reference.mjs'), '--prot', '80']);
    expect(unknown.code).toBe(1);
    expect(unknown.lines[0]).toMatch(/^serve\.mjs: Unknown option '--prot'; usage: /);
    expect(await refused([server('reference.mjs'), '--port', '70000'])).toEqual({ code: 1, lines: ['serve.mjs: --port must be a whole number from 0 to 65535, got "70000"'] });
  });
});

describe('check.mjs: where nothing answers', () => {
  it('says so in one line and exits with 2; a nonsense address gets the usage', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    await new Promise((resolve) => blocker.close(resolve));
    const none = await check([`http://127.0.0.1:${port}`]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(`check.mjs: nothing answers at http://127.0.0.1:${port}/: is your server running (node serve.mjs server.mjs)?`);
    const nonsense = await check(['not a url']);
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toMatch(/^check\.mjs: "not a url" is not a URL; usage: /);
  });
});

describe('serve.mjs: stopping', () => {
  it('SIGTERM closes the server, open connections included, and exits with 0', async () => {
    const { origin, child } = await listening([server('reference.mjs')]);
    // A kept-alive connection that would hold a plain close() open.
    expect((await fetch(`${origin}/v2/health/live`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
