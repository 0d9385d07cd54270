/**
 * The page bench/speed.mjs opens in headless Chromium, once per backend variant (a wasm variant can only be chosen in
 * a fresh page, see src/labkit/bench/backends.ts). The variants are the speed lab's own (labs/speed/variants.ts),
 * built on the cpu backend before the measured backend starts, so building them compiles nothing on it.
 *
 *   ?mode=steady&backend=<id>&variants=baseline,structured50&budget=<ms>&sweep=1,8,64&models=dense,cnn&batch=1
 *     the variants of each model timed interleaved, then each baseline's sweep;
 *   ?mode=first&backend=<id>&variants=baseline,uint8&models=dense
 *     load, warm-up and first prediction of each variant in turn, in this one page: with one variant this is a fresh
 *     backend; with several, every variant after the first inherits what the earlier ones compiled and warmed.
 * The results go to window.__speed for the script to read.
 */
import * as tf from '@tensorflow/tfjs';
import { benchmarkModels, captureEnvironment, loadAndFirstInference, parseSpecId, setupBackend } from '../../src/labkit/bench/index.ts';
import { prepareVariants, sourceOf } from '../../labs/speed/variants.ts';
import { STEADY, sweepOptions, type PreparedVariant, type VariantKind } from '../../labs/speed/protocol.ts';
import { WASM } from '../../src/labkit/ml/tfjs-assets.ts';

const q = new URLSearchParams(location.search);
const status = document.getElementById('status')!;
const say = (s: string) => (status.textContent = s);
const w = window as unknown as { __speed?: unknown };

async function variantsOf(name: string, kinds: VariantKind[]): Promise<PreparedVariant[]> {
  const files = await Promise.all(
    ['model.json', 'weights.bin'].map(async (f) => {
      const res = await fetch(`/models/${name}/${f}`);
      if (!res.ok) throw new Error(`/models/${name}/${f}: HTTP ${res.status}`);
      return { name: f, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
  const prepared = await prepareVariants(name, files, kinds);
  if (prepared.skipped.length) throw new Error(prepared.skipped.join('; '));
  return prepared.variants;
}

async function main() {
  const spec = parseSpecId(q.get('backend') ?? 'cpu');
  if (spec.backend === 'wasm' && spec.threads && Number(q.get('threads'))) spec.threadsCount = Number(q.get('threads'));
  const kinds = (q.get('variants') ?? 'baseline,structured50').split(',') as VariantKind[];
  const names = (q.get('models') ?? 'dense,cnn').split(',');
  const env = await captureEnvironment(tf.version.tfjs);
  // Build the variants on cpu first: the measured backend then starts cold.
  await setupBackend({ backend: 'cpu' });
  const models: PreparedVariant[][] = [];
  for (const name of names) {
    say(`${name}: building ${kinds.join(', ')}`);
    models.push(await variantsOf(name, kinds));
  }
  const started = await setupBackend(spec, { wasmPaths: WASM });
  if (!started.ok) {
    w.__speed = { env, started, results: [] };
    return;
  }
  const results: unknown[] = [];
  for (const variants of models) {
    say(`${variants[0]!.model} on ${started.id}`);
    if (q.get('mode') === 'first') {
      for (const v of variants) {
        const { model, first } = await loadAndFirstInference(sourceOf(v));
        model.dispose();
        results.push({ model: v.model, variant: v.kind, gzipBytes: v.gzipBytes, first });
      }
      continue;
    }
    const budgetMs = Number(q.get('budget') ?? 3000);
    const sweep = (q.get('sweep') ?? '').split(',').filter(Boolean).map(Number);
    const rs = await benchmarkModels(variants.map(sourceOf), {
      ...STEADY,
      batchSize: Number(q.get('batch') ?? 1),
      budgetMs,
      sweep,
      sweepFor: (n) => n.endsWith(' baseline'),
      sweepOptions: sweepOptions(budgetMs),
    });
    rs.forEach((r, i) => results.push({ ...r, variant: variants[i]!.kind, modelName: variants[i]!.model, bytes: variants[i]!.bytes }));
  }
  w.__speed = { env, started, results, numTensors: tf.memory().numTensors };
  say('done');
}

main().catch((e) => {
  w.__speed = { error: String((e as Error)?.stack ?? e) };
});
