// ci/train.mjs: train one model of the matrix.   node ci/train.mjs --seed 1 --config fast
// Writes models/model-<seed>-<config>.json: the weights, the scaler and how it was trained.
import { SPECIES, FEATURE_NAMES } from '../lib/data.mjs';
import { train } from '../lib/model.mjs';
import { arg, CONFIGS, loadRows, prepare, writeJson, command } from './common.mjs';

const seed = Number(arg('seed', '1'));
const configName = arg('config', 'fast');
const config = CONFIGS[configName];
if (!config) {
  command('error', { title: 'Unknown training config' }, `--config ${configName}: use one of ${Object.keys(CONFIGS).join(', ')}`);
  process.exit(1);
}
if (!Number.isInteger(seed)) {
  command('error', { title: 'Bad seed' }, `--seed must be a whole number, not ${arg('seed')}`);
  process.exit(1);
}

const data = prepare(loadRows(), seed);
const { model, losses } = train(data.train.X, data.train.y, { classes: SPECIES.length, ...config });
const name = `model-${seed}-${configName}`;
writeJson(`models/${name}.json`, { name, seed, config: configName, ...config, classes: SPECIES, featureNames: FEATURE_NAMES, scaler: data.scaler, ...model });
console.log(`trained ${name}: ${config.epochs} epochs at learning rate ${config.learningRate}, final loss ${losses.at(-1).toFixed(4)}`);
