/**
 * The offline runtime: runs the lab's Node.js files in a Web Worker, with an in-memory file system.
 * The page keeps the files (a MemFS); each run gets a fresh worker with a copy, and the worker sends back every
 * change as it happens, so a run's records survive even when the run is stopped.
 */
import { MemFS } from './memfs.ts';
import type { WorkerMessage } from './offline/serve.ts';
import { STOPPED_MESSAGE, timeLimitMessage, type DirEntry, type LabRuntime, type ProjectFiles, type RunHandle, type RunOptions, type RunResult } from './types.ts';

/** The part of the Worker API the runtime uses (a browser Worker, or an adapter over a Node worker thread). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

export const PROJECT_ROOT = '/project';
export const DEFAULT_TIMEOUT_MS = 30_000;

export class OfflineRuntime implements LabRuntime {
  readonly kind = 'offline' as const;
  readonly fs = new MemFS();
  private active: { kill(): void } | null = null;
  private createWorker: () => WorkerLike;

  constructor(createWorker: () => WorkerLike) {
    this.createWorker = createWorker;
    this.fs.mkdir(PROJECT_ROOT, true);
  }

  private abs(path: string): string {
    return `${PROJECT_ROOT}/${path.replace(/^\/+/, '')}`;
  }

  async mount(files: ProjectFiles): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      const target = this.abs(path);
      this.fs.mkdir(target.slice(0, target.lastIndexOf('/')), true);
      this.fs.write(target, text);
    }
  }

  run(options: RunOptions): RunHandle {
    this.active?.kill();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    const worker = this.createWorker();
    let settle!: (result: RunResult) => void;
    const done = new Promise<RunResult>((resolve) => (settle = resolve));
    let finished = false;
    const finish = (code: number | null, reason: RunResult['reason']) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      if (this.active === handle) this.active = null;
      settle({ code, reason, durationMs: performance.now() - started });
    };
    worker.onmessage = ({ data }) => {
      const message = data as WorkerMessage;
      if (message.type === 'output') options.onOutput(message.data);
      else if (message.type === 'fs') this.fs.apply(message.change);
      else if (message.type === 'exit') finish(message.code, 'exit');
    };
    worker.onerror = (event) => {
      options.onOutput(`\r\n\x1b[31mThe offline runtime failed: ${event.message ?? 'unknown error'}\x1b[0m\r\n`);
      finish(null, 'error');
    };
    const timer = setTimeout(() => {
      options.onOutput(timeLimitMessage(timeoutMs));
      finish(null, 'timeout');
    }, timeoutMs);
    const handle: RunHandle = {
      done,
      kill: () => {
        if (finished) return;
        options.onOutput(STOPPED_MESSAGE);
        finish(null, 'killed');
      },
    };
    this.active = handle;
    worker.postMessage({
      type: 'run',
      snapshot: this.fs.snapshot(),
      cwd: PROJECT_ROOT,
      entry: options.entry,
      args: options.args ?? [],
      env: { HOME: '/home/student', PATH: '/usr/local/bin:/usr/bin:/bin', ...(options.env ?? {}) },
    });
    return handle;
  }

  async readFile(path: string): Promise<string | null> {
    const target = this.abs(path);
    return this.fs.stat(target)?.file ? this.fs.readText(target) : null;
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.mount({ [path]: content });
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const target = this.abs(path);
    return this.fs.isDir(target) ? this.fs.readdir(target) : [];
  }

  async remove(path: string): Promise<void> {
    this.fs.rm(this.abs(path), { recursive: true, force: true });
  }

  async dispose(): Promise<void> {
    this.active?.kill();
  }
}

/** The offline runtime with a browser Web Worker (bundled by Vite). */
export function createBrowserOfflineRuntime(): OfflineRuntime {
  return new OfflineRuntime(
    () => new Worker(new URL('./offline/worker.ts', import.meta.url), { type: 'module', name: 'labkit-offline-runtime' }) as unknown as WorkerLike,
  );
}
