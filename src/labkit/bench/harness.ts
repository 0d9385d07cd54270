/**
 * The benchmark harness: measures tfjs LayersModels on the current backend.
 *
 * Phases, each timed separately:
 *   1. load          tf.loadLayersModel from in-memory artifacts (parse model.json, decode/dequantize weights,
 *                    create the weight tensors).
 *   2. warm-up       the first predict() on the new backend, awaited with data(): shader compilation (webgl/webgpu),
 *                    weight upload to the GPU, and first-call allocations. This is the "first inference".
 *   3. first prediction  the next predict() on a real input: what a user waits for after the warm-up.
 *   4. steady state  warm-up runs, then timed runs under the adaptive stopping rule (adaptive.ts), each awaiting
 *                    `data()` so the time includes the GPU work and the read-back, not just queueing it.
 *   5. batch sweep   the same at batch sizes 1…256 (smaller budget per size): latency and throughput curves.
 * Phases 1–3 (`loadAndFirstInference`) mean something only on a fresh backend: a second model loaded into the same
 * backend finds its shaders compiled and its caches warm. Phases 4–5 (`benchmarkModels`) time several models at once
 * with their steady-state runs interleaved (one run of each per round, rotating order), which is how variants should
 * be compared: drift then affects all of them alike. Time to first prediction (networks.ts) adds a simulated download.
 *
 * Tensors: tf.memory().numTensors is checked against its value before the models were loaded; every tensor the
 * harness makes (inputs, outputs, the models' weights) is disposed, and a leak is reported (not thrown).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAPTIVE_DEFAULTS, DEFAULT_SWEEP, SWEEP_DEFAULTS, runAdaptive, runInterleaved, defaultClock, CancelledError, type AdaptiveOptions, type AdaptiveResult, type Clock } from './adaptive.ts';
import { summarize, type OrderStatistics, type Summary } from '../stats/samples.ts';

export interface ModelSource {
  name: string;
  artifacts: tf.io.ModelArtifacts;
  /** Bytes a browser downloads for this model (model.json + weight files), uncompressed. */
  bytes: number;
  /** The same, gzip-compressed, when known (static hosts usually compress model.json; weights often not). */
  gzipBytes?: number;
}

export interface FirstInference {
  loadMs: number;
  /** First predict(): shader compilation, weight upload, first allocations. */
  warmupMs: number;
  /** Second predict() on a real input. */
  firstPredictionMs: number;
}

export interface SweepPoint {
  batchSize: number;
  summary: Summary;
  stopReason: AdaptiveResult['stopReason'];
}

export interface ModelBenchmark {
  model: string;
  backend: string;
  params: number;
  inputShape: number[];
  steady: { batchSize: number; summary: Summary; samples: number[]; warmupSamples: number[]; stopReason: AdaptiveResult['stopReason']; elapsedMs: number };
  sweep: SweepPoint[];
  tensors: { baseline: number; after: number; leaked: number };
}

export interface BenchmarkOptions extends Omit<AdaptiveOptions, 'batchSize' | 'onRun'> {
  /** Batch size of the steady-state measurement (default 1). */
  batchSize?: number;
  /** Batch sizes to sweep; [] for none (default 1, 2, 4, …, 256). */
  sweep?: number[];
  /** Adaptive options for each sweep point (defaults: SWEEP_DEFAULTS). */
  sweepOptions?: Omit<AdaptiveOptions, 'batchSize' | 'clock' | 'signal' | 'onRun'>;
  /** The quantile and median-interval functions of the reported summaries (default: the reference, order.mjs). */
  order?: OrderStatistics;
  onProgress?: (p: { phase: 'load' | 'first' | 'steady' | 'sweep'; detail: string; fraction: number }) => void;
}


/** The model's input shape without the batch axis; every dimension must be known. */
export function sampleShape(model: tf.LayersModel): number[] {
  const shape = model.inputs[0].shape.slice(1);
  if (shape.some((d) => d == null)) throw new Error(`the model's input shape ${JSON.stringify(model.inputs[0].shape)} has unknown dimensions`);
  return shape as number[];
}

