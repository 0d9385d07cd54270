/// <reference lib="webworker" />
/**
 * The quantize-and-prune lab's Web Worker: all tfjs work runs here, off the main thread, one job at a time, with
 * progress messages and cancellation. After every job it reports tf.memory().numTensors so the page can show that
 * nothing leaked.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../../labkit/ml/backend.ts';
import { loadMnist, imagesTensor, inputLayoutFor, type MnistSplit } from '../../../labkit/ml/data.ts';
import { evaluate, compare, type Evaluation } from '../../../labkit/ml/evaluate.ts';
import { exportModel, loadExported, readUserModel, planForLayers, type ExportedModel } from '../../../labkit/ml/artifacts.ts';
import { measureExport, cloneModel, int8PerChannelExperiment, fullIntegerExperiment } from '../../../labkit/ml/variants.ts';
import { constantSparsity, polynomialDecay, pruneAndFineTune, pruneOnce, kernelSparsity, structuredPrune, PRUNABLE } from '../../../labkit/ml/prune.ts';
import { train } from '../../../labkit/ml/train.ts';
import { gzipSize } from '../../../labkit/ml/sizes.ts';
import { runInterleaved } from '../../../labkit/bench/adaptive.ts';
import { predictOnce } from '../../../labkit/bench/harness.ts';
import type { Envelope, Histogram, ModelSummary, Reply, Request, Variant } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let base = '/';
let test: MnistSplit | null = null;
let trainSet: MnistSplit | null = null;
let model: tf.LayersModel | null = null;
let source = '';
let reference: Evaluation | null = null;
let counter = 0;
const artifacts = new Map<string, ExportedModel>();
const variants = new Map<string, Variant>();
const jobs = new Map<number, AbortController>();

function post(reply: Reply) {
  scope.postMessage(reply);
}

async function data(): Promise<{ test: MnistSplit; train: MnistSplit }> {
  const src = { url: `${base}data/mnist/` };
  test ??= await loadMnist(src, 'test');
  trainSet ??= await loadMnist(src, 'train');
  return { test, train: trainSet };
}

function need<T>(v: T | null, what: string): T {
  if (v === null) throw new Error(`${what} first`);
  return v;
}

function summary(m: tf.LayersModel, exported: ExportedModel, gz: number, accuracy: number): ModelSummary {
  return {
    source,
    params: m.countParams(),
    rawBytes: exported.weightData.length,
    gzipBytes: gz,
    accuracy,
    inputShape: m.inputs[0].shape,
    layers: m.layers.map((l) => {
      const k = l.weights.find((w) => w.originalName.endsWith('/kernel'));
      return { name: l.name, className: l.getClassName(), params: l.countParams(), kernelShape: k ? (k.shape as number[]) : null, prunable: PRUNABLE.has(l.getClassName()) && !!k };
    }),
  };
}

function addVariant(v: Omit<Variant, 'id' | 'source' | 'createdAt'>, exported?: ExportedModel): Variant {
  const id = `v${++counter}`;
  const full: Variant = { ...v, id, source, createdAt: new Date().toISOString() };
  variants.set(id, full);
  if (exported) artifacts.set(id, exported);
  return full;
}

async function setModel(m: tf.LayersModel, name: string, progress: (f: number, msg: string) => void, signal: AbortSignal) {
  const { test } = await data();
  progress(0.3, 'evaluating on the test split');
  const ev = await evaluate(m, test, signal);
  model?.dispose();
  model = m;
  source = name;
  reference = ev;
  artifacts.clear();
  variants.clear();
  const exported = exportModel(m, 'float32');
  const gz = await gzipSize(exported.weightData);
  const v = addVariant(
    { name: 'float32 baseline', kind: 'baseline', rawBytes: exported.weightData.length, gzipBytes: gz, accuracy: ev.accuracy, accuracyDropPp: 0, agreement: 1, maxLogitDiff: 0, params: m.countParams(), exportable: true, recipe: {} },
    exported,
  );
  return { summary: summary(m, exported, gz, ev.accuracy), variant: v };
}

/** The end step rounded to a multiple of the frequency, so the last mask update happens at the final sparsity. */
function endOnFrequency(end: number, frequency: number): number {
  return Math.max(frequency, Math.round(end / frequency) * frequency);
}

/**
 * Median milliseconds per batch of 100 test images for each model, timed with the speed lab's harness: warm-up,
 * then runs interleaved round by round until each median's interval is narrow or the budget is spent.
 */
