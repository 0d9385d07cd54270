/**
 * The WebContainer runtime: a real Node.js in the page through @webcontainer/api.
 *
 * Facts it is built around:
 * - only one WebContainer may exist per page, so it is booted once (on the first Run) and shared;
 * - boot() downloads its runtime from StackBlitz and never settles when that is unreachable, so every wait for it
 *   is raced against a time limit; a retry waits on the same boot again instead of booting twice;
 * - a spawned process's output is one stream with ANSI colours (stdout and stderr together).
 */
import { Delivery, OutputCap, truncationNotice, truncationSummary } from './output.ts';
import { STOPPED_MESSAGE, timeLimitMessage, type DirEntry, type LabRuntime, type ProjectFiles, type RunHandle, type RunOptions, type RunResult } from './types.ts';

/** The subset of @webcontainer/api that this adapter uses (the unit tests pass a fake with the same shape). */
export interface ProcessLike {
  output: ReadableStream<string>;
  exit: Promise<number>;
  kill(): void;
}
export interface WebContainerLike {
  mount(tree: FileTree): Promise<void>;
  spawn(command: string, args: string[], options?: { env?: Record<string, string> }): Promise<ProcessLike>;
  fs: {
    readFile(path: string, encoding: 'utf-8'): Promise<string>;
    writeFile(path: string, data: string): Promise<void>;
    readdir(path: string, options: { withFileTypes: true }): Promise<{ name: string; isDirectory(): boolean }[]>;
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
    rm(path: string, options: { recursive?: boolean; force?: boolean }): Promise<void>;
  };
  teardown(): void;
  /** `server-ready`: a process listens on `port`, reachable from the page at `url` (absent from test doubles). */
  on?(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
}
export interface WebContainerApi {
  boot(options?: { coep?: 'require-corp' | 'credentialless' | 'none'; workdirName?: string }): Promise<WebContainerLike>;
}
export type FileTree = { [name: string]: { file: { contents: string | Uint8Array } } | { directory: FileTree } };

export class BootTimeout extends Error {
  constructor(ms: number) {
    super(`WebContainers did not start within ${Math.round(ms / 1000)} s`);
    this.name = 'BootTimeout';
  }
}

/** The page's one boot (pending or done), shared by every caller and every retry. */
let booting: Promise<WebContainerLike> | null = null;
let booted: WebContainerLike | null = null;
let boots = 0;

/**
 * Boot WebContainers once per page and wait at most `timeoutMs` for it. A timeout leaves the boot running, so a
 * later call (Retry) waits on the same boot; a boot that failed is started again by the next call.
 */
export function bootWebContainer(api: WebContainerApi, timeoutMs: number): Promise<WebContainerLike> {
  if (!booting) {
    boots += 1;
    const attempt = api.boot({ coep: 'require-corp', workdirName: 'project' });
    booting = attempt.then(
      (instance) => (booted = instance),
      (error) => {
        if (booting === pending) booting = null;
        throw error;
      },
    );
    const pending = booting;
    pending.catch(() => {});
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BootTimeout(timeoutMs)), timeoutMs);
  });
  return Promise.race([booting, timeout]).finally(() => clearTimeout(timer));
}

/** Tear the page's WebContainer down (when the page goes away); a later boot starts afresh. */
export function teardownWebContainer(): void {
  booted?.teardown();
  booted = null;
  booting = null;
}

/** How many times boot() has been called on this page (for tests and diagnostics). */
export function bootCount(): number {
  return boots;
}

/** Forget everything (tests only). */
export function resetWebContainerForTests(): void {
  booted = null;
  booting = null;
  boots = 0;
}

/** Files by path (text, or bytes for binary files such as model weights) as WebContainers' mount tree. */
export function toTree(files: ProjectFiles | Record<string, string | Uint8Array>): FileTree {
  const root: FileTree = {};
  for (const [path, contents] of Object.entries(files)) {
    const parts = path.replace(/^\/+/, '').split('/');
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      const next = (node[dir] ??= { directory: {} });
      if (!('directory' in next)) throw new Error(`${dir} is a file, not a folder, in ${path}`);
      node = next.directory;
    }
    node[parts[parts.length - 1]] = { file: { contents } };
  }
  return root;
}

export class WebContainerRuntime implements LabRuntime {
  readonly kind = 'webcontainer' as const;
  private wc: WebContainerLike;
  private active: RunHandle | null = null;

  constructor(wc: WebContainerLike) {
    this.wc = wc;
  }

  async mount(files: ProjectFiles): Promise<void> {
    await this.wc.mount(toTree(files));
  }

  run(options: RunOptions): RunHandle {
    this.active?.kill();
    const timeoutMs = options.timeoutMs ?? 30_000;
    const started = performance.now();
    let settle!: (result: RunResult) => void;
    const done = new Promise<RunResult>((resolve) => (settle = resolve));
    let finished = false;
    let stopReason: 'killed' | 'timeout' | null = null;
    let process: ProcessLike | null = null;
    // The same bounds as the offline runtime: the head of the output up to the limit, then a count and the tail.
    const cap = new OutputCap(options.outputLimit);
    const delivery = new Delivery(options.onOutput);

    const finish = (code: number | null, reason: RunResult['reason'], message = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (this.active === handle) this.active = null;
      const truncation = cap.report();
      if (truncation) delivery.push(truncationSummary(truncation));
      delivery.push(message);
      const durationMs = performance.now() - started;
      void delivery.drained().then(() => settle({ code, reason, durationMs, truncation }));
    };
    const stop = (reason: 'killed' | 'timeout') => {
      if (finished || stopReason) return;
      stopReason = reason;
      process?.kill();
      finish(null, reason, reason === 'timeout' ? timeLimitMessage(timeoutMs) : STOPPED_MESSAGE);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const handle: RunHandle = { done, kill: () => stop('killed') };
    this.active = handle;

    this.wc
      .spawn('node', [options.entry, ...(options.args ?? [])], { env: options.env })
      .then((spawned) => {
        process = spawned;
        if (stopReason) {
          spawned.kill();
          return;
        }
        spawned.output
          .pipeTo(
            new WritableStream({
              write: (chunk) => {
                if (stopReason || finished) return;
                const wasTruncated = cap.truncated;
                delivery.push(cap.take(chunk));
                if (cap.truncated && !wasTruncated) delivery.push(truncationNotice(cap.limit));
              },
            }),
          )
          .catch(() => {});
        spawned.exit.then((code) => finish(code, 'exit'));
      })
      .catch((error: unknown) => {
        finish(null, 'error', `\r\n\x1b[31mCould not start node: ${error instanceof Error ? error.message : String(error)}\x1b[0m\r\n`);
      });
    return handle;
  }

  async readFile(path: string): Promise<string | null> {
    try {
      return await this.wc.fs.readFile(path, 'utf-8');
    } catch {
      return null;
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (dir) await this.wc.fs.mkdir(dir, { recursive: true });
    await this.wc.fs.writeFile(path, content);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    try {
      const entries = await this.wc.fs.readdir(path || '.', { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, directory: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return [];
    }
  }

  async remove(path: string): Promise<void> {
    await this.wc.fs.rm(path, { recursive: true, force: true });
  }

  async dispose(): Promise<void> {
    this.active?.kill();
  }
}
