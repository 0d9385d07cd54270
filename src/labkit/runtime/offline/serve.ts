/**
 * The worker side of the offline runtime: receives a snapshot of the project's files, runs one program, and sends
 * back its output, every change it makes to the files, and its exit code. The same code serves a browser Web Worker
 * (worker.ts) and a Node worker thread (node-worker.ts, used by the tests and the benchmark).
 */
import { MemFS, type FsChange } from '../memfs.ts';
import { startProgram } from './loader.ts';

export interface RunMessage {
  type: 'run';
  snapshot: [string, Uint8Array | null][];
  cwd: string;
  entry: string;
  args: string[];
  env: Record<string, string>;
}

export type WorkerMessage =
  | { type: 'output'; data: string }
  | { type: 'fs'; change: FsChange }
  | { type: 'exit'; code: number };

export interface WorkerSide {
  post(message: WorkerMessage): void;
  listen(handler: (message: RunMessage) => void): void;
  /** Where unhandled promise rejections are reported. */
  onUnhandled(handler: (reason: unknown) => void): void;
  makeUrl(code: string): string;
  revokeUrl?(url: string): void;
  importUrl?(url: string): Promise<unknown>;
}

export function serve(side: WorkerSide): void {
  let report: (reason: unknown) => void = () => {};
  side.onUnhandled((reason) => report(reason));
  side.listen((message) => {
    if (message.type !== 'run') return;
    const fs = MemFS.fromSnapshot(message.snapshot);
    fs.onChange = (change) => side.post({ type: 'fs', change });
    const program = startProgram({
      fs,
      cwd: message.cwd,
      entry: message.entry,
      argv: ['/usr/local/bin/node', `${message.cwd}/${message.entry}`, ...message.args],
      env: message.env,
      write: (data) => side.post({ type: 'output', data }),
      makeUrl: side.makeUrl,
      revokeUrl: side.revokeUrl,
      importUrl: side.importUrl,
    });
    report = program.uncaught;
    program.exited.then((code) => side.post({ type: 'exit', code }));
  });
}
