/**
 * The progress store: one per page in the browser (`progressStore()`), or made with `createProgressStore()` in
 * tests and Node. It keeps the student's progress in localStorage under one key and keeps working in memory when
 * storage is blocked or full, reporting that through `status()`.
 *
 * Every write re-reads what is stored first, so two open tabs do not overwrite each other's work, and announces
 * the change: listeners registered with `subscribe()` run, other tabs hear the `storage` event, and other scripts
 * on the same page can listen for `PROGRESS_EVENT` on `window`.
 *
 * Import merges by default (see `mergeProgress`): nothing already stored is removed. `replace` mode exists for
 * tests and tools; the progress page only merges.
 */
import {
  MAX_ATTEMPTS,
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  ProgressFormatError,
  cloneProgress,
  latestDate,
  salvageEnvelope,
  emptyProgress,
  envelope,
  isPassed,
  mergeProgress,
  parseEnvelope,
  type JsonValue,
  type LabRecord,
  type Progress,
  type QuizAttempt,
  type SetAside,
} from './format';

export const STORAGE_KEY = 'mlops-course.progress';
/** Backups of damaged progress live at `<key>.damaged.<ISO date>`; the newest few are kept. */
const BACKUP_INFIX = '.damaged.';
const MAX_BACKUPS = 3;
/** Imported dates may be at most this far in the future (clock skew between two computers). */
const FUTURE_SLACK_MS = 36 * 3600 * 1000;
/** Dispatched on `window` (as a CustomEvent) after any change made by a store on this page. */
export const PROGRESS_EVENT = 'mlops-progress-change';

export type StorageProblem = 'unavailable' | 'full' | 'newer-version' | 'recovered';

export interface StorageStatus {
  /** True when changes are being written to the browser's storage. */
  persistent: boolean;
  problem?: StorageProblem;
  /** A sentence for the student; empty when all is well. */
  message: string;
}

export interface ImportSummary {
  ok: true;
  mode: 'merge' | 'replace';
  readings: number;
  quizzes: number;
  labs: number;
  /** Set when the result could not be written to storage (it is kept in memory). */
  warning?: string;
}
export interface ImportRefusal {
  ok: false;
  message: string;
}

export interface LabUpdate {
  /** Measured quantities; numbers, or `{ value, unit }`. Non-finite values are ignored. */
  results?: Record<string, number | { value: number; unit?: string }>;
  /** Criteria evaluated now: id → met. Criteria left out keep their earlier status. */
  criteria?: Record<string, boolean>;
  /** The lab's own JSON state, replacing the earlier one. */
  state?: JsonValue;
  /** Restored state the lab could not read (null removes it). */
  setAside?: SetAside | null;
}

export interface ImportOptions {
  mode?: 'merge' | 'replace';
  /**
   * Checks the parsed file against what the course knows (quiz sizes, the range of each lab quantity) and returns the
   * problems; any problem refuses the import.
   */
  check?: (incoming: Progress) => string[];
}

/** A copy of stored progress that could not be read, kept so it can be restored. */
export interface Backup {
  key: string;
  at: string;
  /** What the progress page can say about it. */
  summary: string;
}

export interface ProgressStore {
  /** A copy of the current progress. */
  get(): Progress;
  status(): StorageStatus;
  isRead(moduleId: string): boolean;
  markRead(moduleId: string): void;
  markUnread(moduleId: string): void;
  /** Records one knowledge-check attempt: per question the selected option indices and whether it was right. */
  recordQuizAttempt(moduleId: string, answers: number[][], correct: boolean[]): QuizAttempt;
  lab(labId: string): LabRecord | undefined;
  /**
   * Records lab results. Given a function, it runs on the record as stored right now (after re-reading storage), so a
   * lab can merge with what another tab just wrote before replacing its state.
   */
  recordLab(labId: string, update: LabUpdate | ((stored: LabRecord | undefined) => LabUpdate)): LabRecord;
  /** Deletes one lab's record (the lab's Reset). */
  removeLab(labId: string): void;
  /** The JSON text of an export file. */
  exportText(): string;
  exportFileName(): string;
  importText(text: string, options?: ImportOptions | 'merge' | 'replace'): ImportSummary | ImportRefusal;
  /** Copies of damaged stored progress, newest first. */
  backups(): Backup[];
  /** Merges a backup's readable parts into the current progress. */
  restoreBackup(key: string): ImportSummary | ImportRefusal;
  /** Deletes all progress from this browser, backups of damaged progress included. */
  reset(): void;
  /** Re-reads storage (after another tab changed it) and notifies listeners. */
  reload(): void;
  subscribe(listener: (progress: Progress) => void): () => void;
  /** Stops listening to window events. */
  dispose(): void;
}

