// Wrong: one check on the mean recall instead of a floor for each class.
export function gateDecision(candidate, champion, rules) {
  const recalls = Object.values(candidate.recall);
  const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
  const checks = [
    { name: 'accuracy', passed: champion.accuracy - candidate.accuracy <= rules.tolerance + 1e-9, detail: '' },
    { name: 'recall', passed: mean >= rules.recallFloor, detail: '' },
    { name: 'size', passed: candidate.sizeBytes <= rules.maxSizeBytes, detail: '' },
    { name: 'cost per prediction', passed: candidate.multiplyAddsPerPrediction <= rules.maxMultiplyAdds, detail: '' },
  ];
  return { passed: checks.every((c) => c.passed), checks };
}
