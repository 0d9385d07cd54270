// A typical mistake: a two-sided test, which also rolls back a canary that is better than the baseline.
export function canaryVerdict(baseline, canary, { zCritical, minRequests }) {
  for (const [name, side] of [['baseline', baseline], ['canary', canary]]) {
    if (!Number.isInteger(side.requests) || !Number.isInteger(side.errors) || side.errors < 0 || side.errors > side.requests) throw new RangeError(`${name}: bad counts`);
  }
  if (canary.requests < minRequests || baseline.requests === 0) return { decision: 'wait', z: 0 };
  const p = (baseline.errors + canary.errors) / (baseline.requests + canary.requests);
  const se = Math.sqrt(p * (1 - p) * (1 / baseline.requests + 1 / canary.requests));
  const z = se > 0 ? Math.abs(canary.errors / canary.requests - baseline.errors / baseline.requests) / se : 0;
  return { decision: z > zCritical ? 'rollback' : 'pass', z };
}
