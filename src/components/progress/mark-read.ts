/** <mark-read>: the reading's read/unread toggle, plus marking it read when the student reaches its end. */
import { progressStore } from '~/labkit/progress/store';
import type { Progress } from '~/labkit/progress/format';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

class MarkRead extends HTMLElement {
  private unsubscribe?: () => void;
  private observer?: IntersectionObserver;
  /** The student chose "unread" on this visit: do not mark it read behind their back. */
  private optedOut = false;
  private scrolled = false;
  private onScroll = () => {
    this.scrolled = true;
  };

  connectedCallback() {
    const store = progressStore();
    const id = this.dataset.module ?? '';
    this.render(store.get());
    this.unsubscribe = store.subscribe((p) => this.render(p));
    this.querySelector('[data-toggle]')?.addEventListener('click', () => {
      this.auto = false;
      if (store.isRead(id)) {
        this.optedOut = true;
        store.markUnread(id);
      } else store.markRead(id);
    });
    // Only a real scroll to the end counts, not a short page or a jump from the table of contents on load.
    addEventListener('scroll', this.onScroll, { passive: true, once: true });
    const end = this.querySelector('[data-end]');
    if (end && 'IntersectionObserver' in window) {
      this.observer = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting) || !this.scrolled || this.optedOut || store.isRead(id)) return;
        store.markRead(id);
        this.auto = true;
        this.render(store.get());
      });
      this.observer.observe(end);
    }
  }

  private auto = false;

  disconnectedCallback() {
    this.unsubscribe?.();
    this.observer?.disconnect();
    removeEventListener('scroll', this.onScroll);
  }

  private render(progress: Progress) {
    const reading = progress.readings[this.dataset.module ?? ''];
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
