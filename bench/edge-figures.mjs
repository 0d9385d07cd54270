// Computes the quantize-and-prune lab's figures for both baselines in Node (wasm backend) and prints them as
// Markdown tables. Usage: node bench/edge-figures.mjs [dense|cnn ...] [--json out.json]
// Every variant is exported as tfjs artifacts and loaded back with the stock tf.loadLayersModel before it is evaluated
// on the held-out test split (5,000 images); gzipped sizes use CompressionStream (zlib).
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/labkit/ml/backend.ts';
import { mnistDir, nodeWasmPath } from '../src/labkit/ml/node.ts';
import { loadMnist } from '../src/labkit/ml/data.ts';
import { evaluate } from '../src/labkit/ml/evaluate.ts';
import { loadExported, exportModel } from '../src/labkit/ml/artifacts.ts';
import { measureExport, cloneModel, int8PerChannelExperiment, fullIntegerExperiment } from '../src/labkit/ml/variants.ts';
import { polynomialDecay, pruneAndFineTune, kernelSparsity, structuredPrune } from '../src/labkit/ml/prune.ts';
import { train } from '../src/labkit/ml/train.ts';
import { readFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const names = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--json');
const which = names.length ? names : ['dense', 'cnn'];

await initBackend('wasm', { wasmPath: nodeWasmPath() });
const data = mnistDir();
const test = await loadMnist(data, 'test');
const trainSet = await loadMnist(data, 'train');
const calibration = await loadMnist(data, 'train', 500);

function loadBaseline(name) {
  const dir = join(root, 'public/models', name);
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weightData = new Uint8Array(readFileSync(join(dir, 'weights.bin')));
  return loadExported({ modelJson, weightData });
}

/**
 * The lab's default fine-tuning recipe (tfmot-style): polynomial decay from 50% to the target over the first half of
 * 3 epochs on the 10,000-image train split (end step rounded to a multiple of the frequency, so the last mask update
 * is at the target), masks updated every 10 steps, Adam 1e-3, batch 64.
 */
async function pruneVariant(base, target, { scope = 'per-tensor', epochs = 3, batchSize = 64 } = {}) {
  const model = await cloneModel(base);
  const steps = Math.ceil(trainSet.count / batchSize) * epochs;
  const schedule = polynomialDecay({ initialSparsity: Math.min(0.5, target), finalSparsity: target, beginStep: 0, endStep: Math.round(steps / 2 / 10) * 10, frequency: 10 });
  await pruneAndFineTune(model, trainSet, { schedule, scope, epochs, batchSize, learningRate: 1e-3, seed: 7 });
  return model;
}

const fmtB = (n) => (n == null ? '—' : n.toLocaleString('en'));
const pct = (x) => `${(x * 100).toFixed(2)}%`;
const all = {};
for (const name of which) {
  const t0 = performance.now();
  const numTensors0 = tf.memory().numTensors;
  const base = await loadBaseline(name);
  const ref = await evaluate(base, test);
  const rows = [];
  const baseline = (await measureExport('float32 baseline', 'baseline', base, 'float32', test, ref)).result;
  rows.push(baseline);
  for (const dt of ['uint8', 'uint16', 'float16']) rows.push((await measureExport(dt, 'quantized', base, dt, test, ref)).result);
  rows.push(await int8PerChannelExperiment(base, test, ref));
  rows.push(await fullIntegerExperiment(base, calibration, test, ref));
  const sparsityRows = [];
  for (const [target, scope] of [[0.8, 'per-tensor'], [0.8, 'global'], [0.85, 'global'], [0.9, 'global']]) {
    const pruned = await pruneVariant(base, target, { scope });
    const per = kernelSparsity(pruned);
    const label = `pruned ${target * 100}% ${scope}`;
    sparsityRows.push({ target, scope, per });
    rows.push((await measureExport(`${label} (fine-tuned)`, 'pruned', pruned, 'float32', test, ref)).result);
    rows.push((await measureExport(`${label} + uint8`, 'pruned+quantized', pruned, 'uint8', test, ref)).result);
    pruned.dispose();
  }
  // Structured: remove half the hidden units/filters, fine-tune 2 epochs.
  const { model: small, layers: structLayers } = await structuredPrune(base, 0.5);
  const beforeFt = (await measureExport('structured 50% (no fine-tuning)', 'structured', small, 'float32', test, ref)).result;
  await train(small, trainSet, { epochs: 3, batchSize: 64, learningRate: 1e-3, seed: 7 });
  rows.push(beforeFt, (await measureExport('structured 50% (fine-tuned)', 'structured', small, 'float32', test, ref)).result);
  small.dispose();
  base.dispose();
  const leaked = tf.memory().numTensors - numTensors0;

  console.log(`\n## ${name} baseline — ${pct(ref.accuracy)} on ${test.count} test images\n`);
  console.log('| Variant | Params | Weights (raw B) | Gzipped (B) | Raw vs float32 | Gzip vs float32 | Accuracy | Drop (pp) | Agreement | Max logit diff |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const rawRatio = r.rawBytes == null ? '—' : pct(r.rawBytes / baseline.rawBytes);
    const gzRatio = r.gzipBytes == null ? '—' : `1/${(baseline.gzipBytes / r.gzipBytes).toFixed(2)}`;
    console.log(`| ${r.name} | ${fmtB(r.params)} | ${fmtB(r.rawBytes)} | ${fmtB(r.gzipBytes)} | ${rawRatio} | ${gzRatio} | ${pct(r.accuracy)} | ${r.accuracyDropPp.toFixed(2)} | ${pct(r.agreement)} | ${r.maxLogitDiff.toPrecision(3)} |`);
  }
  for (const s of sparsityRows) console.log(`\nPer-layer sparsity at target ${s.target} (${s.scope}): ${s.per.map((p) => `${p.layer} ${pct(p.sparsity)} (${p.zeros}/${p.size})`).join(', ')}`);
  console.log(`\nStructured: ${structLayers.map((l) => `${l.layer} ${l.before}→${l.after}`).join(', ')}`);
  console.log(`Tensors left over after all of the above: ${leaked}; took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  all[name] = { accuracy: ref.accuracy, rows, sparsity: sparsityRows, structured: structLayers, leakedTensors: leaked };
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(all, null, 2));
