/**
 * The worker side of the offline runtime: receives a snapshot of the project's files, runs one program, and sends
 * back its output and its file changes in batches (outbox.ts), then its exit code. It also stops forwarding once
 * the time limit has passed, telling the page so, which does not depend on the page's own timer.
 * The same code serves a browser Web Worker (worker.ts) and a Node worker thread (node-worker.ts, used by the tests
 * and the benchmark).
 */
import { MemFS, type SnapshotEntry } from '../memfs.ts';
import { installNodeMath } from './fdlibm.ts';
import { startProgram } from './loader.ts';
import { lockNetwork, trackNativeWork } from './lockdown.ts';
import { Outbox, type Batch } from './outbox.ts';

export interface RunMessage {
  type: 'run';
  snapshot: SnapshotEntry[];
  cwd: string;
  entry: string;
  args: string[];
  env: Record<string, string>;
  /** Stop forwarding after this many milliseconds and say so ('deadline'). */
  timeoutMs: number;
  /** Characters of output forwarded per run. */
  outputLimit: number;
  /** Bytes all files may hold together. */
  fileLimitBytes: number;
}

export type WorkerMessage = Batch | { type: 'exit'; code: number } | { type: 'deadline' };

export interface WorkerSide {
  post(message: WorkerMessage): void;
  listen(handler: (message: RunMessage) => void): void;
  /** Where uncaught errors and unhandled promise rejections are reported. */
  onUncaught(handlers: { error: (error: unknown) => void; rejection: (reason: unknown) => void }): void;
  makeUrl(code: string): string;
  revokeUrl?(url: string): void;
  importUrl(url: string): Promise<unknown>;
  /** Reads a Blob synchronously (FileReaderSync in a Web Worker). */
  readBlobSync?: (blob: Blob) => Uint8Array;
  /** The worker's global object: the program's globals are installed there, the network is taken away. */
  scope: Record<string, unknown>;
}

export function serve(side: WorkerSide): void {
  let handlers = { error: (_e: unknown) => {}, rejection: (_r: unknown) => {} };
  side.onUncaught({ error: (e) => handlers.error(e), rejection: (r) => handlers.rejection(r) });
  let started = false;
  side.listen((message) => {
    if (message.type !== 'run' || started) return;
    started = true;
    const begin = performance.now();
    let late = false;
    const outbox = new Outbox({
      post: (batch) => side.post(batch),
      now: () => performance.now(),
      later: (fn, ms) => setTimeout(fn, ms),
      outputLimit: message.outputLimit,
    });
    /** Checked on every output and file change: a program that prints or writes in a loop meets its limit here. */
    const inTime = () => {
      if (late) return false;
      if (performance.now() - begin <= message.timeoutMs) return true;
      late = true;
      outbox.flush();
      side.post({ type: 'deadline' });
      return false;
    };
    const fs = MemFS.fromSnapshot(message.snapshot, { limitBytes: message.fileLimitBytes, readBlobSync: side.readBlobSync });
    fs.onChange = (change) => {
      if (inTime()) outbox.fsChange(change);
    };
    lockNetwork(side.scope);
    installNodeMath(side.scope.Math as Math);
    const program = startProgram({
      fs,
      cwd: message.cwd,
      entry: message.entry,
      argv: ['/usr/local/bin/node', `${message.cwd}/${message.entry}`, ...message.args],
      env: message.env,
      write: (data) => {
        if (inTime()) outbox.output(data);
      },
      makeUrl: side.makeUrl,
      revokeUrl: side.revokeUrl,
      importUrl: side.importUrl,
      scope: side.scope,
    });
    trackNativeWork(side.scope as { WebAssembly?: unknown; crypto?: Crypto }, (p) => program.host.track(p));
    handlers = { error: program.uncaught, rejection: program.unhandledRejection };
    program.exited.then((code) => {
      outbox.flush();
      side.post({ type: 'exit', code });
    });
  });
}
