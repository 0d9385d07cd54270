// Tests for gateDecision: your decision and checks against the reference's on the same metrics.

const champion = { accuracy: 0.96, recall: { setosa: 1, versicolor: 0.96, virginica: 0.92 }, sizeBytes: 1325, multiplyAddsPerPrediction: 18 };
const rules = { tolerance: 0.01, recallFloor: 0.85, maxSizeBytes: 4096, maxMultiplyAdds: 64 };

function same(student, reference, t, candidate, what, r = rules) {
  const mine = student(candidate, champion, r);
  const ref = reference(candidate, champion, r);
  t.ok(mine && Array.isArray(mine.checks), `${what}: return { passed, checks }`);
  t.equal(mine.passed, ref.passed, `${what}: passed`);
  t.items(mine.checks.map((c) => c.name), ref.checks.map((c) => c.name), `${what}: the checks, in order`);
  t.items(mine.checks.map((c) => c.passed), ref.checks.map((c) => c.passed), `${what}: which checks pass`);
}

const good = { ...champion, recall: { ...champion.recall } };

export default [
  { name: 'the champion itself passes', run: (s, r, t) => same(s, r, t, good, 'equal metrics') },
  { name: 'a drop within the tolerance passes', run: (s, r, t) => same(s, r, t, { ...good, accuracy: 0.9505 }, '0.95 pp lower') },
  { name: 'a drop of exactly the tolerance passes', run: (s, r, t) => same(s, r, t, { ...good, accuracy: 0.95 }, 'exactly 1 pp lower') },
  { name: 'the planted regression fails on accuracy and two recalls', run: (s, r, t) => same(s, r, t, { ...good, accuracy: 0.84, recall: { setosa: 1, versicolor: 0.78, virginica: 0.74 } }, 'scaling bug') },
  { name: 'one class under its floor fails even with better accuracy', run: (s, r, t) => same(s, r, t, { ...good, accuracy: 0.98, recall: { setosa: 1, versicolor: 0.99, virginica: 0.84 } }, 'virginica 84%') },
  { name: 'size and cost budgets', run: (s, r, t) => same(s, r, t, { ...good, sizeBytes: 5000, multiplyAddsPerPrediction: 65 }, 'too big and too slow') },
  { name: 'budgets are inclusive', run: (s, r, t) => same(s, r, t, { ...good, sizeBytes: 4096, multiplyAddsPerPrediction: 64 }, 'at the budgets') },
  { name: 'a stricter tolerance', run: (s, r, t) => same(s, r, t, { ...good, accuracy: 0.955 }, 'tolerance 0', { ...rules, tolerance: 0 }) },
];
