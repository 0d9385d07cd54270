import { describe, expect, it } from 'vitest';
import { measure } from './measure.ts';
import type { Variant } from './protocol.ts';

const v = (o: Partial<Variant>): Variant => ({
  id: 'v', source: 'dense baseline', name: 'x', kind: 'quantized', rawBytes: 100, gzipBytes: 90, accuracy: 0.97, accuracyDropPp: 0, agreement: 1, maxLogitDiff: 0,
  params: 25, exportable: true, recipe: {}, createdAt: '2026-11-23T07:00:00.000Z', ...o,
});

describe('criteria quantities from the variants', () => {
  it('is empty without a baseline', () => {
    expect(measure([])).toEqual({});
  });

  it('takes ratios against the float32 baseline and picks the right variants', () => {
    const out = measure([
      v({ kind: 'baseline', rawBytes: 400, gzipBytes: 360 }),
      v({ recipe: { dtype: 'uint8', layers: 'all' }, rawBytes: 100, accuracyDropPp: 0.3, createdAt: '2026-11-23T07:01:00.000Z' }),
      v({ recipe: { dtype: 'uint8', layers: ['dense_1'] }, rawBytes: 300, accuracyDropPp: 0.1, createdAt: '2026-11-23T07:02:00.000Z' }), // per-layer: ignored
      v({ recipe: { dtype: 'float16', layers: 'all' }, rawBytes: 200, accuracyDropPp: 0.04 }),
      v({ kind: 'pruned', sparsity: 0.7, gzipBytes: 150, accuracyDropPp: 0.1 }), // below 80%: ignored
      v({ kind: 'pruned', sparsity: 0.8, gzipBytes: 100, accuracyDropPp: 0.9 }),
      v({ kind: 'pruned', sparsity: 0.85, gzipBytes: 90, accuracyDropPp: 0.5 }),
      v({ kind: 'pruned+quantized', recipe: { dtype: 'uint8' }, gzipBytes: 36, accuracyDropPp: 0.2 }), // 1/10
      v({ kind: 'pruned+quantized', recipe: { dtype: 'uint8' }, gzipBytes: 27, accuracyDropPp: 0.8 }), // 1/13.3: passes both
    ]);
    expect(out['uint8.rawRatio']).toBe(0.25);
    expect(out['uint8.accuracyDropPp']).toBe(0.3);
    expect(out['float16.accuracyDropPp']).toBe(0.04);
    expect(out['pruned80.accuracyDropPp']).toBe(0.5);
    expect(out['pruned80.gzipRatio']).toBe(0.25);
    expect(out['prunedUint8.gzipRatio']).toBe(0.075);
    expect(out['prunedUint8.accuracyDropPp']).toBe(0.8);
  });
});
