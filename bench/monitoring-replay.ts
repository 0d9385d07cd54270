/**
 * How fast the monitoring lab replays its stream into metrics: one simulated day (5,760 scrapes at 15 s, about 40
 * series) from a cached pool, then rule evaluation every minute over the day. Node runs the same V8 and the same code
 * as the lab's worker; the model is the dense baseline on the tfjs wasm backend (its scores are cached after the
 * first pass, as in the worker). Prints medians of 5 runs.
 *
 *   node bench/monitoring-replay.ts
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { initBackend } from '../src/labkit/ml/backend.ts';
import { loadMnist } from '../src/labkit/ml/data.ts';
import { mnistDir, nodeWasmPath, ROOT } from '../src/labkit/ml/node.ts';
import { PoolCache } from '../labs/monitoring/pool.ts';
import { arrivals, eventsAt, poolIndex } from '../labs/monitoring/stream.ts';
import { SCENARIOS, DAY } from '../labs/monitoring/scenarios.ts';
import { pixelScaleOf, scrape } from '../labs/monitoring/metrics.ts';
import { parseRules } from '../src/labkit/promql/rules.ts';
import { timeline } from '../labs/monitoring/alerting.ts';

const wasm = await import('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(nodeWasmPath());
await initBackend('wasm');
const json = JSON.parse(await readFile(`${ROOT}public/models/dense/model.json`, 'utf8'));
const weights = await readFile(`${ROOT}public/models/dense/weights.bin`);
const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
const test = await loadMnist(mnistDir(), 'test');
const pool = new PoolCache(test.images, async (pixels, count) => {
  const out = tf.tidy(() => model.predict(tf.tensor2d(pixels, [count, 784])) as tf.Tensor);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
});
const index = poolIndex(test.labels);
const rules = parseRules(`groups:
  - name: g
    rules:
      - record: job:contrast:mean1h
        expr: rate(input_feature_sum{feature="contrast"}[1h]) / ignoring(feature) rate(input_feature_count[1h])
      - alert: ContrastDrop
        expr: job:contrast:mean1h < 0.985 * job:contrast:mean1h offset 1d
        for: 30m
      - alert: SlowRequests
        expr: histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket[5m]))) > 0.1
        for: 10m
      - alert: ErrorRate
        expr: sum(rate(requests_total{code="400"}[10m])) / sum(rate(requests_total[10m])) > 0.01
`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const first = performance.now();
const times = { stream: [] as number[], serve: [] as number[], scrape: [] as number[], rules: [] as number[] };
let series = 0;
let samples = 0;
for (let run = 0; run < 6; run++) {
  let t = performance.now();
  const ev = eventsAt(SCENARIOS.quality, arrivals(DAY, 2 * DAY, 7), index, 7);
  times.stream.push(performance.now() - t);
  t = performance.now();
  const served = await pool.serve(ev);
  times.serve.push(performance.now() - t);
  t = performance.now();
  const store = scrape(ev, served, pixelScaleOf(ev), 2 * DAY);
  times.scrape.push(performance.now() - t);
  series = store.all().length;
  samples = store.all().reduce((s, x) => s + x.t.length, 0);
  t = performance.now();
  timeline(rules, store, 2 * DAY);
  times.rules.push(performance.now() - t);
  if (run === 0) {
    console.log(`first run (model scoring new inputs): ${(performance.now() - first).toFixed(0)} ms`);
    for (const k of Object.keys(times) as (keyof typeof times)[]) times[k].length = 0;
  }
}
console.log(`${series} series, ${samples.toLocaleString('en')} samples over two days (the replay scrapes both; the figures below are for one day = half)`);
for (const [k, xs] of Object.entries(times)) console.log(`${k}: median ${(median(xs) / 2).toFixed(0)} ms per simulated day (5 runs)`);
console.log(`total per simulated day: ${(Object.values(times).reduce((s, xs) => s + median(xs), 0) / 2).toFixed(0)} ms`);
