/**
 * What the worker sends the page while a program runs, in few messages whatever the program does.
 *
 * Output and file changes are collected and posted together. A post goes out at once while fewer than
 * `burst` posts went out in the current window of `windowMs`, so the last lines before a program hangs reach the
 * page; past that, what comes in waits for the next window. Only the program's own calls run in a loop that never
 * yields, so each call checks whether a post is due, and a timer posts what is left when the event loop turns.
 *
 * Output past the cap is counted, not sent (see OutputCap). File changes are coalesced: appends to one file join,
 * and a write replaces what was pending for that file.
 */
import type { FsChange } from '../memfs.ts';
import { OutputCap, type Truncation } from '../output.ts';

export interface Batch {
  type: 'batch';
  output?: string;
  fs?: FsChange[];
  /** Output left out so far (sent again as it grows). */
  truncation?: Truncation;
}

export interface OutboxOptions {
  post: (batch: Batch) => void;
  now: () => number;
  /** A real timer (not the program's), to post what is left when the event loop turns. */
  later: (fn: () => void, ms: number) => void;
  outputLimit?: number;
  windowMs?: number;
  burst?: number;
}

const joinBytes = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
};

export class Outbox {
  readonly cap: OutputCap;
  private options: Required<Omit<OutboxOptions, 'outputLimit'>>;
  private text: string[] = [];
  private changes: FsChange[] = [];
  private truncationChanged = false;
  private windowStart = -Infinity;
  private postsInWindow = 0;
  private timerSet = false;
  /** Posts made so far (for tests and the benchmark). */
  posts = 0;

  constructor(options: OutboxOptions) {
    this.cap = new OutputCap(options.outputLimit);
    this.options = { windowMs: 50, burst: 4, ...options };
  }

  output(text: string): void {
    const shown = this.cap.take(text);
    if (shown) this.text.push(shown);
    if (shown.length < text.length) this.truncationChanged = true;
    this.maybePost();
  }

  fsChange(change: FsChange): void {
    const pending = this.changes;
    const last = pending[pending.length - 1];
    if (change.op === 'append' && last && (last.op === 'append' || last.op === 'write') && last.path === change.path) {
      pending[pending.length - 1] = { ...last, data: joinBytes(last.data, change.data) };
    } else if (change.op === 'write') {
      // Earlier writes and appends to this file since the last folder change are superseded.
      let i = pending.length - 1;
      while (i >= 0 && pending[i].op !== 'rm' && pending[i].op !== 'rename') i -= 1;
      this.changes = [...pending.slice(0, i + 1), ...pending.slice(i + 1).filter((c) => c.path !== change.path || (c.op !== 'write' && c.op !== 'append')), change];
    } else pending.push(change);
    this.maybePost();
  }

  private get pending(): boolean {
    return this.text.length > 0 || this.changes.length > 0 || this.truncationChanged;
  }

  private maybePost(): void {
    if (!this.pending) return;
    const now = this.options.now();
    if (now - this.windowStart >= this.options.windowMs) {
      this.windowStart = now;
      this.postsInWindow = 0;
    }
    if (this.postsInWindow < this.options.burst) {
      this.postsInWindow += 1;
      this.flush();
    } else if (!this.timerSet) {
      this.timerSet = true;
      this.options.later(() => {
        this.timerSet = false;
        this.maybePost();
      }, this.windowMs - (now - this.windowStart));
    }
  }

  private get windowMs(): number {
    return this.options.windowMs;
  }

  /** Post everything pending now (before the exit message, and by the window policy). */
  flush(): void {
    if (!this.pending) return;
    const batch: Batch = { type: 'batch' };
    if (this.text.length) batch.output = this.text.join('');
    if (this.changes.length) batch.fs = this.changes;
    const truncation = this.truncationChanged ? this.cap.report() : null;
    if (truncation) batch.truncation = truncation;
    this.text = [];
    this.changes = [];
    this.truncationChanged = false;
    this.posts += 1;
    this.options.post(batch);
  }
}
