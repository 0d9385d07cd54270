/**
 * Acceptance criteria as data (`criterionSchema` in src/schemas.ts), evaluated against the quantities a lab has
 * measured. A criterion is `met`, `not-met`, or `not-measured` (its quantity has no finite value yet).
 *
 * `==` compares with a relative tolerance of 1e-9 (and an absolute one of 1e-12 near zero), so a value that went
 * through floating-point arithmetic still matches the threshold it equals on paper.
 */
import type { Criterion } from '../../schemas';

export type { Criterion };
export type CriterionStatus = 'met' | 'not-met' | 'not-measured';
export type Measured = Record<string, number | null | undefined>;

export interface Evaluation {
  criterion: Criterion;
  status: CriterionStatus;
  /** The measured value, when there is one. */
  value?: number;
}

const symbols: Record<Criterion['comparison'], string> = { '<=': '≤', '<': '<', '>=': '≥', '>': '>', '==': '=' };

export function compare(value: number, comparison: Criterion['comparison'], threshold: number): boolean {
  switch (comparison) {
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '==':
      return Math.abs(value - threshold) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(value), Math.abs(threshold)));
  }
}

export function evaluateCriterion(criterion: Criterion, measured: Measured): Evaluation {
  const value = measured[criterion.quantity];
  if (typeof value !== 'number' || !Number.isFinite(value)) return { criterion, status: 'not-measured' };
  return { criterion, status: compare(value, criterion.comparison, criterion.threshold) ? 'met' : 'not-met', value };
}

export function evaluateCriteria(criteria: readonly Criterion[], measured: Measured): Evaluation[] {
  return criteria.map((c) => evaluateCriterion(c, measured));
}

/** id → met, for the evaluated criteria only: what `ProgressStore.recordLab({ criteria })` takes. */
export function metMap(evaluations: readonly Evaluation[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const e of evaluations) if (e.status !== 'not-measured') out[e.criterion.id] = e.status === 'met';
  return out;
}

export function summarize(evaluations: readonly Evaluation[]): { met: number; notMet: number; notMeasured: number; total: number } {
  return {
    met: evaluations.filter((e) => e.status === 'met').length,
    notMet: evaluations.filter((e) => e.status === 'not-met').length,
    notMeasured: evaluations.filter((e) => e.status === 'not-measured').length,
    total: evaluations.length,
  };
}

/** A number for people: up to 4 significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-4) return value.toExponential(3).replace(/\.?0+e/, 'e');
  if (Number.isInteger(value)) return String(value);
  const digits = Math.max(0, 3 - Math.floor(Math.log10(abs)));
  return String(Number(value.toFixed(Math.min(digits, 8))));
}

/** "accuracy drop ≤ 0.5 pp" */
export function describeRule(criterion: Criterion): string {
  const unit = criterion.unit ? ` ${criterion.unit}` : '';
  return `${criterion.quantity} ${symbols[criterion.comparison]} ${formatNumber(criterion.threshold)}${unit}`;
}

export const statusLabel: Record<CriterionStatus, string> = {
  met: 'met',
  'not-met': 'not met',
  'not-measured': 'not measured yet',
};
