// The error-rate check of an automated canary analysis: is the canary's error rate higher than the baseline's by more
// than chance allows? A one-sided two-proportion z-test with the pooled rate (the test Kayenta-style canary judges and
// the serving research use): z = (p_c − p_b) / √(p(1 − p)(1/n_b + 1/n_c)) with p = (e_b + e_c) / (n_b + n_c). Roll
// back when z exceeds `zCritical`. A rollout that looks several times must split its false-rollback budget over the
// looks (Bonferroni: α / looks per look), which is why zCritical is a parameter. Plain JavaScript on purpose: the
// serving lab shows this file as the reference of its coding exercise and runs the student's own check in its place.

/**
 * @param {{ requests: number, errors: number }} baseline
 * @param {{ requests: number, errors: number }} canary
 * @param {{ zCritical: number, minRequests: number }} options
 * @returns {{ decision: 'rollback' | 'pass' | 'wait', z: number }} wait: fewer than minRequests canary requests
 */
export function canaryVerdict(baseline, canary, { zCritical, minRequests }) {
  for (const [name, side] of [['baseline', baseline], ['canary', canary]]) {
    if (!Number.isInteger(side.requests) || !Number.isInteger(side.errors) || side.errors < 0 || side.errors > side.requests) {
      throw new RangeError(`${name}: errors and requests must be whole numbers with 0 ≤ errors ≤ requests`);
    }
  }
  if (canary.requests < minRequests || baseline.requests === 0) return { decision: 'wait', z: 0 };
  const pb = baseline.errors / baseline.requests;
  const pc = canary.errors / canary.requests;
  const p = (baseline.errors + canary.errors) / (baseline.requests + canary.requests);
  const se = Math.sqrt(p * (1 - p) * (1 / baseline.requests + 1 / canary.requests));
  const z = se > 0 ? (pc - pb) / se : 0;
  return { decision: z > zCritical ? 'rollback' : 'pass', z };
}