export interface StoreOptions {
  /** The storage to use; a function lets a test make even the access throw. Default: `globalThis.localStorage`. */
  storage?: Storage | null | (() => Storage | null | undefined);
  key?: string;
  now?: () => Date;
  /** Where change events are dispatched and `storage` events heard. Default: `globalThis` when it is a window. */
  events?: EventTarget | null;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error) && !(typeof error === 'object' && error)) return false;
  const e = error as { name?: string; code?: number };
  return e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED' || e.code === 22 || e.code === 1014;
}

const messages: Record<StorageProblem, string> = {
  unavailable:
    "Progress can't be saved in this browser: its storage is blocked (private browsing, or site data turned off). What you do here is kept only while this page is open. Use Export to keep it.",
  full: "Progress can't be saved in this browser: its storage for this site is full. What you do now is kept only while this page is open. Use Export to keep it, or free some space and reload.",
  'newer-version':
    'Your progress was saved by a newer version of this site, so this older page will not change it. Reload the page to get the newest version.',
  recovered:
    'Part of your stored progress was damaged. What could be read is kept; a copy of the damaged data is kept too and can be restored from the progress page.',
};

function defaultEvents(): EventTarget | null {
  const g = globalThis as { window?: unknown; addEventListener?: unknown };
  return g.window === globalThis && typeof g.addEventListener === 'function' ? (globalThis as unknown as EventTarget) : null;
}

