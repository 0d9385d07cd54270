/**
 * A program's output on its way to a terminal, bounded and paced, whichever runtime produced it.
 *
 * - `OutputCap` keeps the head of the output (the first `limit` characters, where the first error and the
 *   program's own start are) and counts the rest, remembering only its last `tailChars` characters. When the run
 *   ends, the page shows how much was left out and that tail (what the program was doing when it stopped, which is
 *   what an endless print loop needs to be understood). Head and tail are both bounded, so a print flood costs the
 *   page a fixed amount of memory and terminal work.
 * - `Delivery` hands chunks to the consumer one at a time: when the consumer returns a promise (xterm's write
 *   callback), the next chunk waits for it, and chunks that arrive meanwhile are joined into one write.
 */

/** Characters of output shown per run by default (about 4,000 lines of 50 characters). */
export const DEFAULT_OUTPUT_LIMIT = 200_000;
/** Characters of the left-out output kept to show at the end. */
export const DEFAULT_TAIL_CHARS = 2_000;

export interface Truncation {
  /** Characters shown before the cut. */
  shownChars: number;
  droppedChars: number;
  /** Line breaks in the left-out part. */
  droppedLines: number;
  /** The last characters of the left-out part (at most the tail size). */
  tail: string;
}

const count = (text: string, char: string) => {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n += 1;
  return n;
};

export class OutputCap {
  readonly limit: number;
  readonly tailChars: number;
  shownChars = 0;
  droppedChars = 0;
  droppedLines = 0;
  private tailText = '';

  constructor(limit = DEFAULT_OUTPUT_LIMIT, tailChars = DEFAULT_TAIL_CHARS) {
    this.limit = limit;
    this.tailChars = tailChars;
  }

  /** The part of `text` to show; the rest is counted and its end kept as the tail. */
  take(text: string): string {
    const room = this.limit - this.shownChars;
    const shown = room >= text.length ? text : text.slice(0, Math.max(room, 0));
    this.shownChars += shown.length;
    if (shown.length < text.length) {
      const rest = shown.length ? text.slice(shown.length) : text;
      this.droppedChars += rest.length;
      this.droppedLines += count(rest, '\n');
      this.tailText = (rest.length >= this.tailChars ? rest : this.tailText + rest).slice(-this.tailChars);
    }
    return shown;
  }

  get truncated(): boolean {
    return this.droppedChars > 0;
  }

  /** What was left out so far, or null when nothing was. */
  report(): Truncation | null {
    if (!this.truncated) return null;
    return { shownChars: this.shownChars, droppedChars: this.droppedChars, droppedLines: this.droppedLines, tail: this.tailText };
  }
}

const number = (n: number) => n.toLocaleString('en-US');

/** Shown once, when the output first reaches the limit. */
export function truncationNotice(limit: number): string {
  return `\r\n\x1b[33m… output truncated after ${number(limit)} characters: the rest is counted, and its last lines are shown when the program ends.\x1b[0m\r\n`;
}

/** Shown when the run ends: how much was left out, then the tail, starting at a line break where there is one. */
export function truncationSummary(t: Truncation): string {
  const lineStart = t.tail.indexOf('\n');
  const tail = lineStart >= 0 && lineStart < t.tail.length - 1 ? t.tail.slice(lineStart + 1) : t.tail;
  const lines = t.droppedLines === 1 ? '1 line break' : `${number(t.droppedLines)} line breaks`;
  return `\r\n\x1b[33m… ${number(t.droppedChars)} more characters (${lines}) were not shown. The output ended with:\x1b[0m\r\n${tail}${tail.endsWith('\n') ? '' : '\r\n'}`;
}

/** Receives output; a returned promise (or any thenable) paces delivery, any other return value is ignored. */
export type OutputConsumer = (chunk: string) => unknown;

/** Delivers chunks in order, waiting for a consumer that returns a promise (backpressure). */
export class Delivery {
  private queue: string[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];
  private consumer: OutputConsumer;

  constructor(consumer: OutputConsumer) {
    this.consumer = consumer;
  }

  push(chunk: string): void {
    if (!chunk) return;
    this.queue.push(chunk);
    if (!this.busy) this.pump();
  }

  /** Resolves once everything pushed so far has been consumed. */
  drained(): Promise<void> {
    if (!this.busy && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    this.busy = true;
    while (this.queue.length) {
      const chunk = this.queue.length === 1 ? this.queue[0] : this.queue.join('');
      this.queue = [];
      let pending: unknown;
      try {
        pending = this.consumer(chunk);
      } catch {
        pending = undefined; // a consumer that throws loses its chunk, not the run
      }
      if (pending && typeof (pending as PromiseLike<unknown>).then === 'function') {
        (pending as PromiseLike<unknown>).then(
          () => this.pump(),
          () => this.pump(),
        );
        return;
      }
    }
    this.busy = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
