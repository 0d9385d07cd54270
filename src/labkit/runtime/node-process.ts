/**
 * A lab runtime over a temporary folder and real Node.js processes: what WebContainers run, at the speed of a
 * process start. For the unit tests (a workflow of many steps runs in seconds) and for comparing runtimes; never
 * bundled for the page.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { STOPPED_MESSAGE, timeLimitMessage, type DirEntry, type LabRuntime, type ProjectFiles, type RunHandle, type RunOptions, type RunResult } from './types.ts';

export class NodeProcessRuntime implements LabRuntime {
  readonly kind = 'webcontainer' as const;
  readonly dir: string;
  private node: string;

  constructor(node = process.execPath) {
    this.dir = mkdtempSync(join(tmpdir(), 'lab-runtime-'));
    this.node = node;
  }

  private abs(path: string): string {
    return join(this.dir, path.replace(/^\/+/, ''));
  }

  async mount(files: ProjectFiles): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(this.abs(path)), { recursive: true });
      writeFileSync(this.abs(path), text);
    }
  }

  run(options: RunOptions): RunHandle {
    const started = performance.now();
    const child = spawn(this.node, [options.entry, ...(options.args ?? [])], { cwd: this.dir, env: { PATH: process.env.PATH ?? '', HOME: this.dir, ...(options.env ?? {}) } });
    let finished = false;
    let settle!: (result: RunResult) => void;
    const done = new Promise<RunResult>((resolve) => (settle = resolve));
    const chunks: Promise<unknown>[] = [];
    const forward = (data: Buffer) => {
      if (!finished) chunks.push(Promise.resolve(options.onOutput(data.toString('utf8'))));
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const finish = (code: number | null, reason: RunResult['reason'], message = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (message) chunks.push(Promise.resolve(options.onOutput(message)));
      void Promise.all(chunks).then(() => settle({ code, reason, durationMs: performance.now() - started }));
    };
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null, 'timeout', timeLimitMessage(timeoutMs));
    }, timeoutMs);
    child.on('close', (code) => finish(code, 'exit'));
    child.on('error', (error) => finish(null, 'error', `Could not start node: ${error.message}\n`));
    return {
      done,
      kill: () => {
        child.kill('SIGKILL');
        finish(null, 'killed', STOPPED_MESSAGE);
      },
    };
  }

  async readFile(path: string): Promise<string | null> {
    try {
      return readFileSync(this.abs(path), 'utf8');
    } catch {
      return null;
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.mount({ [path]: content });
  }

  async readdir(path: string): Promise<DirEntry[]> {
    try {
      return readdirSync(this.abs(path))
        .sort()
        .map((name) => ({ name, directory: statSync(join(this.abs(path), name)).isDirectory() }));
    } catch {
      return [];
    }
  }

  async remove(path: string): Promise<void> {
    rmSync(this.abs(path), { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  async dispose(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
