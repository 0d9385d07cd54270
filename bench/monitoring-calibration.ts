/**
 * The monitoring lab's calibration figures on its own deterministic stream, with the real dense baseline (tfjs wasm
 * backend in Node): false alarms per window size for each test at its usual threshold, power on the sudden drift,
 * and Page-Hinkley's false alarms and delays for several λ. The criteria in labs/monitoring/index.mdx and the tables
 * in its text come from here.
 *
 *   node bench/monitoring-calibration.ts [--quick]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/labkit/ml/backend.ts';
import { loadMnist } from '../src/labkit/ml/data.ts';
import { mnistDir, nodeWasmPath, ROOT } from '../src/labkit/ml/node.ts';
import { wilson } from '../src/labkit/stats/proportions.ts';
import { PoolCache } from '../labs/monitoring/pool.ts';
import { poolIndex } from '../labs/monitoring/stream.ts';
import { concept, falseAlarms, power, sweep, type Env } from '../labs/monitoring/experiments.ts';
import { MONITORED, type DetectorConfig } from '../labs/monitoring/detect.ts';

const quick = process.argv.includes('--quick');
const wasm = await import('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(nodeWasmPath());
await initBackend('wasm');
const model = await tf.loadLayersModel(tf.io.fromMemory(await (async () => {
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(`${ROOT}public/models/dense/model.json`, 'utf8'));
  const weights = await readFile(`${ROOT}public/models/dense/weights.bin`);
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) };
})()));
const test = await loadMnist(mnistDir(), 'test');
const scorer = async (pixels: Float32Array, count: number) => {
  const out = tf.tidy(() => model.predict(tf.tensor2d(pixels, [count, 784])) as tf.Tensor);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
};
const env: Env = { pool: new PoolCache(test.images, scorer), index: poolIndex(test.labels), stats: {} };
const pct = (k: number, n: number) => {
  const ci = wilson(k, n);
  return `${((100 * k) / n).toFixed(1)}% (${(100 * ci.lower).toFixed(1)}–${(100 * ci.upper).toFixed(1)})`;
};
const t0 = performance.now();
const configs: [string, DetectorConfig][] = [
  ['PSI > 0.1', { test: 'psi', window: 100, threshold: 0.1, correction: 'none', features: [...MONITORED] }],
  ['JS > 0.1', { test: 'js', window: 100, threshold: 0.1, correction: 'none', features: [...MONITORED] }],
  ['normed W > 0.1', { test: 'wasserstein', window: 100, threshold: 0.1, correction: 'none', features: [...MONITORED] }],
  ['KS α=0.05, no correction', { test: 'ks', window: 100, threshold: 0.05, correction: 'none', features: [...MONITORED] }],
  ['KS α=0.05, Bonferroni', { test: 'ks', window: 100, threshold: 0.05, correction: 'bonferroni', features: [...MONITORED] }],
];
const sizes = quick ? [100, 500] : [100, 250, 500, 1000];
console.log(`## False alarms on no-drift windows (${MONITORED.length} features, 200 windows each, reference 5,000)\n`);
console.log(`| detector | ${sizes.map((s) => `n=${s}`).join(' | ')} |`);
console.log(`| --- | ${sizes.map(() => '---:').join(' | ')} |`);
for (const [name, c] of configs) {
  const rows = await sweep(env, c, sizes);
  console.log(`| ${name} (any feature) | ${sizes.map((s) => { const r = rows.find((x) => x.window === s && x.feature === 'any')!; return pct(r.alarms, r.windows); }).join(' | ')} |`);
}
console.log(`\n## Power on the sudden drift (contrast ×0.96), 200 windows\n`);
for (const [name, c] of configs.slice(3)) {
  for (const window of [250, 500]) {
    const fa = await falseAlarms(env, { ...c, window });
    const pw = await power(env, { ...c, window });
    console.log(`- ${name}, n=${window}: false alarms ${pct(fa.alarms, fa.windows)}, power ${pct(pw.alarms, pw.windows)}; flagged on drift: ${JSON.stringify(pw.flagged)}`);
  }
}
console.log(`\n## Page-Hinkley (δ = 0.005) on the error stream\n`);
console.log('| λ | false alarm within 20,000 stable events | alarm before the change | median delay (events) | p90 delay | missed (3,000 events) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const threshold of quick ? [30] : [10, 15, 20, 30, 50]) {
  const r = await concept(env, { delta: 0.005, threshold }, quick ? 50 : 200);
  const d = r.delays.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const q = (p: number) => d[Math.min(d.length - 1, Math.floor(p * d.length))];
  console.log(`| ${threshold} | ${pct(r.stableAlarms, r.runs)} | ${r.early} | ${q(0.5)} | ${q(0.9)} | ${r.delays.filter((x) => x === null).length} |`);
}
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
