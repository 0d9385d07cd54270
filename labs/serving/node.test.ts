/**
 * The WebContainers path of the serving lab, with this machine's Node standing in for the container: the project the
 * lab mounts, the commands it runs (npm install, node serve.mjs, node check.mjs) and how each failure reads. The
 * stand-in runs the very commands in a scratch folder; only `npm install` is replaced by a link to this repository's
 * node_modules (the registry is not reachable in the tests), and `server-ready` is raised when the server says it
 * listens, as WebContainers raise it when a port opens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileTree, ProcessLike, WebContainerLike } from '../../src/labkit/runtime/webcontainer.ts';
import { NODE_DEPENDENCIES, nodeProject, runInNode } from './node.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const source = (name: string) => readFileSync(new URL(`./server/${name}`, import.meta.url), 'utf8');
const readAsset = async (path: string) => new Uint8Array(readFileSync(join(REPO, 'public', path)));

const children = new Set<ChildProcess>();
const scratch: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A free port on this machine. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A process whose output is a stream of text, as WebContainers give it. */
function processOf(child: ChildProcess): ProcessLike {
  children.add(child);
  const output = new ReadableStream<string>({
    start(controller) {
      let open = 2;
      const end = () => --open === 0 && controller.close();
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => controller.enqueue(text));
        stream.on('end', end);
      }
    },
  });
  const exit = new Promise<number>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code ?? 1))));
  return { output, exit, kill: () => child.kill() };
}

/** What a finished process looks like: fixed output and exit code. */
function finished(text: string, code: number): ProcessLike {
  return { output: new ReadableStream<string>({ start: (c) => (c.enqueue(text), c.close()) }), exit: Promise.resolve(code), kill: () => undefined };
}

class LocalContainer implements WebContainerLike {
  readonly dir = mkdtempSync(join(tmpdir(), 'serving-node-'));
  private readonly listeners = new Set<(port: number, url: string) => void>();
  constructor(private readonly npm: () => ProcessLike = () => finished('added 0 packages\n', 0)) {
    scratch.push(this.dir);
  }
  async mount(tree: FileTree, at = this.dir): Promise<void> {
    for (const [name, node] of Object.entries(tree)) {
      const path = join(at, name);
      if ('directory' in node) {
        mkdirSync(path, { recursive: true });
        await this.mount(node.directory, path);
      } else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, node.file.contents);
      }
    }
  }
  async spawn(command: string, args: string[]): Promise<ProcessLike> {
    if (command === 'npm') {
      symlinkSync(join(REPO, 'node_modules'), join(this.dir, 'node_modules'), 'dir');
      return this.npm();
    }
    const child = spawn(process.execPath, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => {
      const port = String(chunk).match(/listening on http:\/\/localhost:(\d+)/)?.[1];
      if (port) for (const listener of this.listeners) listener(Number(port), `http://localhost:${port}`);
    });
    return processOf(child);
  }
  on(_event: 'server-ready', listener: (port: number, url: string) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  fs = {} as WebContainerLike['fs'];
  teardown() {}
}

describe('the project the lab mounts in WebContainers', () => {
  it('holds the server file, the server folder, the model and a package.json asking for the lab’s tfjs', async () => {
    const files = await nodeProject('export default { fetch() {} }', readAsset);
    expect(Object.keys(files).sort()).toEqual(['check.mjs', 'contract.mjs', 'host.mjs', 'mnist-dense.mjs', 'model/model.json', 'model/weights.bin', 'package.json', 'serve.mjs', 'server.mjs']);
    expect(JSON.parse(files['package.json'] as string)).toMatchObject({ type: 'module', dependencies: NODE_DEPENDENCIES });
    expect(NODE_DEPENDENCIES).toEqual({ '@tensorflow/tfjs': expect.stringMatching(/^\^4\./), hono: expect.stringMatching(/^\^4\./) });
    expect(files['serve.mjs']).toBe(source('serve.mjs'));
    expect((files['model/weights.bin'] as Uint8Array).byteLength).toBe(readFileSync(join(REPO, 'public/models/dense/weights.bin')).byteLength);
  });
});

describe('running it: npm install, node serve.mjs, node check.mjs', () => {
  it('the reference server passes the contract test over HTTP, and the page learns its URL', async () => {
    const wc = new LocalContainer();
    const port = await freePort();
    let log = '';
    const server = await runInNode(wc, await nodeProject(source('reference.mjs'), readAsset), (text) => (log += text), port);
    try {
      expect(server.outcomes.filter((o) => !o.passed)).toEqual([]);
      expect(server.outcomes.length).toBeGreaterThanOrEqual(14);
      expect(server.url).toBe(`http://localhost:${port}`);
      expect(log).toContain('$ npm install');
      expect(log).toContain(`listening on http://localhost:${port}`);
      expect(log).toContain(`${server.outcomes.length} of ${server.outcomes.length} contract cases pass`);
    } finally {
      server.stop();
    }
  });

  // Both starters run (the Hono one imports Hono from the installed package), answer health and metadata, and fail
  // the validation cases of infer.
  for (const starter of ['starter.mjs', 'starter-hono.mjs']) {
    it(`${starter} runs, answers health and metadata, and fails infer's validation`, async () => {
      const server = await runInNode(new LocalContainer(), await nodeProject(source(starter), readAsset), () => undefined, await freePort());
      try {
        expect(server.outcomes.slice(0, 5).every((o) => o.passed)).toBe(true);
        expect(server.outcomes.some((o) => !o.passed)).toBe(true);
      } finally {
        server.stop();
      }
    });
  }

  it('a server file without a fetch handler stops the start, with serve.mjs’s reason', async () => {
    const files = await nodeProject('export const x = 1;', readAsset);
    await expect(runInNode(new LocalContainer(), files, () => undefined, await freePort())).rejects.toThrow(/^the server stopped before it listened \(exit code 1\): serve\.mjs: .*export default \{ fetch/);
  });

  it('a port already in use stops the start with that reason', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const files = await nodeProject(source('reference.mjs'), readAsset);
      await expect(runInNode(new LocalContainer(), files, () => undefined, port)).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a failed npm install says so, with npm’s last line and that it needs the registry', async () => {
    const wc = new LocalContainer(() => finished('npm ERR! code ENOTFOUND\nnpm ERR! network request to https://registry.npmjs.org/@tensorflow%2ftfjs failed\n', 1));
    const files = await nodeProject(source('reference.mjs'), readAsset);
    await expect(runInNode(wc, files, () => undefined, await freePort())).rejects.toThrow(/^npm install failed with exit code 1: npm ERR! network request .* failed\. WebContainers fetch packages from the npm registry/);
  });
});
