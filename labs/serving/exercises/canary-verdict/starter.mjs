// canaryVerdict(baseline, canary, { zCritical, minRequests }): roll the canary back when its error rate is higher
// than the baseline's by more than chance allows.

export function canaryVerdict(baseline, canary, { zCritical, minRequests }) {
  // 1. refuse counts that are not whole numbers with 0 <= errors <= requests
  // 2. too few canary requests (or none on the baseline): { decision: 'wait', z: 0 }
  // 3. the pooled error rate p, the standard error sqrt(p (1 - p) (1/n_b + 1/n_c)), and z
  // 4. { decision: z > zCritical ? 'rollback' : 'pass', z }
  return { decision: 'pass', z: 0 };
}
