/**
 * A lab session: the one path by which a lab's work is kept. It holds the lab's state (see `LabDefinition`) and the
 * student's own fields, and writes both into the progress store with the measured results and the criteria, so that
 * export, import and "delete all progress" cover every lab.
 *
 * - Restored state goes through the lab's `parse`. What does not parse is set aside (kept in the store with the
 *   reason, for the student to download) and the lab starts afresh: a bad record never disables a lab.
 * - State that came in through an import is marked, item by item where the lab can (`markRestored`), so the lab,
 *   its report and the lecturer's verification never take it for a measurement made here.
 * - A state too large for the browser's storage is kept in memory only, and `status` says so; nothing that was
 *   saved before is overwritten.
 * - Another tab's changes to the same lab are merged (`merge`) instead of overwritten.
 */
import type { JsonValue, LabRecord, ProgressStore, SetAside } from '../progress/index.ts';
import { evaluateCriteria, metMap, type Criterion, type Evaluation } from '../report/criteria.ts';
import { StateError, type LabDefinition, type Measured } from './define.ts';
import type { ExerciseRecord } from './exercise.ts';

/** What the student writes about their own work: it goes into the report. */
export interface StudentFields {
  name: string;
  notes: string;
}

export interface LabMeta {
  student: StudentFields;
  /** Solutions, references and tests the student opened: id → first time. Reports list them. */
  shown: Record<string, string>;
  /** The import that the restored parts of the state came from (ISO date), once they have been marked. */
  restoredAt?: string;
  /** The coding exercises: the student's code and last test run, by exercise id. */
  code: Record<string, ExerciseRecord>;
}

/** What the progress store holds as a lab's `state`. */
export interface StoredLabState {
  format: 'mlops-lab-state';
  version: number;
  /** A new random id on every write: a session whose last read or write had another one knows another tab wrote. */
  rev: string;
  value: JsonValue;
  meta: LabMeta;
}

export type SaveProblem = 'too-large' | 'full' | 'unavailable' | 'newer-version';

export interface SessionStatus {
  /** True when the last change is in the browser's storage. */
  saved: boolean;
  problem?: SaveProblem;
  /** A sentence for the student; empty when all is well. */
  message: string;
  /** Bytes of the lab's stored state (JSON characters). */
  bytes: number;
}

export interface SessionOptions {
  /** The largest lab state kept in storage, in JSON characters (localStorage holds about 5 M for the whole site). */
  maxBytes?: number;
  now?: () => Date;
}

export const DEFAULT_MAX_STATE_BYTES = 1_500_000;
const emptyMeta = (): LabMeta => ({ student: { name: '', notes: '' }, shown: {}, code: {} });

const MAX_CODE = 50_000;

/** A stored exercise record, or undefined when it does not have the right shape. */
function parseCode(value: unknown): ExerciseRecord | undefined {
  if (!isObject(value) || typeof value.source !== 'string' || value.source.length > MAX_CODE) return undefined;
  const runs = typeof value.runs === 'number' && Number.isInteger(value.runs) && value.runs >= 0 ? value.runs : 0;
  const record: ExerciseRecord = { source: value.source, runs, use: value.use === true };
  const last = value.last;
  if (isObject(last) && typeof last.at === 'string' && Array.isArray(last.cases)) {
    const cases = last.cases.filter((c): c is { name: string; passed: boolean; message?: string } => isObject(c) && typeof c.name === 'string' && typeof c.passed === 'boolean');
    record.last = { at: last.at, cases: cases.map((c) => ({ name: c.name, passed: c.passed, ...(typeof c.message === 'string' ? { message: c.message } : {}) })), ...(typeof last.error === 'string' ? { error: last.error } : {}) };
  }
  return record;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function revOf(record: LabRecord | undefined): string | undefined {
  const state = record?.state;
  return isObject(state) && typeof state.rev === 'string' ? state.rev : undefined;
}

function parseMeta(value: unknown): LabMeta {
  const meta = emptyMeta();
  if (!isObject(value)) return meta;
  if (isObject(value.student)) {
    if (typeof value.student.name === 'string') meta.student.name = value.student.name.slice(0, 200);
    if (typeof value.student.notes === 'string') meta.student.notes = value.student.notes.slice(0, 20_000);
  }
  if (isObject(value.shown)) {
    for (const [id, at] of Object.entries(value.shown)) if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) meta.shown[id] = at;
  }
  if (typeof value.restoredAt === 'string' && !Number.isNaN(Date.parse(value.restoredAt))) meta.restoredAt = value.restoredAt;
  if (isObject(value.code)) {
    for (const [id, record] of Object.entries(value.code)) {
      const parsed = parseCode(record);
      if (parsed && /^[a-z0-9-]{1,60}$/.test(id)) meta.code[id] = parsed;
    }
  }
  return meta;
}

