import { describe, expect, it } from 'vitest';
import {
  MAX_ATTEMPTS,
  PROGRESS_EVENT,
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  STORAGE_KEY,
  createProgressStore,
  mergeProgress,
  parseEnvelope,
  type Progress,
} from './index';
import { FakeStorage } from './fake-storage';

function clock(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
  let t = start;
  return () => new Date((t += 1000));
}

function makeStore(storage: Storage | null | (() => Storage) = new FakeStorage(), events: EventTarget | null = null) {
  return createProgressStore({ storage, now: clock(), events });
}

describe('progress store', () => {
  it('records readings, quiz attempts and lab results, and keeps them across a reload', () => {
    const storage = new FakeStorage();
    const a = makeStore(storage);
    a.markRead('intro');
    const attempt = a.recordQuizAttempt('intro', [[1], [0, 2], [3], [0], [1]], [true, true, false, true, true]);
    expect(attempt).toMatchObject({ score: 4, total: 5, passed: true });
    a.recordLab('speed', { results: { runs: 31, 'p95-ms': { value: 2.5, unit: 'ms' }, bad: Number.NaN }, criteria: { 'enough-runs': true } });
    expect(a.status()).toEqual({ persistent: true, message: '' });

    const b = makeStore(storage);
    const p = b.get();
    expect(b.isRead('intro')).toBe(true);
    expect(p.quizzes.intro!.best).toEqual({ score: 4, total: 5 });
    expect(p.quizzes.intro!.passedAt).toBe(attempt.at);
    expect(p.quizzes.intro!.attempts[0]!.answers).toEqual([[1], [0, 2], [3], [0], [1]]);
    expect(p.labs.speed!.results.runs!.value).toBe(31);
    expect(p.labs.speed!.results['p95-ms']).toMatchObject({ value: 2.5, unit: 'ms' });
    expect(p.labs.speed!.results.bad).toBeUndefined();
    expect(p.labs.speed!.criteria['enough-runs']!.met).toBe(true);
    const raw = JSON.parse(storage.getItem(STORAGE_KEY)!);
    expect(raw).toMatchObject({ format: PROGRESS_FORMAT, version: PROGRESS_VERSION });
  });

  it('passes a knowledge check at 80% and keeps the best score and first pass', () => {
    const s = makeStore();
    expect(s.recordQuizAttempt('edge', [[0], [0], [0], [0], [0]], [true, true, true, false, false]).passed).toBe(false);
    const pass = s.recordQuizAttempt('edge', [[0], [0], [0], [0], [0]], [true, true, true, true, true]);
    s.recordQuizAttempt('edge', [[0], [0], [0], [0], [0]], [false, true, true, true, true]);
    const q = s.get().quizzes.edge!;
    expect(q.attempts).toHaveLength(3);
    expect(q.best).toEqual({ score: 5, total: 5 });
    expect(q.passedAt).toBe(pass.at);
    for (let i = 0; i < MAX_ATTEMPTS + 5; i++) s.recordQuizAttempt('edge', [[0]], [true]);
    expect(s.get().quizzes.edge!.attempts).toHaveLength(MAX_ATTEMPTS);
    expect(s.get().quizzes.edge!.passedAt).toBe(pass.at);
  });

  it('keeps working in memory and says why when storage is blocked (SecurityError)', () => {
    const storage = new FakeStorage();
    storage.blocked = true;
    const s = makeStore(storage);
    expect(s.status().persistent).toBe(false);
    expect(s.status().problem).toBe('unavailable');
    expect(s.status().message).toMatch(/can't be saved in this browser/);
    expect(s.status().message, 'a sentence for a student, not the raw DOMException').not.toMatch(/SecurityError|insecure/);
    s.markRead('intro');
    expect(s.isRead('intro')).toBe(true);
    expect(s.exportText()).toContain('"intro"');
  });

  it('keeps working when even touching localStorage throws', () => {
    const s = makeStore(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(s.status().problem).toBe('unavailable');
    s.markRead('intro');
    expect(s.isRead('intro')).toBe(true);
  });

  it('keeps working when storage is missing altogether', () => {
    const s = makeStore(null);
    expect(s.status().problem).toBe('unavailable');
    s.recordQuizAttempt('intro', [[0]], [true]);
    expect(s.get().quizzes.intro!.best.score).toBe(1);
  });

  it('keeps working in memory when storage is full (QuotaExceededError), and recovers when space frees up', () => {
    const storage = new FakeStorage();
    const s = makeStore(storage);
    s.markRead('intro');
    storage.quotaBytes = 10;
    s.markRead('containers');
    expect(s.status()).toMatchObject({ persistent: false, problem: 'full' });
    expect(s.status().message).toMatch(/full/);
    expect(s.isRead('containers')).toBe(true);
    // What was stored before is still there.
    expect(parseEnvelope(storage.getItem(STORAGE_KEY)!).readings.intro).toBeDefined();
    storage.quotaBytes = Infinity;
    s.markRead('workflows');
    expect(s.status()).toEqual({ persistent: true, message: '' });
    const stored = parseEnvelope(storage.getItem(STORAGE_KEY)!);
    expect(Object.keys(stored.readings).sort()).toEqual(['containers', 'intro', 'workflows']);
  });

  it('migrates a version 1 value from storage', () => {
    const storage = new FakeStorage();
    storage.setItem(
      STORAGE_KEY,
      JSON.stringify({
        format: PROGRESS_FORMAT,
        version: 1,
        progress: {
          read: ['intro', 'containers'],
          quizzes: { intro: { score: 5, total: 5, passed: true, at: '2026-10-01T10:00:00.000Z', answers: [[0], [1], [2], [0], [1]] } },
          labs: { speed: { at: '2026-10-02T10:00:00.000Z', results: { runs: 40 }, met: ['enough-runs'] } },
        },
      }),
    );
    const s = makeStore(storage);
    const p = s.get();
    expect(Object.keys(p.readings)).toEqual(['intro', 'containers']);
    expect(p.quizzes.intro).toMatchObject({ best: { score: 5, total: 5 }, passedAt: '2026-10-01T10:00:00.000Z' });
    expect(p.quizzes.intro!.attempts[0]!.answers).toHaveLength(5);
    expect(p.labs.speed!.results.runs).toEqual({ value: 40, at: '2026-10-02T10:00:00.000Z' });
    expect(p.labs.speed!.criteria['enough-runs']).toEqual({ met: true, at: '2026-10-02T10:00:00.000Z' });
    // The next write stores the current version.
    s.markRead('edge');
    expect(JSON.parse(storage.getItem(STORAGE_KEY)!).version).toBe(PROGRESS_VERSION);
  });

  it('does not overwrite progress saved by a newer site version', () => {
    const storage = new FakeStorage();
    const newer = JSON.stringify({ format: PROGRESS_FORMAT, version: PROGRESS_VERSION + 1, progress: { anything: true } });
    storage.setItem(STORAGE_KEY, newer);
    const s = makeStore(storage);
    expect(s.status().problem).toBe('newer-version');
    s.markRead('intro');
    s.reset();
    expect(storage.getItem(STORAGE_KEY)).toBe(newer);
  });

  it('keeps what is intact of damaged stored progress, and a backup of each damaged copy that can be restored', () => {
    const storage = new FakeStorage();
    const damaged = (readAt: string) =>
      JSON.stringify({ format: PROGRESS_FORMAT, version: 2, progress: { readings: { intro: { readAt }, edge: { readAt: '2026-11-01T10:00:00Z' } } } });
    storage.setItem(STORAGE_KEY, damaged('soon'));
    const s = makeStore(storage);
    expect(s.status().problem).toBe('recovered');
    expect(Object.keys(s.get().readings)).toEqual(['edge']);
    expect(s.backups()).toHaveLength(1);
    expect(storage.getItem(s.backups()[0]!.key)).toContain('soon');

    // A second damage does not overwrite the first backup.
    storage.setItem(STORAGE_KEY, damaged('later'));
    const again = makeStore(storage);
    expect(again.backups().map((b) => storage.getItem(b.key)).join()).toMatch(/soon.*|later.*/);
    expect(again.backups()).toHaveLength(2);
    expect(again.backups()[0]!.summary).toMatch(/1 readings.*1 damaged/);

    again.markRead('intro');
    expect(parseEnvelope(storage.getItem(STORAGE_KEY)!).readings.intro).toBeDefined();
    expect(again.restoreBackup(again.backups()[0]!.key)).toMatchObject({ ok: true, readings: 1 });
    expect(again.restoreBackup('mlops-course.progress')).toMatchObject({ ok: false });
    again.reset();
    expect(again.backups(), 'delete all progress deletes the backups too').toEqual([]);
  });

  it('keeps changes made in another tab (read-modify-write)', () => {
    const storage = new FakeStorage();
    const tab1 = makeStore(storage);
    const tab2 = makeStore(storage);
    tab1.markRead('intro');
    tab2.markRead('containers');
    expect(Object.keys(parseEnvelope(storage.getItem(STORAGE_KEY)!).readings).sort()).toEqual(['containers', 'intro']);
  });

  it('notifies subscribers, other stores on the page, and reacts to storage events', () => {
    const storage = new FakeStorage();
    const bus = new EventTarget();
    const a = makeStore(storage, bus);
    const b = makeStore(storage, bus);
    const seenA: Progress[] = [];
    const seenB: Progress[] = [];
    a.subscribe((p) => seenA.push(p));
    const off = b.subscribe((p) => seenB.push(p));
    let pageEvents = 0;
    bus.addEventListener(PROGRESS_EVENT, () => pageEvents++);
    a.markRead('intro');
    expect(seenA).toHaveLength(1);
    expect(seenB.at(-1)!.readings.intro).toBeDefined();
    expect(pageEvents).toBe(1);
    // Another tab writes; the browser fires `storage` here.
    const other = makeStore(storage);
    other.markRead('edge');
    const storageEvent = Object.assign(new Event('storage'), { key: STORAGE_KEY });
    bus.dispatchEvent(storageEvent);
    expect(seenA.at(-1)!.readings.edge).toBeDefined();
    expect(seenB.at(-1)!.readings.edge).toBeDefined();
    off();
    a.dispose();
    b.dispose();
  });

  it('resets everything', () => {
    const storage = new FakeStorage();
    const s = makeStore(storage);
    s.markRead('intro');
    s.reset();
    expect(s.get()).toEqual({ readings: {}, quizzes: {}, labs: {} });
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
  });
});

describe('export and import', () => {
  function seeded() {
    const storage = new FakeStorage();
    const s = makeStore(storage);
    s.markRead('intro');
    s.recordQuizAttempt('intro', [[0], [1], [2], [0], [1]], [true, true, true, true, false]);
    s.recordLab('quantize-prune', { results: { 'uint8-ratio': 0.251 }, criteria: { 'uint8-size': true }, state: { variants: [{ name: 'uint8', bytes: 1234 }] } });
    return { storage, s };
  }

  it('exports a file with format id, version and date, that imports into an empty browser', () => {
    const { s } = seeded();
    const text = s.exportText();
    const file = JSON.parse(text);
    expect(file.format).toBe(PROGRESS_FORMAT);
    expect(file.version).toBe(PROGRESS_VERSION);
    expect(Number.isNaN(Date.parse(file.exportedAt))).toBe(false);
    expect(s.exportFileName()).toMatch(/^mlops-progress-\d{4}-\d{2}-\d{2}\.json$/);

    const fresh = makeStore(new FakeStorage());
    const result = fresh.importText(text);
    expect(result).toMatchObject({ ok: true, mode: 'merge', readings: 1, quizzes: 1, labs: 1 });
    const imported = fresh.get();
    for (const record of Object.values(imported.labs)) {
      expect(Date.parse(record.importedAt!), 'lab results that came in through a file say so').not.toBeNaN();
      delete record.importedAt;
    }
    expect(imported).toEqual(s.get());
  });

  it('refuses files dated in the future or that fail the course check, and loses nothing', () => {
    const { s } = seeded();
    const before = s.get();
    const file = JSON.parse(s.exportText());
    file.progress.readings.intro.readAt = '+275760-09-13T00:00:00.000Z';
    expect(s.importText(JSON.stringify(file))).toMatchObject({ ok: false, message: expect.stringMatching(/dates in the future/) });
    const checked = s.importText(s.exportText(), { check: (p) => (p.quizzes.intro ? ['The intro check has 8 questions, not 5.'] : []) });
    expect(checked).toMatchObject({ ok: false, message: expect.stringMatching(/8 questions/) });
    expect(s.get()).toEqual(before);
  });

  it('refuses a knowledge-check attempt whose pass flag or answers do not fit its score', () => {
    const { s } = seeded();
    const file = JSON.parse(s.exportText());
    const attempt = Object.values(file.progress.quizzes as Record<string, { attempts: { passed: boolean }[] }>)[0]!.attempts[0]!;
    attempt.passed = !attempt.passed;
    expect(s.importText(JSON.stringify(file))).toMatchObject({ ok: false, message: expect.stringMatching(/passed does not fit a score/) });
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['not JSON', '{"format": "mlops-course-progress", "version": 2, "progress": {"readi', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['foreign JSON', JSON.stringify({ name: 'my-package', version: '1.0.0' }), /not a progress file from this course/],
    ['an array', '[1,2,3]', /not a progress file/],
    ['a newer version', JSON.stringify({ format: PROGRESS_FORMAT, version: 99, progress: {} }), /newer version/],
    ['a bad version', JSON.stringify({ format: PROGRESS_FORMAT, version: 'two', progress: {} }), /no valid format version/],
    ['a bad date', JSON.stringify({ format: PROGRESS_FORMAT, version: 2, progress: { readings: { intro: { readAt: 'yesterday' } } } }), /readings\.intro\.readAt should be a date/],
    ['a bad module id', JSON.stringify({ format: PROGRESS_FORMAT, version: 2, progress: { readings: { 'Intro Module': { readAt: '2026-01-01' } } } }), /bad key/],
    ['a prototype key', `{"format":"${PROGRESS_FORMAT}","version":2,"progress":{"readings":{"__proto__":{"readAt":"2026-01-01"}}}}`, /forbidden key/],
    [
      'a score above its total',
      JSON.stringify({ format: PROGRESS_FORMAT, version: 2, progress: { quizzes: { intro: { attempts: [], best: { score: 6, total: 5 } } } } }),
      /does not fit/,
    ],
    [
      'a non-numeric result',
      JSON.stringify({ format: PROGRESS_FORMAT, version: 2, progress: { labs: { speed: { updatedAt: '2026-01-01', results: { runs: { value: 'many', at: '2026-01-01' } }, criteria: {} } } } }),
      /results\.runs\.value should be a number/,
    ],
    ['no progress', JSON.stringify({ format: PROGRESS_FORMAT, version: 2 }), /progress should be an object/],
  ];

  for (const [name, text, message] of refusals) {
    it(`refuses ${name} with a clear message and loses nothing`, () => {
      const { storage, s } = seeded();
      const before = storage.getItem(STORAGE_KEY);
      const progressBefore = s.get();
      const result = s.importText(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toMatch(message);
        expect(result.message).toMatch(/^Import refused\./);
        expect(result.message).toMatch(/not changed/);
      }
      expect(storage.getItem(STORAGE_KEY)).toBe(before);
      expect(s.get()).toEqual(progressBefore);
    });
  }

  it('refuses a partly valid file without writing any of it', () => {
    const { storage, s } = seeded();
    const before = storage.getItem(STORAGE_KEY);
    const file = JSON.parse(s.exportText());
    file.progress.readings.containers = { readAt: '2026-11-01T00:00:00.000Z' };
    file.progress.labs.speed = { updatedAt: 'never', results: {}, criteria: {} };
    expect(s.importText(JSON.stringify(file)).ok).toBe(false);
    expect(storage.getItem(STORAGE_KEY)).toBe(before);
    expect(s.isRead('containers')).toBe(false);
  });

  it('imports a version 1 export', () => {
    const s = makeStore();
    const result = s.importText(JSON.stringify({ format: PROGRESS_FORMAT, version: 1, progress: { read: ['tuning'] } }));
    expect(result.ok).toBe(true);
    expect(s.isRead('tuning')).toBe(true);
  });

  it('merges: keeps what both sides hold, the most recent lab values, all attempts and the best score', () => {
    const here: Progress = {
      readings: { intro: { readAt: '2026-10-05T00:00:00.000Z' }, edge: { readAt: '2026-10-09T00:00:00.000Z' } },
      quizzes: {
        intro: {
          attempts: [{ at: '2026-10-05T01:00:00.000Z', answers: [[0]], correct: [false], score: 3, total: 5, passed: false }],
          best: { score: 3, total: 5 },
        },
      },
      labs: {
        speed: {
          updatedAt: '2026-10-10T00:00:00.000Z',
          results: { runs: { value: 30, at: '2026-10-10T00:00:00.000Z' }, batch: { value: 1, at: '2026-10-01T00:00:00.000Z' } },
          criteria: { 'enough-runs': { met: true, at: '2026-10-10T00:00:00.000Z' } },
          state: { here: true },
          stateAt: '2026-10-10T00:00:00.000Z',
        },
      },
    };
    const there: Progress = {
      readings: { intro: { readAt: '2026-10-01T00:00:00.000Z' }, tuning: { readAt: '2026-10-12T00:00:00.000Z' } },
      quizzes: {
        intro: {
          attempts: [{ at: '2026-10-06T01:00:00.000Z', answers: [[1]], correct: [true], score: 5, total: 5, passed: true }],
          best: { score: 5, total: 5 },
          passedAt: '2026-10-06T01:00:00.000Z',
        },
      },
      labs: {
        speed: {
          updatedAt: '2026-10-08T00:00:00.000Z',
          results: { runs: { value: 10, at: '2026-10-08T00:00:00.000Z' }, batch: { value: 256, at: '2026-10-08T00:00:00.000Z' } },
          criteria: { 'enough-runs': { met: false, at: '2026-10-08T00:00:00.000Z' }, sweep: { met: true, at: '2026-10-08T00:00:00.000Z' } },
          state: { there: true },
          stateAt: '2026-10-08T00:00:00.000Z',
        },
      },
    };
    const merged = mergeProgress(here, there);
    expect(Object.keys(merged.readings).sort()).toEqual(['edge', 'intro', 'tuning']);
    expect(merged.readings.intro!.readAt).toBe('2026-10-01T00:00:00.000Z');
    expect(merged.quizzes.intro!.attempts.map((a) => a.score)).toEqual([3, 5]);
    expect(merged.quizzes.intro!.best).toEqual({ score: 5, total: 5 });
    expect(merged.quizzes.intro!.passedAt).toBe('2026-10-06T01:00:00.000Z');
    const lab = merged.labs.speed!;
    expect(lab.results.runs!.value).toBe(30);
    expect(lab.results.batch!.value).toBe(256);
    expect(lab.criteria['enough-runs']!.met).toBe(true);
    expect(lab.criteria.sweep!.met).toBe(true);
    expect(lab.state).toEqual({ here: true });
    expect(lab.updatedAt).toBe('2026-10-10T00:00:00.000Z');
    // Merging is order-independent for these values and idempotent.
    expect(mergeProgress(there, here).labs.speed!.results).toEqual(lab.results);
    expect(mergeProgress(merged, merged)).toEqual(merged);
  });

  it('imports over existing progress by merging, so nothing is lost; replace mode replaces', () => {
    const { s } = seeded();
    const other = makeStore(new FakeStorage());
    other.markRead('tuning');
    const result = s.importText(other.exportText());
    expect(result.ok).toBe(true);
    expect(s.isRead('intro')).toBe(true);
    expect(s.isRead('tuning')).toBe(true);
    expect(s.get().labs['quantize-prune']).toBeDefined();
    s.importText(other.exportText(), 'replace');
    expect(s.isRead('intro')).toBe(false);
    expect(s.isRead('tuning')).toBe(true);
  });

  it('imports into a browser whose storage is full, keeping the result in memory with a warning', () => {
    const { s } = seeded();
    const storage = new FakeStorage();
    storage.quotaBytes = 5;
    const target = makeStore(storage);
    const result = target.importText(s.exportText());
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.warning).toMatch(/full/);
    expect(target.isRead('intro')).toBe(true);
  });
});
