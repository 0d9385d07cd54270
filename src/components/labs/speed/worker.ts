/// <reference lib="webworker" />
/**
 * The speed lab's worker: detects backends, or benchmarks every chosen model variant on ONE backend variant and
 * posts the results. The page creates a fresh worker per backend variant and terminates it afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import { benchmarkModels, captureEnvironment, fetchArtifacts, setupBackend, specId, specLabel, type ModelSource } from '../../../labkit/bench/index.ts';
import { exportModel, readUserModel, type ExportedModel } from '../../../labkit/ml/artifacts.ts';
import { pruneOnce, structuredPrune } from '../../../labkit/ml/prune.ts';
import { gzipSize } from '../../../labkit/ml/sizes.ts';
import type { BackendRun, ModelName, Reply, Request, VariantKind, VariantResult } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (r: Reply) => scope.postMessage(r);
type UploadedFiles = { name: string; bytes: Uint8Array }[];

function sourceFrom(name: string, e: ExportedModel): ModelSource & { json: string } {
  const json = JSON.stringify(e.modelJson);
  return {
    name,
    json,
    artifacts: { modelTopology: e.modelJson.modelTopology, weightSpecs: e.specs as unknown as tf.io.WeightsManifestEntry[], weightData: e.weightData.slice().buffer },
    bytes: json.length + e.weightData.length,
  };
}

/** Builds the requested variants of one baseline, in memory, with their download sizes. */
async function makeVariants(base: string, model: ModelName, kinds: VariantKind[], custom: UploadedFiles | undefined, skipped: string[]): Promise<Map<VariantKind, ModelSource>> {
  const out = new Map<VariantKind, ModelSource>();
  let fetched: { artifacts: tf.io.ModelArtifacts; bytes: number };
  if (model === 'custom') {
    if (!custom?.length) throw new Error('choose your model.json and its weight files first');
    const u = await readUserModel(custom); // validates; throws a ModelUploadError with a clear message
    u.model.dispose();
    const specs = u.modelJson.weightsManifest.flatMap((g) => g.weights) as unknown as tf.io.WeightsManifestEntry[];
    fetched = { artifacts: { modelTopology: u.modelJson.modelTopology, weightSpecs: specs, weightData: u.weightData.slice().buffer }, bytes: custom.reduce((n, f) => n + f.bytes.length, 0) };
  } else {
    fetched = await fetchArtifacts(`${base}models/${model}/model.json`);
  }
  const baseSrc: ModelSource = { name: model, ...fetched };
  const weights = new Uint8Array(fetched.artifacts.weightData as ArrayBuffer);
  baseSrc.gzipBytes = (await gzipSize(weights)) + (await gzipSize(new TextEncoder().encode(JSON.stringify(fetched.artifacts.modelTopology))));
  if (kinds.includes('baseline')) out.set('baseline', baseSrc);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(fetched.artifacts));
  try {
    for (const kind of kinds) {
      if (kind === 'baseline') continue;
      try {
        let e: ExportedModel;
        if (kind === 'uint8' || kind === 'float16') {
          e = exportModel(loaded, kind);
        } else if (kind === 'sparse80') {
          const copy = await tf.loadLayersModel(tf.io.fromMemory(fetched.artifacts));
          pruneOnce(copy, 0.8);
          e = exportModel(copy, 'float32');
          copy.dispose();
        } else {
          const { model: small } = await structuredPrune(loaded, 0.5);
          e = exportModel(small, 'float32');
          small.dispose();
        }
        const src = sourceFrom(`${model} ${kind}`, e);
        src.gzipBytes = (await gzipSize(e.weightData)) + (await gzipSize(new TextEncoder().encode((src as { json: string }).json)));
        out.set(kind, src);
      } catch (err) {
        skipped.push(`${model} ${kind}: ${(err as Error).message}`);
      }
    }
  } finally {
    loaded.dispose();
  }
  return out;
}

scope.onmessage = async (ev: MessageEvent<Request>) => {
  const req = ev.data;
  try {
    if (req.type === 'detect') {
      const env = await captureEnvironment();
      post({ type: 'detected', env, backends: env.backends });
      return;
    }
    const id = specId(req.spec);
    post({ type: 'progress', fraction: 0, message: `starting ${specLabel(req.spec)}` });
    const started = await setupBackend(req.spec, { wasmPaths: req.wasm });
    const run: BackendRun = { id: started.id ?? id, label: specLabel(req.spec), started, results: [], tensorsBefore: tf.memory().numTensors, tensorsAfter: 0, at: new Date().toISOString() };
    if (!started.ok) {
      run.tensorsAfter = tf.memory().numTensors;
      post({ type: 'done', run });
      return;
    }
    const jobs: [ModelName, VariantKind][] = req.models.flatMap((m) => req.variants.map((v) => [m, v] as [ModelName, VariantKind]));
    let done = 0;
    for (const m of req.models) {
      post({ type: 'progress', fraction: done / jobs.length, message: `${m}: preparing variants` });
      run.skipped ??= [];
      let sources: Map<VariantKind, ModelSource>;
      try {
        sources = await makeVariants(req.base, m, req.variants, req.custom, run.skipped);
      } catch (err) {
        run.skipped.push(`${m}: ${(err as Error).message}`);
        done += req.variants.length;
        continue;
      }
      // All variants of this model are measured side by side (interleaved rounds), so drift cannot favour one.
      const kinds = req.variants.filter((v) => sources.has(v));
      const list = kinds.map((v) => sources.get(v)!);
      const rs = await benchmarkModels(list, {
        batchSize: req.options.batchSize,
        budgetMs: req.options.budgetMs,
        minRuns: req.options.minRuns,
        targetRelHalfWidth: 0.02,
        sweep: req.options.sweep,
        sweepFor: (name) => name === sources.get('baseline')?.name,
        sweepOptions: { budgetMs: Math.max(250, req.options.budgetMs / 3), minRuns: 10 },
        onProgress: (p) => post({ type: 'progress', fraction: (done + p.fraction * req.variants.length) / jobs.length, message: `${specLabel(req.spec)} · ${m}: ${p.detail}` }),
      });
      rs.forEach((r, i) => {
        const v = kinds[i];
        const src = list[i];
        const keep = r.steady.samples.length > 400 ? r.steady.samples.filter((_, j) => j % Math.ceil(r.steady.samples.length / 400) === 0) : r.steady.samples;
        run.results.push({
          backendId: run.id,
          model: m,
          variant: v,
          params: r.params,
          bytes: src.bytes,
          gzipBytes: src.gzipBytes ?? src.bytes,
          first: r.first,
          batchSize: r.steady.batchSize,
          summary: r.steady.summary,
          stopReason: r.steady.stopReason,
          samples: keep.map((x) => Math.round(x * 1e4) / 1e4),
          sweep: r.sweep,
          leaked: r.tensors.leaked,
        } satisfies VariantResult);
      });
      done += req.variants.length;
    }
    run.tensorsAfter = tf.memory().numTensors;
    post({ type: 'done', run });
  } catch (e) {
    post({ type: 'error', message: (e as Error)?.message ?? String(e) });
  }
};