export function createProgressStore(options: StoreOptions = {}): ProgressStore {
  const key = options.key ?? STORAGE_KEY;
  const now = options.now ?? (() => new Date());
  const events = options.events === undefined ? defaultEvents() : options.events;
  const source = `store-${Math.random().toString(36).slice(2)}`;
  const listeners = new Set<(progress: Progress) => void>();

  let storage: Storage | null = null;
  let current: Progress = emptyProgress();
  let state: StorageStatus = { persistent: true, message: '' };
  /** True while memory holds changes that storage lacks (after a failed write). */
  let dirty = false;

  function fail(problem: StorageProblem, error?: unknown) {
    state = { persistent: problem === 'recovered', problem, message: messages[problem] };
    if (error !== undefined && problem === 'unavailable' && !(error instanceof DOMException)) state.message += ` (${describe(error)})`;
  }

  try {
    const s = typeof options.storage === 'function' ? options.storage() : options.storage === undefined ? globalThis.localStorage : options.storage;
    storage = s ?? null;
    if (!storage) fail('unavailable');
    else storage.getItem(key); // some browsers throw only on first use
  } catch (error) {
    storage = null;
    fail('unavailable', error);
  }
  // A small test write, so a page learns that storage is full before the student's work depends on it.
  if (storage) {
    try {
      storage.setItem(`${key}.probe`, '1');
      storage.removeItem(`${key}.probe`);
    } catch (error) {
      if (isQuotaError(error)) fail('full');
      else {
        storage = null;
        fail('unavailable', error);
      }
    }
  }

  function backupKeys(): string[] {
    if (!storage) return [];
    const keys: string[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        if (k?.startsWith(`${key}${BACKUP_INFIX}`)) keys.push(k);
      }
    } catch {
      return [];
    }
    return keys.sort().reverse();
  }

  function pruneBackups() {
    for (const old of backupKeys().slice(MAX_BACKUPS)) storage?.removeItem(old);
  }

  /** Reads what is stored. `undefined`: nothing stored; `null`: cannot be used (status says why). */
  function readStored(): Progress | undefined | null {
    if (!storage) return null;
    let raw: string | null;
    try {
      raw = storage.getItem(key);
    } catch (error) {
      fail('unavailable', error);
      storage = null;
      return null;
    }
    if (raw === null) return undefined;
    try {
      return parseEnvelope(raw);
    } catch (error) {
      if (error instanceof ProgressFormatError && error.reason === 'newer') {
        fail('newer-version');
        return null;
      }
      // Damaged: keep the raw text under a new backup key (older backups stay), then keep whatever is intact.
      let salvaged: Progress | undefined;
      try {
        salvaged = salvageEnvelope(raw).progress;
      } catch {
        salvaged = undefined;
      }
      try {
        const taken = new Set(backupKeys());
        let backup = `${key}${BACKUP_INFIX}${now().toISOString()}`;
        for (let i = 2; taken.has(backup); i++) backup = `${key}${BACKUP_INFIX}${now().toISOString()}-${i}`;
        storage.setItem(backup, raw);
        pruneBackups();
        if (salvaged) storage.setItem(key, JSON.stringify(envelope(salvaged, { savedAt: now().toISOString() })));
        else storage.removeItem(key);
      } catch {
        /* nothing more we can do */
      }
      fail('recovered');
      return salvaged;
    }
  }

  function load() {
    const stored = readStored();
    if (stored) current = dirty ? mergeProgress(stored, current) : stored;
  }

  function notify() {
    const snapshot = cloneProgress(current);
    for (const listener of [...listeners]) listener(snapshot);
  }

  function announce() {
    notify();
    if (events && typeof CustomEvent === 'function') events.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { source, key } }));
  }

  function write(next: Progress): void {
    current = next;
    if (!storage || state.problem === 'newer-version') {
      dirty = true;
      return;
    }
    try {
      storage.setItem(key, JSON.stringify(envelope(next, { savedAt: now().toISOString() })));
      dirty = false;
      if (state.problem === 'full' || state.problem === 'unavailable') state = { persistent: true, message: '' };
    } catch (error) {
      dirty = true;
      fail(isQuotaError(error) ? 'full' : 'unavailable', error);
    }
  }

  /** Read-modify-write: starts from what is stored now, so other tabs' changes are kept. */
  function commit<T>(change: (progress: Progress) => T): T {
    load();
    const next = cloneProgress(current);
    const result = change(next);
    write(next);
    announce();
    return result;
  }

  function onStorage(event: Event) {
    const e = event as StorageEvent;
    if (e.key !== null && e.key !== key) return;
    reload();
  }
  function onPageChange(event: Event) {
    const detail = (event as CustomEvent).detail as { source?: string; key?: string } | undefined;
    if (!detail || detail.source === source || detail.key !== key) return;
    reload();
  }

  function reload() {
    if (storage) {
      const stored = readStored();
      if (stored === undefined && !dirty) current = emptyProgress();
      else if (stored) current = dirty ? mergeProgress(stored, current) : stored;
    }
    notify();
  }

  load();
  events?.addEventListener('storage', onStorage);
  events?.addEventListener(PROGRESS_EVENT, onPageChange);

  const stamp = () => now().toISOString();

  return {
    get: () => cloneProgress(current),
    status: () => ({ ...state }),
    isRead: (moduleId) => moduleId in current.readings,
    markRead(moduleId) {
      commit((p) => {
        if (!p.readings[moduleId]) p.readings[moduleId] = { readAt: stamp() };
      });
    },
    markUnread(moduleId) {
      commit((p) => {
        delete p.readings[moduleId];
      });
    },
    recordQuizAttempt(moduleId, answers, correct) {
      const score = correct.filter(Boolean).length;
      const total = correct.length;
      if (total === 0) throw new Error('a knowledge check attempt needs at least one question');
      const attempt: QuizAttempt = {
        at: stamp(),
        answers: answers.map((a) => [...a]),
        correct: [...correct],
        score,
        total,
        passed: isPassed(score, total),
      };
      return commit((p) => {
        const record = p.quizzes[moduleId] ?? { attempts: [], best: { score, total } };
        record.attempts = [...record.attempts, attempt].slice(-MAX_ATTEMPTS);
        if (score / total >= record.best.score / record.best.total) record.best = { score, total };
        if (attempt.passed && !record.passedAt) record.passedAt = attempt.at;
        p.quizzes[moduleId] = record;
        return attempt;
      });
    },
    lab: (labId) => (current.labs[labId] ? cloneProgress(current).labs[labId] : undefined),
    recordLab(labId, given) {
      return commit((p) => {
        const at = stamp();
        const update = typeof given === 'function' ? given(p.labs[labId] ? (JSON.parse(JSON.stringify(p.labs[labId])) as LabRecord) : undefined) : given;
        const record: LabRecord = p.labs[labId] ?? { updatedAt: at, results: {}, criteria: {} };
        record.updatedAt = at;
        for (const [name, given] of Object.entries(update.results ?? {})) {
          const m = typeof given === 'number' ? { value: given } : given;
          if (!Number.isFinite(m.value)) continue;
          record.results[name] = m.unit ? { value: m.value, unit: m.unit, at } : { value: m.value, at };
        }
        for (const [id, met] of Object.entries(update.criteria ?? {})) record.criteria[id] = { met, at };
        if (update.state !== undefined) {
          record.state = JSON.parse(JSON.stringify(update.state)) as JsonValue;
          record.stateAt = at;
        }
        if (update.setAside === null) delete record.setAside;
        else if (update.setAside) record.setAside = JSON.parse(JSON.stringify(update.setAside)) as SetAside;
        p.labs[labId] = record;
        return JSON.parse(JSON.stringify(record)) as LabRecord;
      });
    },
    removeLab(labId) {
      commit((p) => {
        delete p.labs[labId];
      });
    },
    exportText() {
      load();
      return `${JSON.stringify(envelope(current, { exportedAt: stamp() }), null, 2)}\n`;
    },
    exportFileName() {
      return `mlops-progress-${stamp().slice(0, 10)}.json`;
    },
    importText(text, options = {}) {
      const { mode = 'merge', check } = typeof options === 'string' ? { mode: options } : options;
      let incoming: Progress;
      try {
        incoming = parseEnvelope(text);
      } catch (error) {
        if (error instanceof ProgressFormatError) return { ok: false, message: `Import refused. ${error.message} Your progress was not changed.` };
        return { ok: false, message: `Import refused: ${describe(error)}. Your progress was not changed.` };
      }
      if (latestDate(incoming) > now().getTime() + FUTURE_SLACK_MS) {
        return { ok: false, message: 'Import refused. The file holds dates in the future, so it was not made by this course site. Your progress was not changed.' };
      }
      const problems = check?.(incoming) ?? [];
      if (problems.length) {
        return { ok: false, message: `Import refused. ${problems.slice(0, 3).join(' ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''} Your progress was not changed.` };
      }
      // Lab results that come in through a file were measured somewhere else: say so wherever they are shown.
      const importedAt = stamp();
      for (const record of Object.values(incoming.labs)) record.importedAt = importedAt;
      commit((p) => {
        const next = mode === 'replace' ? incoming : mergeProgress(p, incoming);
        p.readings = next.readings;
        p.quizzes = next.quizzes;
        p.labs = next.labs;
      });
      const summary: ImportSummary = {
        ok: true,
        mode,
        readings: Object.keys(incoming.readings).length,
        quizzes: Object.keys(incoming.quizzes).length,
        labs: Object.keys(incoming.labs).length,
      };
      if (!state.persistent) summary.warning = state.message;
      return summary;
    },
    backups() {
      return backupKeys().map((k) => {
        const at = k.slice(`${key}${BACKUP_INFIX}`.length);
        let summary = 'unreadable';
        try {
          const { progress, dropped } = salvageEnvelope(storage?.getItem(k) ?? '');
          summary = `${Object.keys(progress.readings).length} readings, ${Object.keys(progress.quizzes).length} knowledge checks, ${Object.keys(progress.labs).length} labs readable${dropped.length ? `; ${dropped.length} damaged entries` : ''}`;
        } catch {
          /* stays "unreadable" */
        }
        return { key: k, at, summary };
      });
    },
    restoreBackup(backupKey) {
      if (!backupKey.startsWith(`${key}${BACKUP_INFIX}`)) return { ok: false, message: 'That is not a backup of your progress.' };
      let salvaged: Progress;
      try {
        salvaged = salvageEnvelope(storage?.getItem(backupKey) ?? '').progress;
      } catch {
        return { ok: false, message: 'Nothing in that backup can be read.' };
      }
      commit((p) => {
        const next = mergeProgress(p, salvaged);
        p.readings = next.readings;
        p.quizzes = next.quizzes;
        p.labs = next.labs;
      });
      return { ok: true, mode: 'merge', readings: Object.keys(salvaged.readings).length, quizzes: Object.keys(salvaged.quizzes).length, labs: Object.keys(salvaged.labs).length };
    },
    reset() {
      current = emptyProgress();
      dirty = false;
      if (storage && state.problem !== 'newer-version') {
        try {
          storage.removeItem(key);
          for (const backup of backupKeys()) storage.removeItem(backup);
          if (state.problem) state = { persistent: true, message: '' };
        } catch (error) {
          fail('unavailable', error);
        }
      }
      announce();
    },
    reload,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      events?.removeEventListener('storage', onStorage);
      events?.removeEventListener(PROGRESS_EVENT, onPageChange);
      listeners.clear();
    },
  };
}

let shared: ProgressStore | undefined;

/** The page's shared store (browser): every component on a page should use this one. */
export function progressStore(): ProgressStore {
  shared ??= createProgressStore();
  return shared;
}

export { PROGRESS_FORMAT, PROGRESS_VERSION };
