/**
 * The serving lab's batching figures with the real dense MNIST model on tfjs's wasm backend in Node: the cost of each
 * batch size and the throughput when batches run back to back (batch 32 vs batch 1), then the dynamic batcher in
 * virtual time on those costs: the sweep at a saturating arrival rate (80% of the best back-to-back throughput) and the latency
 * batching adds at 5 requests/s.
 *
 *   node bench/serving-batching.ts
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/labkit/ml/backend.ts';
import { nodeWasmPath, ROOT } from '../src/labkit/ml/node.ts';
import { measureBatchCosts } from '../src/labkit/serving/batch-cost.ts';
import { BATCH_SIZES, batchingRun, batchingSweep, saturatingRate } from '../labs/serving/experiments.ts';

const wasm = await import('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(nodeWasmPath());
await initBackend('wasm', { threads: false });
const json = JSON.parse(await readFile(`${ROOT}public/models/dense/model.json`, 'utf8'));
const weights = await readFile(`${ROOT}public/models/dense/weights.bin`);
const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
const pixels = Float32Array.from({ length: 32 * 784 }, (_, i) => (i * 7919) % 256 / 255);
const predict = async (size: number) => {
  const out = tf.tidy(() => model.predict(tf.tensor2d(pixels.subarray(0, size * 784), [size, 784])) as tf.Tensor);
  await out.data();
  out.dispose();
};
console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (one thread), dense MNIST model`);
const costs = await measureBatchCosts(predict, BATCH_SIZES, 200);
console.log('\nbatch  ms/batch  requests/s back to back');
for (const c of costs) console.log(`${String(c.size).padStart(5)}  ${c.ms.toFixed(3).padStart(8)}  ${c.throughput.toFixed(0).padStart(8)}`);
const ratio = costs.at(-1)!.throughput / costs[0]!.throughput;
console.log(`throughput at batch 32 / batch 1: ${ratio.toFixed(1)}×`);

const rate = saturatingRate(costs);
console.log(`\nDynamic batcher at ${rate} requests/s (Poisson, 1 s, virtual time on the measured costs)`);
console.log('max batch  delay ms  throughput/s  p50 ms  p95 ms  mean batch');
const rows = await batchingSweep(costs, rate, 1);
for (const r of rows) console.log(`${String(r.maxBatchSize).padStart(9)}  ${String(r.maxQueueDelayMs).padStart(8)}  ${r.throughput.toFixed(0).padStart(12)}  ${r.p50.toFixed(1).padStart(6)}  ${r.p95.toFixed(1).padStart(6)}  ${r.meanBatch.toFixed(1).padStart(10)}`);
const within = rows.filter((r) => r.p95 <= 50);
const best = within.reduce((a, b) => (b.throughput > a.throughput ? b : a));
console.log(`best with p95 ≤ 50 ms: max batch ${best.maxBatchSize}, delay ${best.maxQueueDelayMs} ms: ${best.throughput.toFixed(0)}/s, p95 ${best.p95.toFixed(1)} ms`);

console.log('\nAt 5 requests/s (batching cannot fill a batch): p50 added by the queue delay');
const base = await batchingRun(costs, 5, 1, 0, 2, undefined, 60_000);
for (const delay of [2, 5, 10]) {
  const r = await batchingRun(costs, 5, 32, delay, 2, undefined, 60_000);
  console.log(`max batch 32, delay ${delay} ms: p50 ${r.p50.toFixed(2)} ms vs ${base.p50.toFixed(2)} ms unbatched (+${(r.p50 - base.p50).toFixed(2)} ms; bound ${delay} + 1 ms)`);
}
