/**
 * <knowledge-check>: checks the answers of the server-rendered quiz, shows why every option is right or wrong,
 * scores, offers a retry, and records each attempt in the progress store.
 */
import { progressStore } from '~/labkit/progress/store';
import { PASS_RATIO, isPassed, type Progress } from '~/labkit/progress/format';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

class KnowledgeCheck extends HTMLElement {
  private unsubscribe?: () => void;

  connectedCallback() {
    const form = this.querySelector('form');
    if (!form) return;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.check();
    });
    this.querySelector('[data-retry]')?.addEventListener('click', () => this.retry());
    const store = progressStore();
    this.showLast(store.get());
    this.unsubscribe = store.subscribe((p) => this.showLast(p));
  }

  disconnectedCallback() {
    this.unsubscribe?.();
  }

  private get moduleId() {
    return this.dataset.module ?? '';
  }

  private questions(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('.kc-question')];
  }

  private showLast(progress: Progress) {
    const last = this.querySelector<HTMLElement>('[data-last]');
    const record = progress.quizzes[this.moduleId];
    if (!last) return;
    if (!record || record.attempts.length === 0) {
      last.hidden = true;
      return;
    }
    const a = record.attempts.at(-1)!;
    const best = record.best;
    last.textContent =
      `Your last attempt: ${a.score} of ${a.total} on ${dateFormat.format(new Date(a.at))}. ` +
      (record.passedAt ? `Passed on ${dateFormat.format(new Date(record.passedAt))}` : 'Not passed yet') +
      `; best ${best.score} of ${best.total}.`;
    last.hidden = false;
  }

  private check() {
    const score = this.querySelector<HTMLElement>('[data-score]')!;
    const answers: number[][] = [];
    const correct: boolean[] = [];
    const questions = this.questions();
    for (const [qi, q] of questions.entries()) {
      const chosen = [...q.querySelectorAll<HTMLInputElement>('input')].filter((i) => i.checked).map((i) => Number(i.value));
      if (chosen.length === 0) {
        score.textContent = `Answer every question first: question ${qi + 1} has no answer yet.`;
        q.querySelector<HTMLInputElement>('input')?.focus();
        return;
      }
      answers.push(chosen);
    }
    for (const [qi, q] of questions.entries()) {
      const right = new Set((q.dataset.correct ?? '').split(',').filter(Boolean).map(Number));
      const chosen = new Set(answers[qi]);
      const multiple = q.querySelector('input')?.type === 'checkbox';
      const ok = right.size === chosen.size && [...right].every((i) => chosen.has(i));
      correct.push(ok);
      q.dataset.state = ok ? 'right' : 'wrong';
      const result = q.querySelector<HTMLElement>('.kc-result')!;
      result.dataset.state = q.dataset.state;
      result.textContent = ok ? '✓ Right.' : multiple ? '✗ Not quite: see which options you should have ticked.' : '✗ Not right: see the explanations.';
      result.hidden = false;
      for (const option of q.querySelectorAll<HTMLElement>('.kc-option')) {
        const index = Number(option.dataset.option);
        const input = option.querySelector('input')!;
        const why = option.querySelector<HTMLElement>('.kc-why')!;
        const verdict = why.querySelector<HTMLElement>('.kc-verdict')!;
        const isRight = right.has(index);
        const picked = chosen.has(index);
        let text: string;
        if (picked && isRight) text = '✓ Correct, and you chose it.';
        else if (picked) text = '✗ You chose this, but it is wrong.';
        else if (isRight) text = multiple ? '✗ Correct, but you did not tick it.' : '✗ This was the right answer.';
        else text = multiple ? '✓ Wrong, and you rightly left it out.' : 'Wrong.';
        verdict.textContent = text;
        why.dataset.verdict = picked === isRight ? (picked || multiple ? 'good' : 'neutral') : 'bad';
        why.hidden = false;
        input.setAttribute('aria-describedby', why.id);
        input.disabled = true;
      }
    }
    const n = correct.filter(Boolean).length;
    const passed = isPassed(n, correct.length);
    const percent = Math.round((n / correct.length) * 100);
    let saved = '';
    try {
      const store = progressStore();
      store.recordQuizAttempt(this.moduleId, answers, correct);
      const status = store.status();
      saved = status.persistent ? ' Saved to your progress.' : ` ${status.message}`;
    } catch (error) {
      saved = ` Your answers could not be recorded (${error instanceof Error ? error.message : String(error)}).`;
    }
    score.textContent =
      `You got ${n} of ${correct.length} right (${percent}%). ` +
      (passed ? 'Passed.' : `Not passed yet: ${Math.round(PASS_RATIO * 100)}% is needed. Read the explanations and try again.`) +
      saved;
    this.querySelector<HTMLElement>('[data-check]')!.hidden = true;
    this.querySelector<HTMLElement>('[data-retry]')!.hidden = false;
    score.focus();
  }

  private retry() {
    for (const q of this.questions()) {
      delete q.dataset.state;
      q.querySelector<HTMLElement>('.kc-result')!.hidden = true;
      for (const input of q.querySelectorAll('input')) {
        input.checked = false;
        input.disabled = false;
        input.removeAttribute('aria-describedby');
      }
      for (const why of q.querySelectorAll<HTMLElement>('.kc-why')) why.hidden = true;
    }
    this.querySelector<HTMLElement>('[data-score]')!.textContent = '';
    this.querySelector<HTMLElement>('[data-check]')!.hidden = false;
    this.querySelector<HTMLElement>('[data-retry]')!.hidden = true;
    this.questions()[0]?.querySelector('input')?.focus();
  }
}

if (!customElements.get('knowledge-check')) customElements.define('knowledge-check', KnowledgeCheck);
