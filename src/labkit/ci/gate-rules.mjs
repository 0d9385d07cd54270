// ci/gate-rules.mjs: the quality gate's decision, as a pure function (ci/gate.mjs runs it; the lab tests it).
//
// candidate and champion: { accuracy, recall: { class: value }, sizeBytes, multiplyAddsPerPrediction }
// rules: { tolerance, recallFloor, maxSizeBytes, maxMultiplyAdds }  (accuracy and recall as fractions, 0..1)
// Returns { passed, checks: [{ name, passed, detail }] }: every rule is checked, so a report can list them all.
export function gateDecision(candidate, champion, rules) {
  const pp = (x) => `${(100 * x).toFixed(1)} pp`;
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const checks = [];
  const drop = champion.accuracy - candidate.accuracy;
  checks.push({
    name: 'accuracy',
    passed: drop <= rules.tolerance + 1e-9,
    detail: `${pct(candidate.accuracy)} against the champion's ${pct(champion.accuracy)} (${drop > 0 ? `−${pp(drop)}` : `+${pp(-drop)}`}; tolerance ${pp(rules.tolerance)})`,
  });
  for (const [name, value] of Object.entries(candidate.recall)) {
    checks.push({ name: `recall ${name}`, passed: value >= rules.recallFloor - 1e-9, detail: `${pct(value)} (floor ${pct(rules.recallFloor)})` });
  }
  checks.push({ name: 'size', passed: candidate.sizeBytes <= rules.maxSizeBytes, detail: `${candidate.sizeBytes} B (budget ${rules.maxSizeBytes} B)` });
  checks.push({
    name: 'cost per prediction',
    passed: candidate.multiplyAddsPerPrediction <= rules.maxMultiplyAdds,
    detail: `${candidate.multiplyAddsPerPrediction} multiply-adds (budget ${rules.maxMultiplyAdds})`,
  });
  return { passed: checks.every((c) => c.passed), checks };
}
