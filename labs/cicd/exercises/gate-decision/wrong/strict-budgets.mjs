// Wrong: budgets as strict limits (a model exactly at its budget fails).
export function gateDecision(candidate, champion, rules) {
  const checks = [{ name: 'accuracy', passed: champion.accuracy - candidate.accuracy <= rules.tolerance + 1e-9, detail: '' }];
  for (const [name, value] of Object.entries(candidate.recall)) checks.push({ name: `recall ${name}`, passed: value >= rules.recallFloor, detail: '' });
  checks.push({ name: 'size', passed: candidate.sizeBytes < rules.maxSizeBytes, detail: '' });
  checks.push({ name: 'cost per prediction', passed: candidate.multiplyAddsPerPrediction < rules.maxMultiplyAdds, detail: '' });
  return { passed: checks.every((c) => c.passed), checks };
}