async function msPerBatch(models: tf.LayersModel[], split: MnistSplit, signal: AbortSignal): Promise<number[]> {
  const inputs = models.map((m) => imagesTensor(split, inputLayoutFor(m.inputs[0].shape), 0, 100));
  try {
    const results = await runInterleaved(
      models.map((m, i) => () => predictOnce(m, inputs[i])),
      { warmup: 3, minRuns: 15, targetRelHalfWidth: 0.03, budgetMs: 1500, batchSize: 100, signal },
    );
    return results.map((r) => r.summary.median);
  } finally {
    for (const x of inputs) x.dispose();
  }
}

async function handle(req: Request, progress: (f: number, msg: string) => void, signal: AbortSignal): Promise<unknown> {
  switch (req.type) {
    case 'init': {
      base = req.base;
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(req.wasm);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      const name = await initBackend(req.backend as BackendName);
      await data();
      return { backend: name, tfjs: tf.version.tfjs, simd: name === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : null };
    }
    case 'load-baseline': {
      progress(0.05, `loading the ${req.name} baseline`);
      const files = await Promise.all(
        ['model.json', 'weights.bin'].map(async (f) => {
          const res = await fetch(`${base}models/${req.name}/${f}`, { signal });
          if (!res.ok) throw new Error(`could not fetch models/${req.name}/${f}: HTTP ${res.status}`);
          return { name: f, bytes: new Uint8Array(await res.arrayBuffer()) };
        }),
      );
      const { model: m } = await readUserModel(files);
      return setModel(m, `${req.name} baseline`, progress, signal);
    }
    case 'load-upload': {
      progress(0.05, 'checking your files');
      const { model: m } = await readUserModel(req.files);
      return setModel(m, `your model (${req.files.find((f) => f.name.endsWith('.json'))?.name ?? 'model.json'})`, progress, signal);
    }
    case 'quantize': {
      const m = need(model, 'load a model');
      const { test } = await data();
      progress(0.2, `quantizing to ${req.dtype} and loading the artifacts back`);
      const plan = req.layers ? planForLayers(Object.fromEntries(req.layers.map((l) => [l, req.dtype]))) : req.dtype;
      const label = req.layers ? `${req.dtype} (${req.layers.join(', ')})` : req.dtype;
      const { result, exported } = await measureExport(label, 'quantized', m, plan, test, need(reference, 'load a model'), signal);
      return addVariant({ ...result, recipe: { dtype: req.dtype, layers: req.layers ?? 'all' } }, exported);
    }
    case 'experiment': {
      const m = need(model, 'load a model');
      const { test, train: trainData } = await data();
      progress(0.2, req.kind === 'int8' ? 'int8 per-channel weights' : 'calibrating activations and simulating integer inference');
      const r =
        req.kind === 'int8'
          ? await int8PerChannelExperiment(m, test, need(reference, 'load a model'), signal)
          : await fullIntegerExperiment(m, { images: trainData.images.subarray(0, 500 * 784), labels: trainData.labels.subarray(0, 500), count: 500 }, test, need(reference, 'load a model'), signal);
      return addVariant({ ...r, recipe: { experiment: req.kind } });
    }
    case 'prune': {
      const m = need(model, 'load a model');
      const { test, train: trainData } = await data();
      const o = req.options;
      const subset: MnistSplit = { images: trainData.images.subarray(0, o.trainImages * 784), labels: trainData.labels.subarray(0, o.trainImages), count: Math.min(o.trainImages, trainData.count) };
      const batchSize = 64;
      const steps = Math.ceil(subset.count / batchSize) * o.epochs;
      const schedule =
        o.schedule === 'constant'
          ? constantSparsity({ targetSparsity: o.target, beginStep: 0, frequency: o.frequency })
          : polynomialDecay({ initialSparsity: Math.min(o.initialSparsity, o.target), finalSparsity: o.target, beginStep: 0, endStep: endOnFrequency(steps * o.endFraction, o.frequency), power: o.power, frequency: o.frequency });
      const copy = await cloneModel(m);
      try {
        await pruneAndFineTune(copy, subset, {
          schedule,
          scope: o.scope,
          epochs: o.epochs,
          batchSize,
          learningRate: 1e-3,
          seed: 7,
          signal,
          onProgress: ({ step, totalSteps, loss }) => {
            if (step % 5 === 0 || step === totalSteps) progress((0.9 * step) / totalSteps, `fine-tuning with the mask held: step ${step}/${totalSteps}, loss ${loss.toFixed(3)}`);
          },
        });
        const perLayer = kernelSparsity(copy);
        const zeros = perLayer.reduce((n, l) => n + l.zeros, 0);
        const size = perLayer.reduce((n, l) => n + l.size, 0);
        const label = `pruned ${Math.round(o.target * 100)}% ${o.scope} (${o.epochs} epoch${o.epochs === 1 ? '' : 's'})`;
        progress(0.92, 'exporting and evaluating');
        const { result, exported } = await measureExport(label, 'pruned', copy, 'float32', test, need(reference, 'load a model'), signal);
        const pruned = addVariant({ ...result, recipe: { ...o }, sparsity: zeros / size, perLayer }, exported);
        const out: Variant[] = [pruned];
        if (o.quantizeAfter) {
          const q = await measureExport(`${label} + uint8`, 'pruned+quantized', copy, 'uint8', test, need(reference, 'load a model'), signal);
          out.push(addVariant({ ...q.result, recipe: { ...o, dtype: 'uint8' }, sparsity: zeros / size, perLayer }, q.exported));
        }
        return out;
      } finally {
        copy.dispose();
      }
    }
    case 'quantize-variant': {
      const { test } = await data();
      const from = variants.get(req.variant);
      const a = artifacts.get(req.variant);
      if (!from || !a) throw new Error('that variant cannot be re-exported (it was made before a reload, or is an experiment)');
      const m = await loadExported(a);
      try {
        const { result, exported } = await measureExport(`${from.name} + ${req.dtype}`, 'pruned+quantized', m, req.dtype, test, need(reference, 'load a model'), signal);
        return addVariant({ ...result, recipe: { ...from.recipe, dtype: req.dtype }, sparsity: from.sparsity, perLayer: from.perLayer }, exported);
      } finally {
        m.dispose();
      }
    }
    case 'structured': {
      const m = need(model, 'load a model');
      const { test, train: trainData } = await data();
      const subset: MnistSplit = { images: trainData.images.subarray(0, req.trainImages * 784), labels: trainData.labels.subarray(0, req.trainImages), count: Math.min(req.trainImages, trainData.count) };
      const { model: small, layers } = await structuredPrune(m, req.fraction);
      try {
        if (req.epochs > 0) {
          await train(small, subset, {
            epochs: req.epochs,
            batchSize: 64,
            learningRate: 1e-3,
            seed: 7,
            signal,
            onProgress: ({ step, totalSteps }) => {
              if (step % 5 === 0) progress((0.8 * step) / totalSteps, `fine-tuning the smaller model: step ${step}/${totalSteps}`);
            },
          });
        }
        progress(0.85, 'timing inference on batches of 100 images, the smaller model and the baseline interleaved');
        const [msSmall, msBase] = await msPerBatch([small, m], test, signal);
        const label = `structured −${Math.round(req.fraction * 100)}% units/filters`;
        const { result, exported } = await measureExport(label, 'structured', small, 'float32', test, need(reference, 'load a model'), signal);
        const baseline = [...variants.values()].find((v) => v.kind === 'baseline');
        if (baseline) baseline.msPerBatch = msBase;
        return addVariant({ ...result, recipe: { fraction: req.fraction, epochs: req.epochs, layers }, msPerBatch: msSmall, note: `${layers.map((l) => `${l.layer} ${l.before}→${l.after}`).join(', ')}; baseline ${msBase.toFixed(2)} ms vs ${msSmall.toFixed(2)} ms per 100 images on ${tf.getBackend()}` }, exported);
      } finally {
        small.dispose();
      }
    }
    case 'sweep': {
      const m = need(model, 'load a model');
      const { test } = await data();
      const ref = need(reference, 'load a model');
      const points: { sparsity: number; accuracy: number; perLayer: ReturnType<typeof kernelSparsity> }[] = [];
      for (const [i, s] of req.sparsities.entries()) {
        if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
        progress(i / req.sparsities.length, `one-shot pruning to ${Math.round(s * 100)}% (no fine-tuning)`);
        const copy = await cloneModel(m);
        try {
          pruneOnce(copy, s, { scope: req.scope });
          const ev = await evaluate(copy, test, signal);
          points.push({ sparsity: s, accuracy: ev.accuracy, perLayer: kernelSparsity(copy) });
        } finally {
          copy.dispose();
        }
      }
      return { points, reference: ref.accuracy, scope: req.scope };
    }
    case 'histogram': {
      const m = need(model, 'load a model');
      const layer = m.getLayer(req.layer);
      const kernel = layer.weights.find((w) => w.originalName.endsWith('/kernel')) ?? layer.weights[0];
      if (!kernel) throw new Error(`layer ${req.layer} has no weights`);
      const before = kernel.read().dataSync() as Float32Array;
      const v = variants.get(req.variant);
      const dtype = String(v?.recipe.dtype ?? 'float32');
      const a = artifacts.get(req.variant);
      let after: Float32Array = before;
      let grid: number[] | null = null;
      let gridNote = 'float32: no visible grid';
      if (a) {
        const loaded = await loadExported(a);
        try {
          const w = loaded.getLayer(req.layer).weights.find((x) => x.originalName === kernel.originalName);
          after = Float32Array.from(w!.read().dataSync() as Float32Array);
        } finally {
          loaded.dispose();
        }
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of before) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      const spec = a?.specs.find((s) => s.name === kernel.originalName);
      if (spec?.quantization && spec.quantization.dtype !== 'float16') {
        const { scale, min } = spec.quantization;
        const first = Math.ceil((lo - min) / scale - 1e-9);
        const last = Math.floor((hi - min) / scale + 1e-9);
        const count = last - first + 1;
        gridNote = `${spec.quantization.dtype}: scale ${scale.toPrecision(4)}, min ${min.toPrecision(4)}; ${count} representable values in this range`;
        if (count <= 300) grid = Array.from({ length: count }, (_, i) => min + (first + i) * scale);
      } else if (spec?.quantization?.dtype === 'float16') {
        gridNote = 'float16: 11 significant bits, so its grid is far finer than these bins (spacing ≈ |w| / 1024)';
      } else if (dtype === 'float32') {
        gridNote = 'float32: no visible grid';
      }
      const bins = req.bins;
      const width = (hi - lo) / bins || 1;
      const count = (arr: Float32Array) => {
        const h = new Array(bins).fill(0);
        for (const x of arr) h[Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)))]++;
        return h;
      };
      const hist: Histogram = { layer: req.layer, weight: kernel.originalName, min: lo, max: hi, before: count(before), after: count(after), grid, gridNote, dtype: spec?.quantization?.dtype ?? 'float32' };
      return hist;
    }
    case 'export': {
      const a = artifacts.get(req.variant);
      if (!a) throw new Error('this variant has no artifacts here (experiments cannot be exported; variants from before a reload must be made again)');
      return { modelJson: JSON.stringify(a.modelJson), weightData: a.weightData, weightsFile: a.weightsFile };
    }
    case 'verify': {
      const a = artifacts.get(req.variant);
      const v = variants.get(req.variant);
      if (!a || !v) throw new Error('this variant has no artifacts here');
      const { test } = await data();
      // The stock path: tf.loadLayersModel over tf.io.fromMemory with the exact JSON text and bytes of the download.
      const json = JSON.parse(JSON.stringify(a.modelJson));
      const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: a.weightData.slice().buffer }));
      try {
        const ev = await evaluate(loaded, test, signal);
        const c = compare(need(reference, 'load a model'), ev);
        return { variant: v.id, accuracy: ev.accuracy, expected: v.accuracy, same: ev.accuracy === v.accuracy, agreement: c.agreement, maxLogitDiff: c.maxLogitDiff };
      } finally {
        loaded.dispose();
      }
    }
    case 'memory':
      return tf.memory();
  }
}

scope.onmessage = async (e: MessageEvent<Envelope>) => {
  const msg = e.data;
  if ('cancel' in msg) {
    jobs.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  jobs.set(msg.id, controller);
  try {
    const result = await handle(msg.request, (fraction, message) => post({ id: msg.id, kind: 'progress', fraction, message }), controller.signal);
    post({ id: msg.id, kind: 'done', result, numTensors: tf.memory().numTensors });
  } catch (err) {
    const cancelled = controller.signal.aborted || (err as Error)?.name === 'AbortError';
    post({ id: msg.id, kind: 'error', message: cancelled ? 'cancelled' : (err as Error)?.message ?? String(err), cancelled, numTensors: safeCount() });
  } finally {
    jobs.delete(msg.id);
  }
};

function safeCount(): number {
  try {
    return tf.memory().numTensors;
  } catch {
    return -1;
  }
}
