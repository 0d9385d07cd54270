/**
 * An A/B test on a business metric (a conversion rate), planned before it runs:
 *
 * - the sample size per arm for a two-sided two-proportion z-test, from the baseline rate, the smallest lift worth
 *   detecting, α and the power: n = ((z_{1−α/2}·√(2·p̄(1 − p̄)) + z_{power}·√(p₁(1 − p₁) + p₂(1 − p₂))) / δ)², the
 *   normal approximation with the pooled variance under the null (R's power.prop.test; checked against statsmodels'
 *   samplesize_proportions_2indep_onetail in scripts/oracles/serving-ab.py);
 * - the test itself, on simulated sessions split 50/50 by the sticky router, run to the planned size and looked at
 *   once (no peeking): the pooled z statistic, its two-sided p-value and Newcombe's 95% interval of the difference.
 */
import { independentDifference } from '../stats/independent.ts';
import { ndtr } from '../tuning/normal.ts';
import { route, upperZ } from './canary.ts';

export interface AbPlan {
  /** Conversion rate of A, in [0, 1]. */
  baseline: number;
  /** The smallest absolute lift worth detecting (0.01 = 1 percentage point). */
  mde: number;
  alpha: number;
  power: number;
}

export function checkAbPlan(plan: AbPlan): string | null {
  if (!(plan.baseline > 0 && plan.baseline < 1)) return 'baseline rate must be between 0 and 100%';
  if (!(plan.mde > 0 && plan.baseline + plan.mde < 1)) return 'the smallest lift must be above 0 and keep the rate below 100%';
  if (!(plan.alpha > 0 && plan.alpha < 0.5)) return 'α must be between 0 and 0.5';
  if (!(plan.power > 0.5 && plan.power < 1)) return 'power must be between 50% and 100%';
  return null;
}

/** Sessions per arm the plan needs (unrounded). */
export function sampleSizeExact(plan: AbPlan): number {
  const problem = checkAbPlan(plan);
  if (problem) throw new RangeError(problem);
  const p1 = plan.baseline;
  const p2 = plan.baseline + plan.mde;
  const pooled = (p1 + p2) / 2;
  const a = upperZ(plan.alpha / 2) * Math.sqrt(2 * pooled * (1 - pooled));
  const b = upperZ(1 - plan.power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return ((a + b) / plan.mde) ** 2;
}

/** Sessions per arm, rounded up. */
export function sampleSizePerArm(plan: AbPlan): number {
  return Math.ceil(sampleSizeExact(plan) - 1e-9);
}

export interface AbResult {
  a: { sessions: number; conversions: number };
  b: { sessions: number; conversions: number };
  z: number;
  pValue: number;
  /** B − A with Newcombe's 95% interval. */
  difference: { estimate: number; lower: number; upper: number };
  decision: 'B converts better' | 'A converts better' | 'no significant difference';
}

/** The pooled two-sided z-test of B against A. */
export function analyseAb(a: AbResult['a'], b: AbResult['b'], alpha: number): AbResult {
  const pa = a.conversions / a.sessions;
  const pb = b.conversions / b.sessions;
  const p = (a.conversions + b.conversions) / (a.sessions + b.sessions);
  const se = Math.sqrt(p * (1 - p) * (1 / a.sessions + 1 / b.sessions));
  const z = se > 0 ? (pb - pa) / se : 0;
  const pValue = 2 * (1 - ndtr(Math.abs(z)));
  const difference = independentDifference(b.conversions, b.sessions, a.conversions, a.sessions);
  const decision = pValue >= alpha ? 'no significant difference' : z > 0 ? 'B converts better' : 'A converts better';
  return { a, b, z, pValue, difference, decision };
}

/**
 * Simulated sessions from `users` users, each routed to A or B by the sticky router (50%), converting with the arm's
 * rate, until both arms have `perArm` sessions; then one analysis.
 */
export function runAbTest(plan: AbPlan, perArm: number, trueLift: number, random: () => number, users = 100_000): AbResult {
  const problem = checkAbPlan(plan);
  if (problem) throw new RangeError(problem);
  if (!Number.isInteger(perArm) || perArm < 10 || perArm > 2_000_000) throw new RangeError('sessions per arm must be a whole number from 10 to 2,000,000');
  if (!(plan.baseline + trueLift > 0 && plan.baseline + trueLift < 1)) throw new RangeError('the true lift must keep B’s rate between 0 and 100%');
  const a = { sessions: 0, conversions: 0 };
  const b = { sessions: 0, conversions: 0 };
  while (a.sessions < perArm || b.sessions < perArm) {
    const user = `user-${Math.floor(random() * users)}`;
    const arm = route(user, 50) === 'canary' ? b : a;
    if (arm.sessions >= perArm) continue;
    arm.sessions++;
    if (random() < (arm === b ? plan.baseline + trueLift : plan.baseline)) arm.conversions++;
  }
  return analyseAb(a, b, plan.alpha);
}
