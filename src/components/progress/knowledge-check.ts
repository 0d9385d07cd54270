/**
 * <knowledge-check>: shows the server-rendered quiz's options in the order of the current attempt, checks the answers
 * against each question's answer key, shows why every option is right or wrong, scores, offers a new attempt, and
 * records each attempt in the progress store by the options' authored indices.
 *
 * An attempt is a seed and the ticks so far, kept in sessionStorage: a reload during the attempt shows the same order
 * with the same ticks; checking ends the attempt, and "Try again" (or a reload after checking) starts a new one.
 */
import { progressStore } from '~/labkit/progress/store';
import { PASS_RATIO, isPassed, type Progress } from '~/labkit/progress/format';
import { decodeAnswerKey, type AnswerKey } from '~/lib/quiz-key';
import { attemptOrder, newAttemptSeed } from '~/lib/quiz-order';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface Attempt {
  seed: number;
  /** Ticked options so far, by question, as authored indices. */
  ticks: Record<number, number[]>;
}

/** The attempt in progress, from sessionStorage; none when there is none or storage is blocked or damaged. */
function loadAttempt(key: string): Attempt | undefined {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(key) ?? 'null') as Partial<Attempt> | null;
    if (parsed && Number.isInteger(parsed.seed) && typeof parsed.ticks === 'object' && parsed.ticks) return parsed as Attempt;
  } catch {
    /* blocked or damaged: a new attempt starts */
  }
  return undefined;
}

/** Keeps the attempt for a reload, or forgets it when it is over; without storage it lasts as long as the page. */
function saveAttempt(key: string, attempt: Attempt | undefined) {
  try {
    if (attempt) sessionStorage.setItem(key, JSON.stringify(attempt));
    else sessionStorage.removeItem(key);
  } catch {
    /* storage blocked: the attempt stays in the page only */
  }
}

class KnowledgeCheck extends HTMLElement {
  private unsubscribe?: () => void;
  private attempt!: Attempt;
  private finished = false;

