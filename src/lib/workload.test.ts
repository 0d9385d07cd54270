import { describe, expect, it } from 'vitest';
import { WORKLOAD_TOLERANCE, withinTolerance, workloadPlan, type WorkItem } from './workload';

const item = (kind: WorkItem['kind'], minutes: number | undefined, source = `${kind}.mdx`): WorkItem => ({ kind, minutes, source });

describe('workloadPlan', () => {
  it('adds minutes per kind and compares the total with the middle of the credits range', () => {
    const plan = workloadPlan([item('reading', 60), item('reading', 90), item('lecture', 40), item('lab', 90), item('project', 6000)], 5, [25, 30]);
    expect(plan.byKind.reading).toEqual({ items: 2, minutes: 150 });
    expect(plan.byKind.project).toEqual({ items: 1, minutes: 6000 });
    expect(plan.totalHours).toBeCloseTo(6280 / 60, 10);
    expect(plan.target).toEqual({ minHours: 125, maxHours: 150, midHours: 137.5 });
    expect(plan.deviation).toBeCloseTo((6280 / 60 - 137.5) / 137.5, 10);
  });

  it('accepts a total within the tolerance of the middle and refuses one outside it', () => {
    const minutesFor = (hours: number) => [item('project', Math.round(hours * 60))];
    expect(withinTolerance(workloadPlan(minutesFor(137.5 * (1 + WORKLOAD_TOLERANCE) - 0.1), 5, [25, 30]))).toBe(true);
    expect(withinTolerance(workloadPlan(minutesFor(137.5 * (1 - WORKLOAD_TOLERANCE) + 0.1), 5, [25, 30]))).toBe(true);
    expect(withinTolerance(workloadPlan(minutesFor(137.5 * (1 + WORKLOAD_TOLERANCE) + 1), 5, [25, 30]))).toBe(false);
    expect(withinTolerance(workloadPlan(minutesFor(100), 5, [25, 30]))).toBe(false);
  });

  it('lists the parts that declare no minutes, and does not call such a plan complete', () => {
    const plan = workloadPlan([item('reading', undefined, 'content/modules/data.mdx'), item('project', 8250)], 5, [25, 30]);
    expect(plan.undeclared).toEqual(['content/modules/data.mdx']);
    expect(plan.byKind.reading).toEqual({ items: 1, minutes: 0 });
    expect(withinTolerance(plan)).toBe(false);
  });

  it('refuses credits or hours that make no sense, with a message', () => {
    expect(() => workloadPlan([], 0, [25, 30])).toThrow(/credits must be a positive number/);
    expect(() => workloadPlan([], 5, [30, 25])).toThrow(/hours per credit must be a range/);
  });
});
