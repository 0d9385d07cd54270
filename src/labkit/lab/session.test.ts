import { describe, expect, it } from 'vitest';
import { createProgressStore, type JsonValue } from '../progress/index.ts';
import { FakeStorage } from '../progress/fake-storage.ts';
import type { Criterion } from '../report/criteria.ts';
import { checkCriteria } from './define.ts';
import { LabSession } from './session.ts';
import { criteria, dice, type State } from './testing/dice-lab.ts';

function clock(start = Date.UTC(2026, 10, 30, 9)) {
  let t = start;
  return () => new Date((t += 1000));
}

function setup(storage = new FakeStorage(), maxBytes?: number) {
  const now = clock();
  const store = createProgressStore({ storage, now, events: null });
  return { storage, store, session: new LabSession(dice, criteria, store, { now, maxBytes }) };
}

const add = (value: number, id = `t${value}-${Math.random()}`) => (s: State) => ({ throws: [...s.throws, { id, value }] });

describe('lab session', () => {
  it('keeps the state, results and criteria in the progress store, and restores them after a reload', () => {
    const { storage, session } = setup();
    session.update(add(5));
    session.update(add(6));
    session.update(add(7));
    expect(session.evaluations.map((e) => e.status)).toEqual(['met', 'met']);
    const again = setup(storage).session;
    expect(again.state.throws.map((t) => t.value)).toEqual([5, 6, 7]);
    const record = again['store'].lab('dice')!;
    expect(record.results['throws.count']).toMatchObject({ value: 3, unit: 'throws' });
    expect(record.criteria.high!.met).toBe(true);
  });

  it('compares the interval end a criterion names', () => {
    const { session } = setup();
    for (const v of [4, 4.5, 4.5]) session.update(add(v));
    // mean 4.33, lower bound 3.33 < 4
    expect(session.evaluations.find((e) => e.criterion.id === 'high')).toMatchObject({ status: 'not-met', value: expect.closeTo(3.333, 3) });
  });

  it('migrates an older state version', () => {
    const { storage, store } = setup();
    store.recordLab('dice', { state: { format: 'mlops-lab-state', version: 1, value: [1, 2], meta: {} } });
    const { session } = setup(storage);
    expect(session.state.throws).toEqual([{ id: 'old-0', value: 1 }, { id: 'old-1', value: 2 }]);
    expect(session.setAside).toBeNull();
  });

  it('sets aside state it cannot read, names the field, starts afresh, and lets the student download and discard it', () => {
    const { storage, store } = setup();
    const bad = { format: 'mlops-lab-state', version: 2, value: { throws: [{ id: 'x', value: 'six' }] }, meta: {} };
    store.recordLab('dice', { state: bad });
    const { session } = setup(storage);
    expect(session.state).toEqual({ throws: [] });
    expect(session.setAside?.message).toMatch(/throws\[0\]\.value/);
    expect(JSON.parse(session.setAsideText()).state).toEqual(bad);
    session.update(add(3));
    // Still there after a reload, beside the new work.
    const again = setup(storage).session;
    expect(again.setAside?.state).toEqual(bad);
    expect(again.state.throws).toHaveLength(1);
    again.discardSetAside();
    expect(setup(storage).session.setAside).toBeNull();
  });

  it('sets aside a state saved by a newer version of the lab, or something that is no lab state at all', () => {
    for (const state of [{ format: 'mlops-lab-state', version: 9, value: {}, meta: {} }, { variants: [{ id: 1 }] }, 'text']) {
      const { storage, store } = setup();
      store.recordLab('dice', { state: state as JsonValue });
      const { session } = setup(storage);
      expect(session.setAside?.message).toMatch(/newer version|not a saved lab state/);
      expect(session.state).toEqual({ throws: [] });
    }
  });

  it('marks imported results as restored, item by item, and keeps later work unmarked', () => {
    const source = setup().session;
    source.update(add(6, 'a'));
    const file = source['store'].exportText();
    const { storage, store } = setup();
    expect(store.importText(file)).toMatchObject({ ok: true });
    const { session } = setup(storage);
    expect(session.meta.restoredAt).toBeDefined();
    expect(session.state.throws[0]!.restoredAt).toBe(session.meta.restoredAt);
    session.update(add(2, 'b'));
    const again = setup(storage).session;
    expect(again.state.throws.map((t) => [t.id, Boolean(t.restoredAt)])).toEqual([['a', true], ['b', false]]);
  });

  it('merges what another tab saved instead of dropping it', () => {
    const storage = new FakeStorage();
    const tab1 = setup(storage).session;
    const tab2 = setup(storage).session;
    tab1.update(add(1, 'one'));
    tab2.update(add(2, 'two')); // tab2 has not heard of tab1's change: its save merges
    tab1.update(add(3, 'three'));
    const ids = setup(storage).session.state.throws.map((t) => t.id).sort();
    expect(ids).toEqual(['one', 'three', 'two']);
  });

  it('keeps a state that is too large in memory, says so, and does not overwrite what was saved', () => {
    const { storage, session } = setup(new FakeStorage(), 400);
    session.update(add(1, 'small'));
    expect(session.status.saved).toBe(true);
    for (let i = 0; i < 10; i++) session.update(add(2, `big-${i}-${'x'.repeat(20)}`));
    expect(session.status).toMatchObject({ saved: false, problem: 'too-large', message: expect.stringMatching(/too large/) });
    const kept = setup(storage, 400).session.state.throws.map((t) => t.id);
    expect(kept[0]).toBe('small');
    expect(kept.length, 'the last state that fitted stays stored').toBeLessThan(session.state.throws.length);
  });

  it('says when the browser storage is full, keeps the work in memory and loses nothing saved', () => {
    const storage = new FakeStorage();
    const { session } = setup(storage);
    session.update(add(1, 'kept'));
    storage.quotaBytes = [...storage.map].reduce((n, [k, v]) => n + k.length + v.length, 0) + 10;
    session.update(add(2, 'memory-only'));
    expect(session.status).toMatchObject({ saved: false, problem: 'full' });
    expect(session.state.throws).toHaveLength(2);
    storage.quotaBytes = Infinity;
    expect(setup(storage).session.state.throws.map((t) => t.id)).toEqual(['kept']);
  });

  it('records student fields and the solutions they opened, and reset deletes everything', () => {
    const { storage, session } = setup();
    session.updateMeta((m) => ({ ...m, student: { name: 'Ada', notes: 'it works' } }));
    session.markShown('solution-step-2');
    session.update(add(4));
    expect(setup(storage).session.meta).toMatchObject({ student: { name: 'Ada' }, shown: { 'solution-step-2': expect.any(String) } });
    session.reset();
    const again = setup(storage).session;
    expect(again.state.throws).toEqual([]);
    expect(again.meta.student.name).toBe('');
    expect(again['store'].lab('dice')).toBeUndefined();
  });

  it('checks criteria against the quantities: unknown quantity, other unit, a bound without an interval', () => {
    expect(checkCriteria(dice, criteria)).toEqual([]);
    const wrong: Criterion[] = [
      { id: 'a', label: 'a', quantity: 'throws.median', comparison: '>=', threshold: 1 },
      { id: 'b', label: 'b', quantity: 'throws.count', comparison: '>=', threshold: 1, unit: 'rolls' },
      { id: 'c', label: 'c', quantity: 'throws.count', comparison: '>=', threshold: 1, unit: 'throws', bound: 'upper' },
    ];
    expect(checkCriteria(dice, wrong)).toEqual([
      expect.stringMatching(/does not measure/),
      expect.stringMatching(/unit "rolls"/),
      expect.stringMatching(/no interval/),
    ]);
  });
});
