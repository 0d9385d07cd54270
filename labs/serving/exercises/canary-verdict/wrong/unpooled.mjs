// A typical mistake: the standard error from each side's own rate (the Wald form) instead of the pooled rate. With no
// errors on the canary the standard error can be 0 or tiny, and z explodes.
export function canaryVerdict(baseline, canary, { zCritical, minRequests }) {
  for (const [name, side] of [['baseline', baseline], ['canary', canary]]) {
    if (!Number.isInteger(side.requests) || !Number.isInteger(side.errors) || side.errors < 0 || side.errors > side.requests) throw new RangeError(`${name}: bad counts`);
  }
  if (canary.requests < minRequests || baseline.requests === 0) return { decision: 'wait', z: 0 };
  const pb = baseline.errors / baseline.requests;
  const pc = canary.errors / canary.requests;
  const se = Math.sqrt((pb * (1 - pb)) / baseline.requests + (pc * (1 - pc)) / canary.requests);
  const z = se > 0 ? (pc - pb) / se : 0;
  return { decision: z > zCritical ? 'rollback' : 'pass', z };
}
