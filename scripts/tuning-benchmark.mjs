// The tuning lab's tabular benchmark: every configuration of the lab's search space trained with several seeds,
// with its validation and test errors after every epoch, so replay studies can compare search strategies over
// hundreds of seeds in seconds and every acceptance criterion is deterministic.
//
// Usage: node scripts/tuning-benchmark.mjs [--out labs/tuning/data/benchmark.json] [--runs 0-9]
//   (Node 24: imports the labkit's TypeScript directly.) Runs finished so far are kept in <out>.partial.jsonl, so an
//   interrupted run picks up where it stopped; --runs trains only some runs (to check that a rerun gives the same
//   numbers). Trains on tfjs's wasm backend, single-threaded, as the lab's live workers do; the same code
//   (labs/tuning/mlp.ts) trains live trials in the browser.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/labkit/ml/backend.ts';
import { mnistDir, nodeWasmPath } from '../src/labkit/ml/node.ts';
import { loadMnist } from '../src/labkit/ml/data.ts';
import { TRAIN_IMAGES, VALIDATION_IMAGES } from '../labs/tuning/config.ts';
import { MlpLearner, tuningData } from '../labs/tuning/mlp.ts';
import { BENCHMARK_SPACE, BENCHMARK_EPOCHS, BENCHMARK_SEEDS, configAt, configCount } from '../labs/tuning/space.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const out = resolve(root, option('--out', 'labs/tuning/data/benchmark.json'));
const partial = `${out}.partial.jsonl`;
const only = option('--runs', null);

const wasm = await import('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(nodeWasmPath());
await initBackend('wasm', { threads: false });
const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));

const data = tuningData(await loadMnist(mnistDir(), 'train'));
const test = await loadMnist(mnistDir(), 'test');

const runs = [];
for (let c = 0; c < configCount(); c++) for (let s = 0; s < BENCHMARK_SEEDS.length; s++) runs.push({ c, s });
const [from, to] = only ? only.split('-').map(Number) : [0, runs.length - 1];

mkdirSync(dirname(out), { recursive: true });
const done = new Map();
if (existsSync(partial) && !only) {
  for (const line of readFileSync(partial, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    done.set(`${r.c}/${r.s}`, r);
  }
}

const started = performance.now();
let trainedNow = 0;
for (let i = from; i <= to; i++) {
  const { c, s } = runs[i];
  if (done.has(`${c}/${s}`)) continue;
  const config = configAt(c);
  const learner = new MlpLearner(config, data, BENCHMARK_SEEDS[s]);
  const val = [];
  const testWrong = [];
  let ms = 0;
  for (let e = 0; e < BENCHMARK_EPOCHS; e++) {
    const t0 = performance.now();
    const r = await learner.epoch();
    ms += performance.now() - t0;
    val.push(r.wrong);
    testWrong.push(await learner.wrong(test));
  }
  learner.dispose();
  const record = { c, s, val, test: testWrong, ms: Math.round(ms / BENCHMARK_EPOCHS) };
  done.set(`${c}/${s}`, record);
  trainedNow++;
  if (only) console.log(JSON.stringify(record));
  else appendFileSync(partial, `${JSON.stringify(record)}\n`);
  const elapsed = (performance.now() - started) / 1000;
  console.error(`run ${i + 1}/${runs.length} config ${JSON.stringify(config)} seed ${BENCHMARK_SEEDS[s]}: validation errors ${val.map((w) => (w / VALIDATION_IMAGES).toFixed(3)).join(' ')}; ${Math.round(ms / BENCHMARK_EPOCHS)} ms/epoch; ${elapsed.toFixed(0)} s, ${(elapsed / trainedNow).toFixed(1)} s per run`);
  if (tf.memory().numTensors > 10) throw new Error(`tensors leak: ${tf.memory().numTensors} left`);
}
if (only) process.exit(0);

const records = runs.map(({ c, s }) => done.get(`${c}/${s}`));
if (records.some((r) => !r)) throw new Error('some runs are missing');
const benchmark = {
  format: 'mlops-tuning-benchmark',
  version: 1,
  generator: 'scripts/tuning-benchmark.mjs',
  trainer: 'labs/tuning/mlp.ts',
  tfjs: tf.version.tfjs,
  backend: `wasm, 1 thread${simd ? ', SIMD' : ''}`,
  model: '784 → hidden units (ReLU) → 10 logits; Adam; softmax cross-entropy + l2 × (sum of squared kernel weights); Glorot-uniform initialisation from the seed',
  data: {
    train: TRAIN_IMAGES,
    validation: VALIDATION_IMAGES,
    test: test.count,
    source: `public/data/mnist: train-split images 0–${TRAIN_IMAGES - 1} train, ${TRAIN_IMAGES}–${TRAIN_IMAGES + VALIDATION_IMAGES - 1} validate; the whole test split (${test.count} images) tests`,
  },
  epochs: BENCHMARK_EPOCHS,
  seeds: BENCHMARK_SEEDS,
  space: BENCHMARK_SPACE,
  /** Each run: [config index, seed index, validation wrong per epoch, test wrong per epoch, mean ms per epoch]. */
  runs: records.map((r) => [r.c, r.s, r.val, r.test, r.ms]),
};
writeFileSync(out, `${JSON.stringify(benchmark)}\n`);
console.error(`wrote ${out}: ${records.length} runs, ${readFileSync(out).length} bytes`);
