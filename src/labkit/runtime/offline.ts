/**
 * The offline runtime: runs the lab's Node.js files in a Web Worker, with an in-memory file system.
 * The page keeps the files (a MemFS); each run gets a fresh worker with a snapshot, and the worker sends back its
 * output and file changes in batches as it goes, so a run's records survive even when the run is stopped.
 *
 * Whatever the program does, the page's work is bounded: at most a few messages per 50 ms, at most
 * `outputLimit` characters of output shown (then a count and the tail), and the time limit is enforced both by
 * the worker (when the program prints or writes) and by the page's own timer, which a bounded stream of messages
 * cannot starve. Stop terminates the worker at once.
 */
import { isFsChange, MemFS } from './memfs.ts';
import type { WorkerMessage } from './offline/serve.ts';
import { Delivery, DEFAULT_OUTPUT_LIMIT, truncationNotice, truncationSummary, type Truncation } from './output.ts';
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
/** Bytes of files a program may hold in memory (all files together). */
export const DEFAULT_FILE_LIMIT_BYTES = 256 * 2 ** 20;
/** Files at least this large stay out of the page's memory (as Blobs) and are passed to each run by reference. */
export const LARGE_FILE_BYTES = 2 ** 20;

export interface OfflineRuntimeOptions {
  fileLimitBytes?: number;
  /** Keep large files as Blobs (the browser; the worker reads them with FileReaderSync). */
  largeFilesAsBlobs?: boolean;
}

export class OfflineRuntime implements LabRuntime {
  readonly kind = 'offline' as const;
  readonly fs: MemFS;
  private active: { kill(): void } | null = null;
  private createWorker: () => WorkerLike;
  private fileLimitBytes: number;

  constructor(createWorker: () => WorkerLike, options: OfflineRuntimeOptions = {}) {
    this.createWorker = createWorker;
    this.fileLimitBytes = options.fileLimitBytes ?? DEFAULT_FILE_LIMIT_BYTES;
    this.fs = new MemFS({ largeFileBytes: options.largeFilesAsBlobs ? LARGE_FILE_BYTES : undefined });
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
    const outputLimit = options.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
    const started = performance.now();
    const worker = this.createWorker();
    const delivery = new Delivery(options.onOutput);
    let truncation: Truncation | null = null;
    let settle!: (result: RunResult) => void;
    const done = new Promise<RunResult>((resolve) => (settle = resolve));
    let finished = false;
    const finish = (code: number | null, reason: RunResult['reason'], message = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      if (this.active === handle) this.active = null;
      if (truncation) delivery.push(truncationSummary(truncation));
      delivery.push(message);
      const durationMs = performance.now() - started;
      void delivery.drained().then(() => settle({ code, reason, durationMs, truncation }));
    };
    const timedOut = () => finish(null, 'timeout', timeLimitMessage(timeoutMs));
    worker.onmessage = ({ data }) => {
      if (finished) return;
      const message = data as WorkerMessage;
      if (!message || typeof message !== 'object') return;
      if (message.type === 'batch') {
        for (const change of Array.isArray(message.fs) ? message.fs : []) if (isFsChange(change)) this.fs.apply(change);
        if (typeof message.output === 'string') delivery.push(message.output);
        if (message.truncation && typeof message.truncation.droppedChars === 'number') {
          if (!truncation) delivery.push(truncationNotice(outputLimit));
          truncation = message.truncation;
        }
        if (performance.now() - started > timeoutMs) timedOut();
      } else if (message.type === 'deadline') timedOut();
      else if (message.type === 'exit' && typeof message.code === 'number') finish(message.code, 'exit');
    };
    worker.onerror = (event) => finish(null, 'error', `\r\n\x1b[31mThe offline runtime failed: ${event.message ?? 'unknown error'}\x1b[0m\r\n`);
    const timer = setTimeout(timedOut, timeoutMs);
    const handle: RunHandle = { done, kill: () => finish(null, 'killed', STOPPED_MESSAGE) };
    this.active = handle;
    worker.postMessage({
      type: 'run',
      snapshot: this.fs.snapshot(),
      cwd: PROJECT_ROOT,
      entry: options.entry,
      args: options.args ?? [],
      env: { HOME: '/home/student', PATH: '/usr/local/bin:/usr/bin:/bin', ...(options.env ?? {}) },
      timeoutMs,
      outputLimit,
      fileLimitBytes: this.fileLimitBytes,
    });
    return handle;
  }

  async readFile(path: string): Promise<string | null> {
    const target = this.abs(path);
    return this.fs.stat(target)?.file ? new TextDecoder().decode(await this.fs.readAsync(target)) : null;
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
    this.fs.mkdir(PROJECT_ROOT, true);
  }

  async dispose(): Promise<void> {
    this.active?.kill();
  }
}

/**
 * The offline runtime with a browser Web Worker. Vite bundles `offline/worker.ts` into its own chunk, served from
 * the site as `/_astro/worker-<hash>.js` (a module worker, same origin); the program's modules are blob: URLs.
 */
export function createBrowserOfflineRuntime(options: OfflineRuntimeOptions = {}): OfflineRuntime {
  return new OfflineRuntime(
    () => new Worker(new URL('./offline/worker.ts', import.meta.url), { type: 'module', name: 'labkit-offline-runtime' }) as unknown as WorkerLike,
    { largeFilesAsBlobs: true, ...options },
  );
}
