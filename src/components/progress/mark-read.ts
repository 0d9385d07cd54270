/**
 * <mark-read>: wraps a module reading, measures the time the student spends in its text, and marks it read when they
 * reach its end having read through it: at least the time it takes to skim it, active (some input in the last minute)
 * with the page visible and the text in the middle of the screen, spread over nearly all of the text. Jumping to the
 * end (the table of contents, the End key) or answering the knowledge check below does not count. The button marks
 * the reading read or unread by hand.
 */
import { progressStore } from '~/labkit/progress/store';
import type { Progress } from '~/labkit/progress/format';
import { READING_PARTS, loadActivity, readThrough, saveActivity, secondsNeeded, type ReadingActivity } from './reading-activity';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
/** Without any input for this long, the student is taken to be away and time stops. */
const IDLE_MS = 60_000;
const TICK_MS = 1000;
const SAVE_EVERY_TICKS = 5;
const inputs = ['scroll', 'wheel', 'keydown', 'pointerdown', 'pointermove', 'touchstart'] as const;

class MarkRead extends HTMLElement {
  private unsubscribe?: () => void;
  private observer?: IntersectionObserver;
  private timer?: ReturnType<typeof setInterval>;
  /** The student chose "unread" on this visit: do not mark it read behind their back. */
  private optedOut = false;
  private auto = false;
  private endInView = false;
  private lastInput = Date.now();
  private ticksSinceSave = 0;
  private needed = 0;
  private activity!: ReadingActivity;

  private onInput = () => {
    this.lastInput = Date.now();
  };
  private onHide = () => {
    if (document.visibilityState === 'hidden') this.save();
  };

  private get moduleId() {
    return this.dataset.module ?? '';
  }

  connectedCallback() {
    const store = progressStore();
    const id = this.moduleId;
    const text = this.querySelector<HTMLElement>('[data-reading]');
    this.activity = loadActivity()[id] ?? { openedAt: new Date().toISOString(), seconds: 0, parts: new Array<number>(READING_PARTS).fill(0) };
    this.save();
    this.needed = secondsNeeded((text?.textContent ?? '').split(/\s+/).filter(Boolean).length);
    const minutes = this.querySelector('[data-minutes]');
    if (minutes) minutes.textContent = String(Math.max(1, Math.round(this.needed / 60)));

    this.render(store.get());
    this.unsubscribe = store.subscribe((p) => this.render(p));
    this.querySelector('[data-toggle]')?.addEventListener('click', () => {
      this.auto = false;
      if (store.isRead(id)) {
        this.optedOut = true;
        store.markUnread(id);
      } else store.markRead(id);
    });

    for (const name of inputs) addEventListener(name, this.onInput, { passive: true });
    document.addEventListener('visibilitychange', this.onHide);
    addEventListener('pagehide', this.onHide);
    const end = this.querySelector('[data-end]');
    if (end && text && 'IntersectionObserver' in window) {
      this.observer = new IntersectionObserver((entries) => {
        this.endInView = entries.at(-1)!.isIntersecting;
        this.markIfReadThrough();
      });
      this.observer.observe(end);
      this.timer = setInterval(() => this.tick(text), TICK_MS);
    }
  }

  disconnectedCallback() {
    this.unsubscribe?.();
    this.observer?.disconnect();
    clearInterval(this.timer);
    for (const name of inputs) removeEventListener(name, this.onInput);
    document.removeEventListener('visibilitychange', this.onHide);
    removeEventListener('pagehide', this.onHide);
    this.save();
  }

  /** One second: credited to the part of the text in the middle of the screen, if the student is there and active. */
  private tick(text: HTMLElement) {
    if (document.visibilityState !== 'visible' || Date.now() - this.lastInput > IDLE_MS) return;
    const box = text.getBoundingClientRect();
    const position = (innerHeight / 2 - box.top) / box.height;
    if (!(position >= 0 && position < 1)) return;
    this.activity.seconds += TICK_MS / 1000;
    this.activity.parts[Math.floor(position * READING_PARTS)] += TICK_MS / 1000;
    if (++this.ticksSinceSave >= SAVE_EVERY_TICKS) this.save();
    this.markIfReadThrough();
  }

  private markIfReadThrough() {
    const store = progressStore();
    if (!this.endInView || this.optedOut || store.isRead(this.moduleId) || !readThrough(this.activity, this.needed)) return;
    this.save();
    this.auto = true;
    store.markRead(this.moduleId);
  }

  private save() {
    this.ticksSinceSave = 0;
    saveActivity(this.moduleId, this.activity);
  }

  private render(progress: Progress) {
    const reading = progress.readings[this.moduleId];
    const state = this.querySelector<HTMLElement>('[data-state]');
    const button = this.querySelector<HTMLButtonElement>('[data-toggle]');
    if (!state || !button) return;
    if (reading) {
      // About as long as the unread text, so the box keeps its height when the reading is marked.
      state.textContent = `✓ ${this.auto ? 'Marked read' : 'Read'} on ${dateFormat.format(new Date(reading.readAt))}.`;
      button.textContent = 'Mark as unread';
      button.classList.add('kc-secondary');
    } else {
      state.textContent = 'Not marked as read yet.';
      button.textContent = 'Mark as read';
      button.classList.remove('kc-secondary');
    }
    const status = progressStore().status();
    if (!status.persistent) state.textContent += " (Not saved: progress can't be stored in this browser.)";
  }
}

if (!customElements.get('mark-read')) customElements.define('mark-read', MarkRead);
