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

/** The five graded steps: what each asks, and whether the run records show it done. */
export const STEPS = [
  { step: 1, title: 'Run the starter and read the run', quantity: 'runs.recorded', atLeast: 1,
    hint: 'Run node pipeline.mjs once, then open runs/run-001/run.json.' },
  { step: 2, title: 'Make the flaky ingestion succeed with retries', quantity: 'ingest.retried', atLeast: 1,
    hint: 'Give the ingest task retries; a completed run whose ingest took 2 or more attempts passes.' },
  { step: 3, title: 'Cache tasks so that a re-run skips unchanged work', quantity: 'cache.skipped', atLeast: 3,
    hint: 'Cache validate, features, train and evaluate, then run twice: the second run should show 3 or more cached tasks.' },
  { step: 4, title: 'Parametrize the flow and compare two runs', quantity: 'params.distinct', atLeast: 2,
    hint: 'Give the flow parameters, then make two runs with different values that get as far as evaluate (for example --epochs=50).' },
  { step: 5, title: 'Stop a bad model at a quality gate', quantity: 'gate.works', atLeast: 1,
    hint: 'Add a task named quality-gate before register; one run must stop a bad model (try --epochs=0) and one must register a good one.' },
];

export function checkSteps(runs) {
  const values = measure(runs);
  return STEPS.map((s) => ({ ...s, value: values[s.quantity], passed: values[s.quantity] >= s.atLeast }));
}

function stable(value) {
  return JSON.stringify(Object.keys(value).sort().map((key) => [key, value[key]]));
}
