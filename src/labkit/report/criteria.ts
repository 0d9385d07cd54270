/**
 * Acceptance criteria as data (`criterionSchema` in src/schemas.ts), evaluated against the quantities a lab has
 * measured. A criterion is `met`, `not-met`, or `not-measured` (its quantity has no finite value yet, or the criterion
 * compares an end of the 95% interval and the lab gave no interval).
 *
 * `==` compares with a relative tolerance of 1e-9 (and an absolute one of 1e-12 near zero), so a value that went
 * through floating-point arithmetic still matches the threshold it equals on paper.
 */
import type { Criterion } from '../../schemas';

export type { Criterion };
export type CriterionStatus = 'met' | 'not-met' | 'not-measured';
/** A measured value with its 95% interval where the lab gives one (the lab contract's `Estimate`). */
export interface MeasuredValue {
  value: number;
  lower?: number;
  upper?: number;
}
export type Measured = Record<string, MeasuredValue | number | null | undefined>;

export interface Evaluation {
  criterion: Criterion;
  status: CriterionStatus;
  /** The value compared with the threshold (the estimate, or the interval end the criterion names). */
  value?: number;
  /** The whole estimate, when there is one. */
  estimate?: MeasuredValue;
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

function asEstimate(value: Measured[string]): MeasuredValue | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { value } : undefined;
  return value && Number.isFinite(value.value) ? value : undefined;
}

export function evaluateCriterion(criterion: Criterion, measured: Measured): Evaluation {
  const estimate = asEstimate(measured[criterion.quantity]);
  const value = criterion.bound === 'upper' ? estimate?.upper : criterion.bound === 'lower' ? estimate?.lower : estimate?.value;
  if (!estimate || typeof value !== 'number' || !Number.isFinite(value)) return { criterion, status: 'not-measured', ...(estimate ? { estimate } : {}) };
  return { criterion, status: compare(value, criterion.comparison, criterion.threshold) ? 'met' : 'not-met', value, estimate };
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

/** "uint8.accuracyDropPp ≤ 0.5 pp", or "upper 95% bound of uint8.accuracyDropPp ≤ 0.5 pp" */
export function describeRule(criterion: Criterion): string {
  const unit = criterion.unit ? ` ${criterion.unit}` : '';
  const subject = criterion.bound ? `${criterion.bound} 95% bound of ${criterion.quantity}` : criterion.quantity;
  return `${subject} ${symbols[criterion.comparison]} ${formatNumber(criterion.threshold)}${unit}`;
}

/** "0.42 pp (95% CI 0.1–0.8)" */
export function formatEstimate(estimate: MeasuredValue, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  const interval =
    estimate.lower !== undefined && estimate.upper !== undefined
      ? ` (95% CI ${formatNumber(estimate.lower)} to ${formatNumber(estimate.upper)})`
      : '';
  return `${formatNumber(estimate.value)}${u}${interval}`;
}

export const statusLabel: Record<CriterionStatus, string> = {
  met: 'met',
  'not-met': 'not met',
  'not-measured': 'not measured yet',
};
