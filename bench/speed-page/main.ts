/**
 * The page bench/speed.mjs opens in headless Chromium, once per backend variant (a wasm variant can only be chosen in
 * a fresh page, see src/labkit/bench/backends.ts). Query: ?backend=<id>&budget=<ms>&sweep=1,8,64&models=dense,cnn
 * It benchmarks each baseline in public/models/<name>/ and a structurally pruned copy (structuredPrune from the
 * quantize-and-prune lab's ML core, `prune` = fraction of hidden units/filters removed), then stores the results in
 * window.__speed for the script to read.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { artifactsOf, benchmarkModels, captureEnvironment, fetchArtifacts, parseSpecId, setupBackend, type ModelSource } from '../../src/labkit/bench/index.ts';
import { structuredPrune } from '../../src/labkit/ml/prune.ts';

const q = new URLSearchParams(location.search);
const status = document.getElementById('status')!;
const say = (s: string) => (status.textContent = s);
const w = window as unknown as { __speed?: unknown };

async function main() {
  const spec = parseSpecId(q.get('backend') ?? 'cpu');
  if (spec.backend === 'wasm' && spec.threads && Number(q.get('threads'))) spec.threadsCount = Number(q.get('threads'));
  const budgetMs = Number(q.get('budget') ?? 3000);
  const sweep = (q.get('sweep') ?? '').split(',').filter(Boolean).map(Number);
  const names = (q.get('models') ?? 'dense,cnn').split(',');
  const prune = Number(q.get('prune') ?? 0.5);
  const batch = Number(q.get('batch') ?? 1);
  const env = await captureEnvironment();
  const started = await setupBackend(spec, {
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
  });
  if (!started.ok) {
    w.__speed = { env, started, results: [] };
    return;
  }
  const results: unknown[] = [];
  for (const name of names) {
    let base: ModelSource;
    try {
      const a = await fetchArtifacts(`/models/${name}/model.json`);
      base = { name, ...a };
    } catch {
      continue; // that baseline is not there (yet)
    }
    say(`${name}: pruning`);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(base.artifacts));
    const { model: small, layers } = await structuredPrune(loaded, prune);
    const sp = await artifactsOf(small);
    loaded.dispose();
    small.dispose();
    const variants: (ModelSource & { pruned?: unknown })[] = [base, { name: `${name}-structured${Math.round(prune * 100)}`, ...sp, pruned: layers }];
    // Baseline and pruned copy are measured side by side (interleaved rounds), so drift cannot favour either.
    say(`${name} on ${started.id}`);
    const rs = await benchmarkModels(variants, { batchSize: batch, budgetMs, minRuns: 30, targetRelHalfWidth: 0.02, sweep, sweepOptions: { budgetMs: Math.max(300, budgetMs / 4), minRuns: 10 } });
    rs.forEach((r, i) => results.push({ ...r, bytes: variants[i].bytes }));
  }
  w.__speed = { env, started, results, numTensors: tf.memory().numTensors };
  say('done');
}

main().catch((e) => {
  w.__speed = { error: String((e as Error)?.stack ?? e) };
});
