/**
 * The tour lab ("how labs work"): a short first lab that shows every part of a lab on a small problem. The student
 * estimates π by throwing random darts at a square (a Monte Carlo estimate), writes the 95% interval of a proportion
 * themselves, and hands in a report. It is also the lab the shared shell's end-to-end test uses.
 *
 * A batch of n darts with k inside the quarter circle estimates π as 4·k/n; the Wilson interval of k/n, times 4, is
 * the 95% interval of that estimate.
 */
import { z } from '../../src/labkit/zod.ts';
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { wilson } from '../../src/labkit/stats/wilson.mjs';
import { barChart } from '../../src/labkit/charts/index.ts';

const batchSchema = z.object({
  id: z.string().min(1).max(40),
  darts: z.number().int().positive().max(1e9),
  inside: z.number().int().nonnegative(),
  /** The interval as the lab computed it (with the student's function when they switched it on). */
  lower: z.number(),
  upper: z.number(),
  /** Computed with the student's own interval function. */
  studentCode: z.boolean(),
  at: z.string(),
  restoredAt: z.string().optional(),
});
export type Batch = z.infer<typeof batchSchema>;

const stateSchema = z.object({ batches: z.array(batchSchema).max(500) }).refine((s) => s.batches.every((b) => b.inside <= b.darts), { message: 'a batch has more darts inside than thrown' });
export type TourState = z.infer<typeof stateSchema>;

export const DART_COUNTS = [10_000, 100_000, 1_000_000, 10_000_000];

/** All batches together: darts, darts inside, and π with its 95% interval. */
export function pooled(batches: Batch[]) {
  const darts = batches.reduce((n, b) => n + b.darts, 0);
  const inside = batches.reduce((n, b) => n + b.inside, 0);
  const ci = wilson(inside, darts);
  return { darts, inside, value: (4 * inside) / darts, lower: 4 * ci.lower, upper: 4 * ci.upper };
}

function measure(state: TourState): Measured {
  if (!state.batches.length) return {};
  const all = pooled(state.batches);
  return {
    'darts.thrown': { value: all.darts },
    'pi.halfWidth': { value: (all.upper - all.lower) / 2 },
    'code.batches': { value: state.batches.filter((b) => b.studentCode).length },
  };
}

export const tour = defineLab<TourState>({
  id: 'tour',
  version: 1,
  quantities: {
    'darts.thrown': { describe: 'darts thrown in all batches', unit: 'darts', min: 0 },
    'pi.halfWidth': { describe: 'half the width of the 95% interval of π from all batches', min: 0, max: 4 },
    'code.batches': { describe: 'batches whose interval your own function computed', unit: 'batches', min: 0 },
  },
  empty: () => ({ batches: [] }),
  parse: (value) => parseWith(stateSchema)(value),
  measure,
  merge: (stored, mine) => ({ batches: [...new Map([...stored.batches, ...mine.batches].map((b) => [b.id, b])).values()].sort((a, b) => a.at.localeCompare(b.at)) }),
  markRestored: (state, at) => ({ batches: state.batches.map((b) => ({ ...b, restoredAt: b.restoredAt ?? at })) }),
  report(state) {
    const all = state.batches.length ? pooled(state.batches) : null;
    return {
      tables: [
        {
          title: 'Batches of darts',
          columns: ['batch', 'darts', 'inside', 'π estimate', '95% interval', 'interval by', 'origin'],
          rows: state.batches.map((b) => [b.id, b.darts, b.inside, (4 * b.inside) / b.darts, `${b.lower.toFixed(5)} to ${b.upper.toFixed(5)}`, b.studentCode ? 'your function' : 'the lab', b.restoredAt ? 'restored' : 'measured']),
        },
        ...(all ? [{ title: 'All batches together', columns: ['darts', 'inside', 'π estimate', '95% interval'], rows: [[all.darts, all.inside, all.value, `${all.lower.toFixed(5)} to ${all.upper.toFixed(5)}`]] }] : []),
      ],
      charts: state.batches.length
        ? [
            {
              title: 'π from each batch, with its 95% interval',
              svg: barChart({
                title: 'π from each batch, with its 95% interval',
                bars: state.batches.map((b) => ({ label: `${b.darts.toLocaleString('en')}`, value: (4 * b.inside) / b.darts, lower: b.lower, upper: b.upper })),
                zero: false,
                xLabel: 'darts in the batch',
              }),
            },
          ]
        : [],
      notes: 'Each dart is a point drawn uniformly in the unit square; it is inside when x² + y² ≤ 1, which happens with probability π/4. The interval is the Wilson 95% interval of the share inside, times 4. The true π is 3.14159…; about one batch in twenty should miss it.',
    };
  },
});

export default tour;
