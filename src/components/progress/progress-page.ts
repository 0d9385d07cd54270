/**
 * <progress-page>: fills the progress page from the progress store and the reading activity, and runs export, import
 * and reset.
 */
import { clearLabFiles } from '~/labkit/lab/blobs';
import { checkProgress, type CourseFacts } from '~/labkit/progress/course-check';
import { progressStore, type ImportRefusal, type ImportSummary } from '~/labkit/progress/store';
import type { Progress } from '~/labkit/progress/format';
import { formatNumber } from '~/labkit/report/criteria';
import { downloadFile, mime } from '~/labkit/report/download';
import { ACTIVITY_KEY, clearActivity, loadActivity } from './reading-activity';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const day = (iso: string) => (Date.parse(iso) <= 0 ? 'before dates were recorded' : dateFormat.format(new Date(iso)));
/** "under a minute", "1 min", "1 h 5 min" */
function duration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return 'under a minute';
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

class ProgressPage extends HTMLElement {
  private off?: () => void;

  connectedCallback() {
    const store = progressStore();
    this.render(store.get());
    this.off = store.subscribe((p) => this.render(p));
    addEventListener('storage', this.onActivity);

    this.querySelector('[data-export]')?.addEventListener('click', () => {
      const name = store.exportFileName();
      downloadFile(name, store.exportText(), mime.json);
      this.say(`Exported to ${name}. Keep the file, or import it in another browser.`, 'ok');
    });

    const input = this.querySelector<HTMLInputElement>('[data-import]');
    input?.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      let text: string;
      try {
        text = await file.text();
      } catch (error) {
        this.say(`Import refused: the file could not be read (${error instanceof Error ? error.message : String(error)}). Your progress was not changed.`, 'error');
        return;
      }
      const facts = JSON.parse(this.querySelector('[data-course-facts]')?.textContent ?? 'null') as CourseFacts | null;
      const result = store.importText(text, { mode: 'merge', check: facts ? (incoming) => checkProgress(incoming, facts) : undefined });
      this.sayMerged(`Imported ${file.name}`, result);
    });

    this.querySelector('[data-backup-list]')?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('[data-restore]');
      if (button) this.sayMerged('Restored the copy', store.restoreBackup(button.dataset.restore!));
    });

    const confirm = this.querySelector<HTMLElement>('[data-confirm]')!;
    const reset = this.querySelector<HTMLButtonElement>('[data-reset]')!;
    reset.addEventListener('click', () => {
      confirm.hidden = false;
      reset.setAttribute('aria-expanded', 'true');
      this.querySelector<HTMLButtonElement>('[data-reset-no]')?.focus();
    });
    this.querySelector('[data-reset-no]')?.addEventListener('click', () => {
      confirm.hidden = true;
      reset.setAttribute('aria-expanded', 'false');
      reset.focus();
    });
    this.querySelector('[data-reset-yes]')?.addEventListener('click', async () => {
      clearActivity();
      store.reset();
      confirm.hidden = true;
      reset.setAttribute('aria-expanded', 'false');
      try {
        await clearLabFiles();
        this.say('All progress in this browser was deleted, with the files the labs kept.', 'ok');
      } catch (error) {
        this.say(`Your progress was deleted, but the files the labs kept could not be (${error instanceof Error ? error.message : String(error)}). Reset each lab to remove them.`, 'error');
      }
    });
  }

  /** Reading time recorded in another tab. */
  private onActivity = (event: StorageEvent) => {
    if (event.key === ACTIVITY_KEY || event.key === null) this.render(progressStore().get());
  };

  disconnectedCallback() {
    this.off?.();
    removeEventListener('storage', this.onActivity);
  }

  /** Says what an import or a restored copy added, or why it was refused. */
  private sayMerged(what: string, result: ImportSummary | ImportRefusal) {
    if (!result.ok) {
      this.say(result.message, 'error');
      return;
    }
    const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
    const parts = [count(result.readings, 'reading'), count(result.quizzes, 'knowledge check'), count(result.labs, 'lab')];
    this.say(`${what}: ${parts.join(', ')}, merged with what was here.${result.warning ? ` ${result.warning}` : ''}`, 'ok');
  }

  private renderBackups() {
    const backups = progressStore().backups();
    const box = this.querySelector<HTMLElement>('[data-backups]')!;
    box.hidden = backups.length === 0;
    const list = box.querySelector('[data-backup-list]')!;
    list.replaceChildren(
      ...backups.map((b) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'kc-button kc-secondary';
        button.dataset.restore = b.key;
        button.textContent = 'Restore';
        item.append(`Kept ${day(b.at)}: ${b.summary}. `, button);
        return item;
      }),
    );
  }

  private say(message: string, kind: 'ok' | 'error') {
    const p = this.querySelector<HTMLElement>('[data-page-message]')!;
    p.textContent = message;
    p.dataset.kind = kind;
    p.focus();
  }

  private render(progress: Progress) {
    this.renderBackups();
    let readings = 0;
    let passed = 0;
    let available = 0;
    const activity = loadActivity();
    for (const row of this.querySelectorAll<HTMLElement>('tr[data-module]')) {
      const id = row.dataset.module!;
      if (row.dataset.hasReading !== 'yes') continue;
      available++;
      const reading = progress.readings[id];
      const opened = activity[id];
      const readCell = row.querySelector<HTMLElement>('[data-reading]')!;
      readCell.textContent = reading
        ? `✓ Read (${day(reading.readAt)})`
        : opened
          ? `Opened (${day(opened.openedAt)}), not read to the end`
          : 'Not opened';
      readCell.dataset.state = reading ? 'done' : opened ? 'tried' : '';
      const time = row.querySelector<HTMLElement>('[data-time]')!;
      time.textContent = opened && opened.seconds > 0 ? `${duration(opened.seconds)} in the text` : '';
      time.hidden = !time.textContent;
      if (reading) readings++;
      const quiz = progress.quizzes[id];
      const quizCell = row.querySelector<HTMLElement>('[data-quiz]')!;
      if (!quiz) {
        quizCell.textContent = 'Not tried yet';
        quizCell.dataset.state = '';
      } else {
        const n = quiz.attempts.length;
        const best = `best ${quiz.best.score} of ${quiz.best.total}`;
        quizCell.textContent = quiz.passedAt
          ? `✓ Passed (${day(quiz.passedAt)}), ${best}`
          : `Not passed yet: ${best}, ${n} attempt${n === 1 ? '' : 's'}`;
        quizCell.dataset.state = quiz.passedAt ? 'done' : 'tried';
        if (quiz.passedAt) passed++;
      }
    }

    let met = 0;
    let criteria = 0;
    for (const section of this.querySelectorAll<HTMLElement>('[data-lab]')) {
      const lab = progress.labs[section.dataset.lab!];
      let labMet = 0;
      const items = [...section.querySelectorAll<HTMLElement>('[data-criterion]')];
      for (const item of items) {
        const record = lab?.criteria[item.dataset.criterion!];
        const status = !record ? 'not-measured' : record.met ? 'met' : 'not-met';
        item.dataset.status = status;
        item.querySelector('[data-status-text]')!.textContent = status === 'met' ? '✓ met' : status === 'not-met' ? '✗ not met' : 'not measured';
        const measured = lab?.results[item.dataset.quantity!];
        const value = item.querySelector<HTMLElement>('[data-value]')!;
        value.textContent = measured ? `Your result: ${formatNumber(measured.value)}${item.dataset.unit ? ` ${item.dataset.unit}` : ''}` : '';
        value.hidden = !measured;
        if (status === 'met') labMet++;
      }
      met += labMet;
      criteria += items.length;
      section.querySelector('[data-lab-summary]')!.textContent = lab
        ? `${labMet} of ${items.length} criteria met. Last worked on ${day(lab.updatedAt)}.`
        : 'No results yet.';
    }

    const summary = this.querySelector<HTMLElement>('[data-summary]')!;
    summary.textContent =
      `${readings} of ${available} readings read, ${passed} of ${available} knowledge checks passed` +
      (criteria ? `, ${met} of ${criteria} lab criteria met.` : '.');
  }
}

if (!customElements.get('progress-page')) customElements.define('progress-page', ProgressPage);