export class LabSession<S> {
  private current: S;
  private metaValue: LabMeta = emptyMeta();
  private aside: SetAside | null = null;
  private statusValue: SessionStatus = { saved: true, message: '', bytes: 0 };
  /** The `rev` of the state this session last read or wrote: anything else in the store is another tab's. */
  private synced: string | undefined;
  private ownWrite = false;
  private cache: { state: S; measured: Measured; evaluations: Evaluation[] } | undefined;
  private listeners = new Set<() => void>();
  private unsubscribe: () => void;
  private readonly maxBytes: number;
  private readonly now: () => Date;
  readonly definition: LabDefinition<S>;
  readonly criteria: readonly Criterion[];
  private readonly store: ProgressStore;

  constructor(definition: LabDefinition<S>, criteria: readonly Criterion[], store: ProgressStore, options: SessionOptions = {}) {
    this.definition = definition;
    this.criteria = criteria;
    this.store = store;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_STATE_BYTES;
    this.now = options.now ?? (() => new Date());
    this.current = definition.empty();
    this.restore(store.lab(definition.id));
    this.unsubscribe = store.subscribe(() => this.onStoreChange());
  }

  get state(): S {
    return this.current;
  }
  get meta(): LabMeta {
    return this.metaValue;
  }
  /** Restored state the lab could not read: the student can download it (`setAsideText`) or discard it. */
  get setAside(): SetAside | null {
    return this.aside;
  }
  get status(): SessionStatus {
    return this.statusValue;
  }
  /** Measured from the current state (computed once per state). */
  get measured(): Measured {
    if (this.cache?.state !== this.current) {
      const measured = this.definition.measure(this.current);
      this.cache = { state: this.current, measured, evaluations: evaluateCriteria(this.criteria, measured) };
    }
    return this.cache.measured;
  }
  get evaluations(): Evaluation[] {
    void this.measured;
    return this.cache!.evaluations;
  }

  /** Applies a change to the state, then saves it with the results and criteria. */
  update(change: (state: S) => S): void {
    this.current = change(this.current);
    this.save();
  }

  updateMeta(change: (meta: LabMeta) => LabMeta): void {
    this.metaValue = change(this.metaValue);
    this.save();
  }

  /** Records that the student opened a solution, a reference implementation or the tests (first time only). */
  markShown(id: string): void {
    if (this.metaValue.shown[id]) return;
    this.updateMeta((m) => ({ ...m, shown: { ...m.shown, [id]: this.now().toISOString() } }));
  }

  discardSetAside(): void {
    this.aside = null;
    this.writing(() => this.store.recordLab(this.definition.id, { setAside: null }));
    this.notify();
  }

  setAsideText(): string {
    return this.aside ? `${JSON.stringify(this.aside, null, 2)}\n` : '';
  }

