/** Test support: a small lab with a list of throws, each kept with where it came from. */
import { z } from '../../zod.ts';
import type { Criterion } from '../../report/criteria.ts';
import { defineLab, parseWith, type Measured } from '../define.ts';

const throwSchema = z.object({ id: z.string(), value: z.number().min(0).max(10), restoredAt: z.string().optional() });
export type Throw = z.infer<typeof throwSchema>;
export interface State {
  throws: Throw[];
}

export const dice = defineLab<State>({
  id: 'dice',
  version: 2,
  quantities: {
    'throws.count': { describe: 'throws made', unit: 'throws', min: 0 },
    'throws.mean': { describe: 'mean of the throws', unit: 'pips', min: 0, max: 10, interval: true },
  },
  empty: () => ({ throws: [] }),
  parse(value, version) {
    // Version 1 kept bare numbers.
    if (version === 1) return { throws: z.array(z.number()).parse(value).map((v, i) => ({ id: `old-${i}`, value: v })) };
    return parseWith(z.object({ throws: z.array(throwSchema).max(1000) }))(value);
  },
  measure(state): Measured {
    const n = state.throws.length;
    if (!n) return {};
    const mean = state.throws.reduce((s, t) => s + t.value, 0) / n;
    return { 'throws.count': { value: n }, 'throws.mean': { value: mean, lower: mean - 1, upper: mean + 1 } };
  },
  merge(stored, mine) {
    const seen = new Map(stored.throws.map((t) => [t.id, t]));
    for (const t of mine.throws) seen.set(t.id, t);
    return { throws: [...seen.values()] };
  },
  markRestored(state, at) {
    return { throws: state.throws.map((t) => ({ ...t, restoredAt: t.restoredAt ?? at })) };
  },
  report(state) {
    return {
      tables: [{ title: 'Throws', columns: ['id', 'pips', 'origin'], rows: state.throws.map((t) => [t.id, t.value, t.restoredAt ? 'restored' : 'measured']) }],
      changes: '```js\nroll = () => 1 + Math.floor(6 * Math.random());\n```',
    };
  },
  async evidence(state) {
    return [{ path: 'throws.csv', content: `id,value\n${state.throws.map((t) => `${t.id},${t.value}`).join('\n')}\n` }];
  },
});

export const criteria: Criterion[] = [
  { id: 'enough', label: 'at least three throws', quantity: 'throws.count', comparison: '>=', threshold: 3, unit: 'throws' },
  { id: 'high', label: 'a high mean, even at its lower bound', quantity: 'throws.mean', comparison: '>=', threshold: 4, unit: 'pips', bound: 'lower' },
];

