import { describe, expect, it } from 'vitest';
import { pooled, tour } from './lab.ts';

const batch = (id: string, darts: number, inside: number, studentCode = false) => ({ id, darts, inside, lower: 0, upper: 4, studentCode, at: `2026-11-30T10:00:0${id}Z` });

describe('tour lab', () => {
  it('pools the batches: π from all darts, with an interval that narrows as darts add up', () => {
    const one = pooled([batch('1', 10_000, 7_854)]);
    const two = pooled([batch('1', 10_000, 7_854), batch('2', 1_000_000, 785_398)]);
    expect(one.value).toBeCloseTo(3.1416, 3);
    expect(two.upper - two.lower).toBeLessThan(one.upper - one.lower);
    expect(tour.measure({ batches: [batch('1', 10_000, 7_854, true)] })).toMatchObject({ 'darts.thrown': { value: 10_000 }, 'code.batches': { value: 1 } });
  });

  it('refuses a batch with more darts inside than thrown', () => {
    expect(() => tour.parse({ batches: [batch('1', 10, 11)] }, 1)).toThrow(/more darts inside than thrown/);
  });
});
