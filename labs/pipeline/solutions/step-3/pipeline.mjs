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

// Settings, fixed for now.
const EPOCHS = 300;
const LEARNING_RATE = 0.5;
const TEST_SHARE = 0.2;
const SEED = 42;

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

const register = task('register', (trained, metrics) => {
  const entry = registerModel({ name: 'iris-softmax', model: trained.model, metrics, runId: currentRun().runId });
  saveArtifact('registered.json', entry);
  log.info(entry.alreadyRegistered ? 'already registered' : 'registered', { version: entry.version });
  return entry;
});

export const irisFlow = flow(
  'iris-training',
  async () => {
    const raw = await ingest();
    const valid = await validate(raw);
    const data = await features(valid, TEST_SHARE, SEED);
    const trained = await train(data, EPOCHS, LEARNING_RATE);
    const metrics = await evaluate(trained, data);
    await register(trained, metrics);
    return { accuracy: metrics.accuracy };
  },
  { tasks: [ingest, validate, features, train, evaluate, register] },
);

await irisFlow.main();