  connectedCallback() {
    const form = this.querySelector('form');
    if (!form) return;
    this.attempt = loadAttempt(this.attemptKey) ?? this.startAttempt();
    this.showAttempt();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.check();
    });
    form.addEventListener('change', () => this.rememberTicks());
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

  private get attemptKey() {
    return `mlops-course.kc-attempt.${this.moduleId}`;
  }

  private questions(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('.kc-question')];
  }

  private startAttempt(): Attempt {
    const attempt = { seed: newAttemptSeed(), ticks: {} };
    saveAttempt(this.attemptKey, attempt);
    return attempt;
  }

  /** Puts every question's options in the attempt's order (so Tab and arrow keys follow it) and restores the ticks. */
  private showAttempt() {
    for (const [qi, q] of this.questions().entries()) {
      const list = q.querySelector<HTMLElement>('.kc-options')!;
      const options = new Map([...list.querySelectorAll<HTMLElement>('.kc-option')].map((o) => [Number(o.dataset.option), o]));
      const ticked = new Set(this.attempt.ticks[qi] ?? []);
      for (const index of attemptOrder(this.attempt.seed, qi, options.size)) {
        const option = options.get(index)!;
        option.querySelector('input')!.checked = ticked.has(index);
        list.append(option);
      }
    }
  }

  /** The ticked options of a question, as authored indices in ascending order, whatever order they were shown in. */
  private chosen(q: HTMLElement): number[] {
    return [...q.querySelectorAll<HTMLInputElement>('input')]
      .filter((i) => i.checked)
      .map((i) => Number(i.value))
      .sort((a, b) => a - b);
  }

  private rememberTicks() {
    if (this.finished) return;
    this.attempt.ticks = Object.fromEntries(this.questions().map((q, qi) => [qi, this.chosen(q)]));
    saveAttempt(this.attemptKey, this.attempt);
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
    const questions = this.questions();
    const answers = questions.map((q) => this.chosen(q));
    const unanswered = answers.findIndex((a) => a.length === 0);
    if (unanswered >= 0) {
      score.textContent = `Answer every question first: question ${unanswered + 1} has no answer yet.`;
      questions[unanswered].querySelector<HTMLInputElement>('input')?.focus();
      return;
    }
    let keys: AnswerKey[];
    try {
      keys = questions.map((q, qi) => decodeAnswerKey(q.dataset.key ?? '', `${this.moduleId}:${qi}`));
    } catch (error) {
      score.textContent = `Your answers could not be checked: ${error instanceof Error ? error.message : String(error)}. Reload the page and try again.`;
      return;
    }
    const correct = questions.map((q, qi) => this.showVerdicts(q, answers[qi], keys[qi]));
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
    this.finished = true;
    saveAttempt(this.attemptKey, undefined);
    score.textContent =
      `You got ${n} of ${correct.length} right (${percent}%). ` +
      (passed ? 'Passed.' : `Not passed yet: ${Math.round(PASS_RATIO * 100)}% is needed. Read the explanations and try again.`) +
      saved;
    this.querySelector<HTMLElement>('[data-check]')!.hidden = true;
    this.querySelector<HTMLElement>('[data-retry]')!.hidden = false;
    score.focus();
  }

  /** Marks one question right or wrong and explains every option; returns whether it was answered right. */
  private showVerdicts(q: HTMLElement, answer: number[], key: AnswerKey): boolean {
    const right = new Set(key.correct);
    const chosen = new Set(answer);
    const multiple = q.querySelector('input')?.type === 'checkbox';
    const ok = right.size === chosen.size && [...right].every((i) => chosen.has(i));
    q.dataset.state = ok ? 'right' : 'wrong';
    const result = q.querySelector<HTMLElement>('.kc-result')!;
    result.dataset.state = q.dataset.state;
    result.textContent = ok ? '✓ Right.' : multiple ? '✗ Not quite: see which options you should have ticked.' : '✗ Not right: see the explanations.';
    result.hidden = false;
    for (const option of q.querySelectorAll<HTMLElement>('.kc-option')) {
      const index = Number(option.dataset.option);
      const input = option.querySelector('input')!;
      const why = option.querySelector<HTMLElement>('.kc-why')!;
      const isRight = right.has(index);
      const picked = chosen.has(index);
      let text: string;
      let verdict: string;
      if (picked && isRight) [text, verdict] = ['✓ Correct, and you chose it.', 'good'];
      else if (picked) [text, verdict] = ['✗ You chose this, but it is wrong.', 'bad'];
      else if (isRight) [text, verdict] = [multiple ? '→ Correct, but you did not tick it.' : '→ This was the right answer.', 'missed'];
      else [text, verdict] = multiple ? ['✓ Wrong, and you rightly left it out.', 'good'] : ['Wrong.', 'neutral'];
      why.querySelector<HTMLElement>('.kc-verdict')!.textContent = text;
      why.querySelector<HTMLElement>('[data-why]')!.innerHTML = key.why[index] ?? '';
      why.dataset.verdict = verdict;
      why.hidden = false;
      input.setAttribute('aria-describedby', why.id);
      input.disabled = true;
    }
    return ok;
  }

  private retry() {
    for (const q of this.questions()) {
      delete q.dataset.state;
      q.querySelector<HTMLElement>('.kc-result')!.hidden = true;
      for (const input of q.querySelectorAll('input')) {
        input.disabled = false;
        input.removeAttribute('aria-describedby');
      }
      for (const why of q.querySelectorAll<HTMLElement>('.kc-why')) why.hidden = true;
    }
    this.finished = false;
    this.attempt = this.startAttempt();
    this.showAttempt();
    this.querySelector<HTMLElement>('[data-score]')!.textContent = '';
    this.querySelector<HTMLElement>('[data-check]')!.hidden = false;
    this.querySelector<HTMLElement>('[data-retry]')!.hidden = true;
    this.questions()[0]?.querySelector('input')?.focus();
  }
}

if (!customElements.get('knowledge-check')) customElements.define('knowledge-check', KnowledgeCheck);