/** A deterministic input batch in [0, 1) (values do not change dense/conv timings, but NaN-free data is polite). */
export function makeInput(shape: number[], batchSize: number, seed = 1): tf.Tensor {
  const n = batchSize * shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    v[i] = (s >>> 0) / 4294967296;
  }
  return tf.tensor(v, [batchSize, ...shape]);
}

export async function predictOnce(model: tf.LayersModel, x: tf.Tensor): Promise<void> {
  const y = model.predict(x) as tf.Tensor | tf.Tensor[];
  const ys = Array.isArray(y) ? y : [y];
  try {
    for (const t of ys) await t.data();
  } finally {
    for (const t of ys) t.dispose();
  }
}

function check(signal?: AbortSignal) {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Loads the model and times load, warm-up (first inference) and first prediction. Meaningful on a fresh backend only
 * (see the file comment). The caller disposes the model.
 */
export async function loadAndFirstInference(source: ModelSource, clock: Clock = defaultClock): Promise<{ model: tf.LayersModel; first: FirstInference }> {
  const t0 = clock();
  const model = await tf.loadLayersModel(tf.io.fromMemory(source.artifacts));
  const loadMs = clock() - t0;
  const shape = sampleShape(model);
  const warm = tf.zeros([1, ...shape]);
  const real = makeInput(shape, 1, 7);
  try {
    const t1 = clock();
    await predictOnce(model, warm);
    const warmupMs = clock() - t1;
    const t2 = clock();
    await predictOnce(model, real);
    const firstPredictionMs = clock() - t2;
    return { model, first: { loadMs, warmupMs, firstPredictionMs } };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    warm.dispose();
    real.dispose();
  }
}

/**
 * Benchmarks several models (e.g. a baseline and its variants) on the current backend (call setupBackend first) with
 * their steady-state runs interleaved (runInterleaved), so they are compared under the same conditions: a drift then
 * affects them alike. Each model is loaded untimed: its first inference belongs on a fresh backend
 * (`loadAndFirstInference` in a fresh worker), since the models loaded here share compiled shaders and caches.
 * Sweeps, when asked for (`sweepFor`), run afterwards per model, each batch size on its own.
 */
export async function benchmarkModels(sources: ModelSource[], opts: BenchmarkOptions & { sweepFor?: (name: string) => boolean } = {}): Promise<ModelBenchmark[]> {
  const clock = opts.clock ?? defaultClock;
  const baseline = tf.memory().numTensors;
  const batchSize = opts.batchSize ?? 1;
  const progress = opts.onProgress ?? (() => {});
  const minRuns = opts.minRuns ?? ADAPTIVE_DEFAULTS.minRuns;
  const summary = (samples: number[], batch: number) => summarize(samples, batch, 0.95, opts.order);
  const loaded: { source: ModelSource; model: tf.LayersModel; x: tf.Tensor; shape: number[] }[] = [];
  try {
    for (const source of sources) {
      check(opts.signal);
      progress({ phase: 'load', detail: `loading ${source.name}`, fraction: 0 });
      const model = await tf.loadLayersModel(tf.io.fromMemory(source.artifacts));
      let shape: number[];
      try {
        shape = sampleShape(model);
      } catch (error) {
        model.dispose();
        throw error;
      }
      loaded.push({ source, model, shape, x: makeInput(shape, batchSize) });
    }
    progress({ phase: 'steady', detail: `${loaded.length} models interleaved`, fraction: 0.05 });
    const steady = await runInterleaved(
      loaded.map((l) => () => predictOnce(l.model, l.x)),
      {
        ...opts,
        batchSize,
        minRuns,
        onRun: (done) => progress({ phase: 'steady', detail: `${done} timed rounds of ${loaded.length} models at batch ${batchSize}`, fraction: 0.05 + 0.45 * Math.min(1, done / minRuns) }),
      },
    );
    if (steady.some((r) => r.stopReason === 'cancelled')) throw new CancelledError();
    const out: ModelBenchmark[] = [];
    for (const [i, l] of loaded.entries()) {
      const points: SweepPoint[] = [];
      const sweep = opts.sweepFor && !opts.sweepFor(l.source.name) ? [] : (opts.sweep ?? DEFAULT_SWEEP);
      const so = { ...SWEEP_DEFAULTS, ...opts.sweepOptions };
      for (const [j, b] of sweep.entries()) {
        check(opts.signal);
        progress({ phase: 'sweep', detail: `${l.source.name}: batch ${b}`, fraction: 0.5 + (0.5 * j) / sweep.length });
        const xb = makeInput(l.shape, b);
        try {
          const r = await runAdaptive(() => predictOnce(l.model, xb), { ...so, batchSize: b, clock, signal: opts.signal });
          if (r.stopReason === 'cancelled') throw new CancelledError();
          points.push({ batchSize: b, summary: summary(r.samples, b), stopReason: r.stopReason });
        } finally {
          xb.dispose();
        }
      }
      const s = steady[i]!;
      out.push({
        model: l.source.name,
        backend: tf.getBackend(),
        params: l.model.countParams(),
        inputShape: l.shape,
        steady: { batchSize, summary: summary(s.samples, batchSize), samples: s.samples, warmupSamples: s.warmupSamples, stopReason: s.stopReason, elapsedMs: s.elapsedMs },
        sweep: points,
        tensors: { baseline, after: NaN, leaked: 0 },
      });
    }
    for (const l of loaded.splice(0)) {
      l.x.dispose();
      l.model.dispose();
    }
    const after = tf.memory().numTensors;
    for (const r of out) r.tensors = { baseline, after, leaked: after - baseline };
    progress({ phase: 'sweep', detail: 'done', fraction: 1 });
    return out;
  } finally {
    for (const l of loaded) {
      if (!l.x.isDisposed) l.x.dispose();
      try {
        l.model.dispose();
      } catch {
        /* already disposed */
      }
    }
  }
}

// --- helpers for callers ----------------------------------------------------------------------------------------

/** In-memory artifacts of a model, and their byte size (model.json text + weight bytes). */
export async function artifactsOf(model: tf.LayersModel): Promise<{ artifacts: tf.io.ModelArtifacts; bytes: number }> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved as unknown as tf.io.ModelArtifacts;
  const weightBytes = a.weightData ? (Array.isArray(a.weightData) ? a.weightData.reduce((s, b) => s + b.byteLength, 0) : (a.weightData as ArrayBuffer).byteLength) : 0;
  const jsonBytes = new TextEncoder().encode(JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] })).length;
  return { artifacts: a, bytes: weightBytes + jsonBytes };
}

/** Fetches model.json and its weight files (browser or any fetch), returning in-memory artifacts and byte sizes. */
export async function fetchArtifacts(modelUrl: string, init?: RequestInit): Promise<{ artifacts: tf.io.ModelArtifacts; bytes: number }> {
  const res = await fetch(modelUrl, init);
  if (!res.ok) throw new Error(`${modelUrl}: HTTP ${res.status}`);
  const text = await res.text();
  const json = JSON.parse(text) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; format?: string; generatedBy?: string; convertedBy?: string };
  const base = new URL('.', new URL(modelUrl, (globalThis as { location?: { href: string } }).location?.href ?? 'http://localhost/'));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  let bytes = new TextEncoder().encode(text).length;
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const r = await fetch(new URL(p, base).href, init);
      if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
      const b = new Uint8Array(await r.arrayBuffer());
      buffers.push(b);
      bytes += b.length;
    }
  }
  const total = buffers.reduce((s, b) => s + b.length, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) {
    weightData.set(b, o);
    o += b.length;
  }
  return { artifacts: { modelTopology: json.modelTopology, weightSpecs: specs, weightData: weightData.buffer, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy }, bytes };
}
