/**
 * The lab runtime: one interface for running a lab's Node.js project in the page, whichever engine runs it.
 *
 * - `webcontainer`: a real Node.js in the page (@webcontainer/api), which needs StackBlitz and cross-origin isolation;
 * - `offline`: a Web Worker with an in-memory file system and shims for the Node built-ins the labs use.
 */

export type RuntimeKind = 'webcontainer' | 'offline';

/** A project's files: path relative to the project root (POSIX, no leading slash) -> text. */
export type ProjectFiles = Record<string, string>;

import type { OutputConsumer, Truncation } from './output.ts';

export type { Truncation };

export interface RunOptions {
  /** The script to run with `node`, relative to the project root, e.g. `pipeline.mjs`. */
  entry: string;
  args?: string[];
  env?: Record<string, string>;
  /** Stop the program after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /**
   * Output as one stream with ANSI colours, stdout and stderr together, as a terminal shows it. Return a promise
   * (xterm's write callback) to pace delivery: the next chunk waits for it, and chunks that came meanwhile are
   * joined. Delivery is in order; `done` settles after the last chunk was consumed.
   */
  onOutput: OutputConsumer;
  /**
   * Characters of output shown per run (default 200 000). Past it the output is counted, not shown; the terminal
   * gets one line saying so at once, and at the end the count and the last lines (see RunResult.truncation).
   */
  outputLimit?: number;
}

export type ExitReason = 'exit' | 'killed' | 'timeout' | 'error';

export interface RunResult {
  /** The exit code; null when the program was stopped before it ended. */
  code: number | null;
  reason: ExitReason;
  durationMs: number;
  /** What was left out of the output when it passed outputLimit; null (or absent) when nothing was. */
  truncation?: Truncation | null;
}

export interface RunHandle {
  /** Settles when the program ends or is stopped. */
  done: Promise<RunResult>;
  /** Stop the program now (the Stop button). */
  kill(): void;
}

export interface DirEntry {
  name: string;
  directory: boolean;
}

export interface LabRuntime {
  readonly kind: RuntimeKind;
  /** Write the given files into the project (other files, such as earlier runs, stay). */
  mount(files: ProjectFiles): Promise<void>;
  run(options: RunOptions): RunHandle;
  /** null when the file does not exist. */
  readFile(path: string): Promise<string | null>;
  writeFile(path: string, content: string): Promise<void>;
  readdir(path: string): Promise<DirEntry[]>;
  /** Remove a file or a folder with everything in it; no error when it does not exist. */
  remove(path: string): Promise<void>;
  dispose(): Promise<void>;
}

/** The message shown when a program runs past its time limit. */
export function timeLimitMessage(timeoutMs: number): string {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return `\r\n\x1b[31m■ Stopped: the program was still running after ${seconds} s, the time limit. ` +
    `Look for a loop that never ends.\x1b[0m\r\n`;
}

export const STOPPED_MESSAGE = '\r\n\x1b[33m■ Stopped.\x1b[0m\r\n';
