/** Comparing variants of one model on the same 5,000 test images (see lab.ts). */
import type { Estimate } from '../../src/labkit/lab/define.ts';
import { countTrue, unpackOutcomes } from '../../src/labkit/stats/outcomes.ts';
import { mcnemarExact, pairedCounts, pairedDifference, wilson } from '../../src/labkit/stats/proportions.ts';
import type { QpState, Variant } from './lab.ts';

export const TEST_IMAGES = 5000;

const outcomes = (v: Variant) => unpackOutcomes(v.correct, TEST_IMAGES);

export function accuracyOf(v: Variant): Estimate {
  const k = countTrue(outcomes(v));
  const ci = wilson(k, TEST_IMAGES);
  return { value: k / TEST_IMAGES, lower: ci.lower, upper: ci.upper };
}

export interface Drop extends Estimate {
  /** Images only the reference got right, and only the variant got right. */
  onlyReference: number;
  onlyVariant: number;
  /** Exact McNemar two-sided p-value. */
  p: number;
}

/** Accuracy lost from `reference` to `variant`, in percentage points, on the same test images. */
export function dropPp(reference: Variant, variant: Variant): Drop {
  const c = pairedCounts(outcomes(reference), outcomes(variant));
  const d = pairedDifference(c);
  return { value: d.estimate * 100, lower: d.lower * 100, upper: d.upper * 100, onlyReference: c.onlyA, onlyVariant: c.onlyB, p: mcnemarExact(c.onlyA, c.onlyB) };
}

export function baselineOf(state: QpState, model: string): Variant | undefined {
  return state.variants.filter((v) => v.model === model && v.kind === 'baseline').at(-1);
}

export const models = (state: QpState) => [...new Set(state.variants.map((v) => v.model))];

