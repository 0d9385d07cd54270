// Wrong: compares accuracy without the tolerance, so any drop at all fails.
export function gateDecision(candidate, champion, rules) {
  const checks = [{ name: 'accuracy', passed: candidate.accuracy >= champion.accuracy, detail: '' }];
  for (const [name, value] of Object.entries(candidate.recall)) checks.push({ name: `recall ${name}`, passed: value >= rules.recallFloor, detail: '' });
  checks.push({ name: 'size', passed: candidate.sizeBytes <= rules.maxSizeBytes, detail: '' });
  checks.push({ name: 'cost per prediction', passed: candidate.multiplyAddsPerPrediction <= rules.maxMultiplyAdds, detail: '' });
  return { passed: checks.every((c) => c.passed), checks };
}
