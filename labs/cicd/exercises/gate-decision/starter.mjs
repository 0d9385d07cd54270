// gateDecision(candidate, champion, rules) -> { passed, checks: [{ name, passed, detail }] }
export function gateDecision(candidate, champion, rules) {
  const checks = [];
  // TODO: accuracy against the champion's, with the tolerance
  // TODO: one check per class: recall against rules.recallFloor
  // TODO: size and cost per prediction against their budgets
  return { passed: checks.every((c) => c.passed), checks };
}
