// pipeline.mjs: the iris training pipeline. Run it with:  node pipeline.mjs
//
// ingest -> validate -> features -> train -> evaluate -> register
// Each step is a task (see lib/flow.mjs); the flow at the bottom calls them in order.
// After a run, read runs/<run id>/run.json: the state, attempts and timing of every task.

import { flow, task, saveArtifact, log, currentRun } from './lib/flow.mjs';
import { fetchIrisCsv } from './lib/feed.mjs';
import { parseCsv, validateRows, split, engineer, fitScaler, scale, SPECIES, FEATURE_NAMES } from './lib/data.mjs';
import { train as fitSoftmax, evaluate as score } from './lib/model.mjs';
import { registerModel } from './lib/registry.mjs';

// Step 4: the settings are parameters now. Change them from the command line:
//   node pipeline.mjs --epochs=50 --learningRate=0.1
// Each run records its parameters; compare two runs with:  node compare.mjs run-001 run-002
const PARAMS = { epochs: 300, learningRate: 0.5, testShare: 0.2, seed: 42, minAccuracy: 0.9 };

const ingest = task('ingest', () => {
  const rows = parseCsv(fetchIrisCsv('data/iris.csv'));
  log.info('downloaded the iris table', { rows: rows.length });
  return { rows };
}, { retries: 3, retryDelayMs: 100, backoff: 2 }); // step 2: retry a flaky feed, waiting 100, 200, 400 ms

const validate = task('validate', (raw) => {
  const { clean, report } = validateRows(raw.rows);
  saveArtifact('validation.json', report);
  if (clean.length < 100) throw new Error(`only ${clean.length} valid rows; expected about 150`);
  return { rows: clean };
}, { cache: true }); // step 3: same rows in, same result out

const features = task('features', (valid, testShare, seed) => {
  const { train, test } = split(valid.rows, testShare, seed);
  const scaler = fitScaler(train.map((r) => engineer(r.features)));
  const prepare = (rows) => ({
    X: scale(rows.map((r) => engineer(r.features)), scaler),
    y: rows.map((r) => SPECIES.indexOf(r.species)),
  });
  return { train: prepare(train), test: prepare(test), scaler, featureNames: FEATURE_NAMES };
}, { cache: true });

const train = task('train', (data, epochs, learningRate) => {
  const { model, losses } = fitSoftmax(data.train.X, data.train.y, { classes: SPECIES.length, epochs, learningRate });
  saveArtifact('model.json', { ...model, classes: SPECIES, featureNames: data.featureNames, scaler: data.scaler });
  log.info('trained', { epochs, finalLoss: Number((losses.at(-1) ?? NaN).toFixed(4)) });
  return { model, epochs, learningRate };
}, { cache: true });

const evaluate = task('evaluate', (trained, data) => {
  const metrics = score(trained.model, data.test.X, data.test.y, SPECIES.length);
  saveArtifact('metrics.json', metrics);
  log.info('evaluated on the test set', { accuracy: Number(metrics.accuracy.toFixed(4)), n: metrics.n });
  return metrics;
}, { cache: true });

// Step 5: the quality gate. It fails (and so stops the flow) when the model is not good enough.
// Try a bad model:  node pipeline.mjs --epochs=0
const qualityGate = task('quality-gate', (metrics, minAccuracy) => {
  const decision = { accuracy: metrics.accuracy, minAccuracy, passed: metrics.accuracy >= minAccuracy };
  saveArtifact('gate.json', decision);
  if (!decision.passed) {
    throw new Error(`accuracy ${metrics.accuracy.toFixed(3)} is below the gate's minimum of ${minAccuracy}`);
  }
  return decision;
});

const register = task('register', (trained, metrics, decision) => {
  if (!decision?.passed) throw new Error('refusing to register a model that has not passed the quality gate');
  const entry = registerModel({ name: 'iris-softmax', model: trained.model, metrics, runId: currentRun().runId });
  saveArtifact('registered.json', entry);
  log.info(entry.alreadyRegistered ? 'already registered' : 'registered', { version: entry.version });
  return entry;
});

export const irisFlow = flow(
  'iris-training',
  async (params) => {
    const raw = await ingest();
    const valid = await validate(raw);
    const data = await features(valid, params.testShare, params.seed);
    const trained = await train(data, params.epochs, params.learningRate);
    const metrics = await evaluate(trained, data);
    const decision = await qualityGate(metrics, params.minAccuracy);
    await register(trained, metrics, decision);
    return { accuracy: metrics.accuracy };
  },
  { params: PARAMS, tasks: [ingest, validate, features, train, evaluate, qualityGate, register] },
);

await irisFlow.main();
