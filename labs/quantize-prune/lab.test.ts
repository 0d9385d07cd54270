import { describe, expect, it } from 'vitest';
import { packOutcomes } from '../../src/labkit/stats/outcomes.ts';
import { checkPrune, checkStructured, DEFAULT_PRUNE, prunedName, quantizePrune, structuredWarning, type QpState, type Variant } from './lab.ts';

const N = 5000;
/** Outcomes with the first `wrong` images wrong (and the rest right), shifted by `offset` images. */
const outcomes = (wrong: number, offset = 0) => packOutcomes(Array.from({ length: N }, (_, i) => ((i + offset) % N < wrong ? 0 : 1)));

function variant(id: string, kind: Variant['kind'], correct: string, extra: Partial<Variant> = {}): Variant {
  return { id, model: 'dense', name: id, kind, recipe: {}, params: 100, rawBytes: 400_000, gzipBytes: 380_000, correct, agreement: 1, maxLogitDiff: 0, exportable: true, backend: 'wasm', createdAt: '2026-11-30T10:00:00Z', ...extra };
}

describe('quantize-and-prune measurements', () => {
  const base = variant('base', 'baseline', outcomes(110));
  const control = variant('ctl', 'control', outcomes(100));
  const pruned = variant('p80', 'pruned', outcomes(140), { sparsity: 0.8, gzipBytes: 100_000, control: 'ctl' });
  const state: QpState = {
    variants: [base, control, pruned, variant('u8', 'quantized', outcomes(110, 3), { recipe: { dtype: 'uint8', layers: 'all' }, rawBytes: 100_000 })],
    sweeps: [],
  };

  it('judges pruning against its control, with a paired interval', () => {
    const m = quantizePrune.measure(state);
    // 100 wrong for the control, 140 for the pruned model, on nested sets: a drop of exactly 40 images (0.8 pp).
    expect(m['pruned80.accuracyDropPp']!.value).toBeCloseTo(0.8, 10);
    expect(m['pruned80.accuracyDropPp']!.lower).toBeGreaterThan(0.5);
    expect(m['pruned80.accuracyDropPp']!.upper).toBeLessThan(1.1);
    expect(m['pruned80.gzipRatio']!.value).toBeCloseTo(100_000 / 380_000, 10);
    expect(m['uint8.rawRatio']!.value).toBeCloseTo(0.25, 10);
    // Same count wrong but on shifted images: no net drop, yet an interval that shows the disagreement.
    expect(m['uint8.accuracyDropPp']!.value).toBe(0);
    expect(m['uint8.accuracyDropPp']!.upper).toBeGreaterThan(0.05);
  });

  it('needs the control: a pruned variant without one does not count', () => {
    const without = { ...state, variants: state.variants.map((v) => (v.id === 'p80' ? { ...v, control: undefined } : v)) };
    expect(quantizePrune.measure(without)['pruned80.accuracyDropPp']).toBeUndefined();
  });

  it('refuses state that does not fit, naming the field', () => {
    expect(() => quantizePrune.parse({ variants: [{ ...base, accuracy: 2, agreement: 1.5 }], sweeps: [] }, 2)).toThrow(/variants\[0\]\.agreement/);
    expect(quantizePrune.parse({ variants: [], sweeps: [] }, 1)).toEqual({ variants: [], sweeps: [] });
  });

  it('merges two tabs by id and marks restored variants', () => {
    const merged = quantizePrune.merge!({ variants: [base], sweeps: [] }, { variants: [control], sweeps: [] });
    expect(merged.variants.map((v) => v.id)).toEqual(['base', 'ctl']);
    expect(quantizePrune.markRestored!(merged, '2026-11-29').variants.every((v) => v.restoredAt === '2026-11-29')).toBe(true);
  });
});

describe('quantize-and-prune inputs', () => {
  it('names the field of each value it refuses', () => {
    expect(checkPrune(DEFAULT_PRUNE)).toEqual({});
    expect(Object.keys(checkPrune({ ...DEFAULT_PRUNE, epochs: 0, target: 1.5, power: -3, initialSparsity: 2, frequency: 0, trainImages: 0 })).sort()).toEqual(
      ['epochs', 'frequency', 'initialSparsity', 'power', 'target', 'trainImages'].sort(),
    );
    expect(checkPrune({ ...DEFAULT_PRUNE, target: 0.5, initialSparsity: 0.7 }).initialSparsity).toMatch(/must not exceed the target/);
    expect(checkStructured({ fraction: 0.99, epochs: 2 }).fraction).toMatch(/at most 0\.9/);
    expect(structuredWarning({ fraction: 0.8, epochs: 2 })).toMatch(/very little/);
  });

  it('names a variant by the sparsity it reached, not the one asked for', () => {
    expect(prunedName(DEFAULT_PRUNE, 0.8)).toMatch(/^pruned to 80%,/);
    expect(prunedName(DEFAULT_PRUNE, 0.5)).toMatch(/^pruned to 50\.0% \(target 80%\)/);
  });
});

describe('verifying a quantize-and-prune bundle outside a browser', () => {
  it('checks the exported sizes and says the answers cannot be scored again without the lab’s worker', async () => {
    const { verify } = await import('./verify.ts');
    const { gzipSize } = await import('../../src/labkit/ml/sizes.ts');
    const weights = new Uint8Array(4000).map((_, i) => i % 7);
    const v = variant('u8', 'quantized', outcomes(110), { rawBytes: weights.length, gzipBytes: gzipSize(weights) });
    const claims = await verify({ variants: [v], sweeps: [] }, { 'models/u8/model.json': new Uint8Array([123, 125]), 'models/u8/weights.bin': weights }, {} as never);
    expect(claims.map((c) => c.status)).toEqual(['confirmed', 'not-checkable']);
    expect(claims[1]!.detail).toMatch(/could not start here to score it again: there are no Web Workers here/);
  });
});
