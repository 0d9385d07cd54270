// checks.mjs: the lab's automated checks. Each one reads only the run records (runs/<id>/run.json).
// The lab page and `node check.mjs` both use these functions.

const task = (run, name) => run.tasks?.find((t) => t.name === name);
const completed = (run) => run.state === 'completed';
const isGate = (t) => /gate/i.test(t.name);

/** Numbers measured from the run records. */
export function measure(runs) {
  const retried = runs.filter((run) => completed(run) && task(run, 'ingest')?.state === 'completed' && task(run, 'ingest').attempts >= 2);
  const cachedCounts = runs.filter(completed).map((run) => run.tasks.filter((t) => t.state === 'cached').length);
  const evaluated = (run) => ['completed', 'cached'].includes(task(run, 'evaluate')?.state);
  const paramSets = new Set(
    runs.filter((run) => evaluated(run) && run.params && Object.keys(run.params).length > 0).map((run) => stable(run.params)),
  );
  const blocked = runs.filter(
    (run) => run.tasks?.some((t) => isGate(t) && t.state === 'failed') && !['completed', 'cached'].includes(task(run, 'register')?.state),
  );
  const passedAndRegistered = runs.filter(
    (run) => run.tasks?.some((t) => isGate(t) && ['completed', 'cached'].includes(t.state)) && task(run, 'register')?.state === 'completed',
  );
  return {
    'runs.recorded': runs.length,
    'ingest.retried': retried.length,
    'cache.skipped': cachedCounts.length ? Math.max(...cachedCounts) : 0,
    'params.distinct': paramSets.size,
    'gate.blocked': blocked.length,
    'gate.works': blocked.length > 0 && passedAndRegistered.length > 0 ? 1 : 0,
  };
}

/** What to try when a step is not passed yet, by the quantity its criterion reads. */
export const HINTS = {
  'runs.recorded': 'Run node pipeline.mjs once, then open runs/run-001/run.json.',
  'ingest.retried': 'Give the ingest task retries; a completed run whose ingest took 2 or more attempts counts.',
  'cache.skipped': 'Cache validate, features, train and evaluate, then run twice: the second run should show cached tasks.',
  'params.distinct': 'Give the flow parameters, then make two runs with different values that get as far as evaluate (for example --epochs=50).',
  'gate.works': 'Add a task named quality-gate before register; one run must stop a bad model (try --epochs=0) and one must register a good one.',
};

const holds = { '>=': (v, t) => v >= t, '>': (v, t) => v > t, '<=': (v, t) => v <= t, '<': (v, t) => v < t, '==': (v, t) => v === t };

/**
 * The lab's acceptance criteria (criteria.json, which the course site writes into the project from the lab's page)
 * checked against the run records.
 */
export function checkSteps(runs, criteria) {
  const values = measure(runs);
  return criteria.map((c) => ({ ...c, value: values[c.quantity], passed: holds[c.comparison](values[c.quantity], c.threshold), hint: HINTS[c.quantity] ?? '' }));
}

function stable(value) {
  return JSON.stringify(Object.keys(value).sort().map((key) => [key, value[key]]));
}