  /** Deletes this lab's record: state, results, criteria and anything set aside. */
  reset(): void {
    this.writing(() => this.store.removeLab(this.definition.id));
    this.current = this.definition.empty();
    this.metaValue = emptyMeta();
    this.aside = null;
    this.synced = undefined;
    this.statusValue = { saved: true, message: '', bytes: 0 };
    this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  // -------------------------------------------------------------------------------------------------------------

  private notify() {
    for (const listener of [...this.listeners]) listener();
  }

  /** Reads a stored record: the state if it parses, else the record's state set aside. */
  private read(record: LabRecord | undefined): { state: S; meta: LabMeta; problem?: string; marked?: boolean } {
    const stored = record?.state;
    if (stored === undefined) return { state: this.definition.empty(), meta: emptyMeta() };
    try {
      if (!isObject(stored) || stored.format !== 'mlops-lab-state' || typeof stored.version !== 'number') {
        throw new StateError('it is not a saved lab state of this site');
      }
      if (stored.version > this.definition.version) {
        throw new StateError(`it was saved by a newer version of this lab (state version ${stored.version}; this page reads up to ${this.definition.version}). Reload the page`);
      }
      const state = this.definition.parse(stored.value, stored.version);
      const meta = parseMeta(stored.meta);
      if (record?.importedAt && meta.restoredAt !== record.importedAt) {
        meta.restoredAt = record.importedAt;
        return { state: this.definition.markRestored ? this.definition.markRestored(state, record.importedAt) : state, meta, marked: true };
      }
      return { state, meta };
    } catch (error) {
      const why = error instanceof StateError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { state: this.definition.empty(), meta: emptyMeta(), problem: why };
    }
  }

  private restore(record: LabRecord | undefined) {
    this.aside = record?.setAside ?? null;
    const { state, meta, problem, marked } = this.read(record);
    this.current = state;
    this.metaValue = meta;
    this.synced = revOf(record);
    if (problem && record?.state !== undefined) {
      // Keep what could not be read, with the reason, and start afresh.
      this.aside = { at: this.now().toISOString(), message: `Your saved work for this lab could not be read: ${problem}.`, state: record.state };
      const state = this.stored();
      this.writing(() => this.store.recordLab(this.definition.id, { setAside: this.aside, state }));
      this.synced = state.rev;
    } else if (marked) {
      this.save(); // keep the restored marks
    }
    this.refreshStatus(JSON.stringify(this.stored()).length);
  }

  /** The stored form of the current state (plain JSON). */
  private stored(): StoredLabState & JsonValue {
    return {
      format: 'mlops-lab-state',
      version: this.definition.version,
      rev: Math.random().toString(36).slice(2, 12),
      value: JSON.parse(JSON.stringify(this.current)) as JsonValue,
      meta: this.metaValue,
    } as StoredLabState & JsonValue;
  }

  private save() {
    const { id } = this.definition;
    let tooLarge = false;
    let bytes = 0;
    let rev: string | undefined;
    this.writing(() => this.store.recordLab(id, (stored) => {
      // Another tab wrote this lab since we last synced: merge its work in before replacing the state.
      if (revOf(stored) !== this.synced && stored?.state !== undefined && this.definition.merge) {
        const theirs = this.read(stored);
        if (!theirs.problem) this.current = this.definition.merge(theirs.state, this.current);
      }
      const measured = this.definition.measure(this.current);
      const results: Record<string, { value: number; unit?: string }> = {};
      for (const [name, e] of Object.entries(measured)) {
        const unit = this.definition.quantities[name]?.unit;
        results[name] = unit ? { value: e.value, unit } : { value: e.value };
      }
      const state = this.stored();
      rev = state.rev;
      bytes = JSON.stringify(state).length;
      tooLarge = bytes > this.maxBytes;
      return { results, criteria: metMap(evaluateCriteria(this.criteria, measured)), ...(tooLarge ? {} : { state }) };
    }));
    if (!tooLarge) this.synced = rev;
    this.refreshStatus(bytes, tooLarge);
    this.notify();
  }

  private refreshStatus(bytes: number, tooLarge = false) {
    const store = this.store.status();
    if (tooLarge) {
      this.statusValue = {
        saved: false,
        problem: 'too-large',
        bytes,
        message: `This lab's work (${Math.round(bytes / 1024)} KB) is too large to keep in this browser's storage, so the latest changes are kept only while this page is open. Download your report bundle now to keep them.`,
      };
    } else if (!store.persistent && store.problem) {
      this.statusValue = { saved: false, problem: store.problem === 'recovered' ? undefined : (store.problem as SaveProblem), bytes, message: store.message };
    } else {
      this.statusValue = { saved: true, bytes, message: '' };
    }
  }

  /** Runs one of this session's own writes; the store's change notification for it is not another tab's change. */
  private writing<T>(write: () => T): T {
    this.ownWrite = true;
    try {
      return write();
    } finally {
      this.ownWrite = false;
    }
  }

  private onStoreChange() {
    if (this.ownWrite) return;
    const record = this.store.lab(this.definition.id);
    if (!record) {
      // Deleted elsewhere ("delete all progress" on another page or tab).
      if (this.synced !== undefined) {
        this.current = this.definition.empty();
        this.metaValue = emptyMeta();
        this.aside = null;
        this.synced = undefined;
        this.notify();
      }
      return;
    }
    if (revOf(record) === this.synced) return;
    const theirs = this.read(record);
    if (theirs.problem) return;
    this.current = this.definition.merge ? this.definition.merge(theirs.state, this.current) : theirs.state;
    this.metaValue = theirs.meta;
    this.aside = record.setAside ?? null;
    this.synced = revOf(record);
    this.notify();
  }
}
