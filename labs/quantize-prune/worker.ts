/// <reference lib="webworker" />
/**
 * The quantize-and-prune lab's Web Worker: all tfjs work, one job at a time, through the shared worker protocol.
 * It holds the model being worked on; the page holds the results (lab.ts) and the exported files. Every variant is
 * exported as real tfjs artifacts and loaded back with the stock loader before it is scored on the test images.
 */
import * as tf from '@tensorflow/tfjs';
import { serveWorker, throwIfCancelled, transfer, type JobContext, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { firstOf, mnist, siteUrl, startTfjs, type TfjsSetup } from '../../src/labkit/ml/worker-env.ts';
import { evaluate, type Evaluation } from '../../src/labkit/ml/evaluate.ts';
import { exportModel, loadExported, planForLayers, readUserModel, type DtypePlan, type ExportedModel, type UploadedFile } from '../../src/labkit/ml/artifacts.ts';
import { cloneModel, fullIntegerExperiment, int8PerChannelExperiment } from '../../src/labkit/ml/variants.ts';
import { constantSparsity, kernelSparsity, polynomialDecay, pruneAndFineTune, pruneOnce, structuredPrune, PRUNABLE } from '../../src/labkit/ml/prune.ts';
import { train } from '../../src/labkit/ml/train.ts';
import { gzipSize } from '../../src/labkit/ml/sizes.ts';
import { imagesTensor, inputLayoutFor, type MnistSplit } from '../../src/labkit/ml/data.ts';
import { runInterleaved } from '../../src/labkit/bench/adaptive.ts';
import { predictOnce } from '../../src/labkit/bench/harness.ts';
import { binCounts } from '../../src/labkit/charts/distribution.ts';
import { packOutcomes } from '../../src/labkit/stats/outcomes.ts';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import type { AffineQuantizer } from '../../src/labkit/ml/quantize.ts';
import type { MaskFunction } from '../../src/labkit/ml/prune.ts';
import { checkPrune, checkStructured, controlName, prunedName, type PruneOptions, type StructuredOptions, type Variant } from './lab.ts';
import type { Histogram, LoadedModel, ModelSource, NewVariants } from './protocol.ts';

const BATCH = 64;
const LEARNING_RATE = 1e-3;
const SEED = 7;

let backendName = 'wasm';
/** The student's own functions from the coding track, when they chose to use them (all their tests passed). */
let student: { quantizeAffine?: AffineQuantizer; magnitudeMask?: MaskFunction } = {};
const usedFor = (plan: DtypePlan | 'prune'): string[] | undefined => {
  const quantizes = plan !== 'prune' && plan !== 'float32' && plan !== 'float16';
  const names = [quantizes && student.quantizeAffine ? 'quantizeAffine' : '', plan === 'prune' && student.magnitudeMask ? 'magnitudeMask' : ''].filter(Boolean);
  return names.length ? names : undefined;
};
let current: { key: string; model: tf.LayersModel; reference: Evaluation } | null = null;

function need() {
  if (!current) throw new Error('load a model first');
  return current;
}

const newId = (model: string) => `${model.replace(/^upload:/, 'upload-').replace(/[^a-z0-9-]+/gi, '-').slice(0, 40)}-${Math.random().toString(36).slice(2, 8)}`;

function firstError(errors: Record<string, string | undefined>): void {
  const message = Object.values(errors).find(Boolean);
  if (message) throw new RangeError(message);
}

/** Scores exported artifacts loaded back with the stock loader, against the current model's baseline. */
async function score(exported: ExportedModel, signal: AbortSignal) {
  const loaded = await loadExported(exported);
  try {
    const test = await mnist('test');
    const ev = await evaluate(loaded, test, signal);
    const { reference } = need();
    let same = 0;
    let maxDiff = 0;
    for (let i = 0; i < ev.predictions.length; i++) if (ev.predictions[i] === reference.predictions[i]) same++;
    for (let i = 0; i < ev.logits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ev.logits[i]! - reference.logits[i]!));
    return {
      params: loaded.countParams(),
      correct: packOutcomes(ev.predictions.map((p, i) => (p === test.labels[i] ? 1 : 0))),
      agreement: same / ev.predictions.length,
      maxLogitDiff: maxDiff,
    };
  } finally {
    loaded.dispose();
  }
}

interface Made {
  variant: Variant;
  exported?: ExportedModel;
}

async function makeVariant(model: tf.LayersModel, plan: DtypePlan, fields: Pick<Variant, 'name' | 'kind' | 'recipe'> & Partial<Variant>, signal: AbortSignal): Promise<Made> {
  const exported = exportModel(model, plan, { quantizer: student.quantizeAffine });
  const studentCode = [...new Set([...(fields.studentCode ?? []), ...(usedFor(plan) ?? [])])];
  const scored = await score(exported, signal);
  const { key } = need();
  const variant: Variant = {
    id: newId(key),
    model: key,
    rawBytes: exported.weightData.length,
    gzipBytes: gzipSize(exported.weightData),
    exportable: true,
    backend: backendName,
    createdAt: new Date().toISOString(),
    ...scored,
    ...fields,
    ...(studentCode.length ? { studentCode } : {}),
  };
  return { variant, exported };
}

/** The reply: variants for the page's state, their exported files as transferred buffers, and anything `extra`. */
function reply<E extends object>(made: Made[], extra?: E): NewVariants & E {
  const files = made.filter((m) => m.exported).map((m) => ({ id: m.variant.id, json: JSON.stringify(m.exported!.modelJson), weights: m.exported!.weightData }));
  return transfer({ ...(extra as E), variants: made.map((m) => m.variant), files }, files.map((f) => f.weights.buffer as ArrayBuffer));
}

async function sourceFiles(source: ModelSource, signal: AbortSignal): Promise<UploadedFile[]> {
  if (source.kind === 'upload') return source.files;
  return Promise.all(
    ['model.json', 'weights.bin'].map(async (f) => {
      const res = await fetch(siteUrl(`models/${source.name}/${f}`), { signal });
      if (!res.ok) throw new Error(`could not fetch models/${source.name}/${f}: HTTP ${res.status}`);
      return { name: f, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
}

const keyOf = (source: ModelSource) => (source.kind === 'upload' ? `upload:${source.label}` : source.name);

async function load(source: ModelSource, { progress, signal }: JobContext): Promise<LoadedModel & NewVariants> {
  progress(0.05, source.kind === 'upload' ? 'checking your files' : `loading the ${source.name} baseline`);
  const { model } = await readUserModel(await sourceFiles(source, signal));
  try {
    progress(0.3, 'scoring it on the 5,000 test images');
    const test = await mnist('test');
    const reference = await evaluate(model, test, signal);
    current?.model.dispose();
    current = { key: keyOf(source), model, reference };
  } catch (error) {
    model.dispose();
    throw error;
  }
  const baseline = await makeVariant(model, 'float32', { name: 'float32 baseline', kind: 'baseline', recipe: {} }, signal);
  return reply([baseline], {
    summary: {
      key: current.key,
      params: model.countParams(),
      layers: model.layers.map((l) => {
        const k = l.weights.find((w) => w.originalName.endsWith('/kernel'));
        return { name: l.name, className: l.getClassName(), params: l.countParams(), kernel: k ? k.originalName : null, prunable: PRUNABLE.has(l.getClassName()) && !!k };
      }),
    },
  });
}

/** Fine-tunes `model` in place (with the mask held when `prune` is given), reporting progress in [from, to). */
async function fineTune(model: tf.LayersModel, data: MnistSplit, epochs: number, ctx: JobContext, from: number, to: number, what: string, prune?: PruneOptions) {
  const steps = Math.ceil(data.count / BATCH) * epochs;
  const onProgress = ({ step, totalSteps, loss }: { step: number; totalSteps: number; loss: number }) => {
    if (step % 5 === 0 || step === totalSteps) ctx.progress(from + ((to - from) * step) / totalSteps, `${what}: step ${step}/${totalSteps}, loss ${loss.toFixed(3)}`);
  };
  const common = { epochs, batchSize: BATCH, learningRate: LEARNING_RATE, seed: SEED, signal: ctx.signal, onProgress };
  if (!prune) {
    await train(model, data, common);
    return;
  }
  const end = Math.max(prune.frequency, Math.round((steps * prune.endFraction) / prune.frequency) * prune.frequency);
  const schedule =
    prune.schedule === 'constant'
      ? constantSparsity({ targetSparsity: prune.target, beginStep: 0, frequency: prune.frequency })
      : polynomialDecay({ initialSparsity: prune.initialSparsity, finalSparsity: prune.target, beginStep: 0, endStep: end, power: prune.power, frequency: prune.frequency });
  await pruneAndFineTune(model, data, { ...common, schedule, scope: prune.scope, mask: student.magnitudeMask });
}

/** Median ms per batch of 100 test images, the models' runs interleaved round by round. */
async function timeInterleaved(models: tf.LayersModel[], signal: AbortSignal) {
  const test = await mnist('test');
  const inputs = models.map((m) => imagesTensor(test, inputLayoutFor(m.inputs[0].shape), 0, 100));
  try {
    const results = await runInterleaved(
      models.map((m, i) => () => predictOnce(m, inputs[i]!)),
      { warmup: 3, minRuns: 20, targetRelHalfWidth: 0.03, budgetMs: 2500, batchSize: 100, signal },
    );
    return results.map((r) => ({ backend: backendName, threads: 1, batch: 100, runs: r.summary.n, median: r.summary.median, lower: r.summary.ci.lower, upper: r.summary.ci.upper }));
  } finally {
    for (const x of inputs) x.dispose();
  }
}

const api = {
  async init(setup: TfjsSetup) {
    const info = await startTfjs(setup);
    backendName = info.backend;
    return info;
  },

  load: (source: ModelSource, ctx: JobContext) => load(source, ctx),

  /** Uses the student's own functions from the coding track (or the reference again, for those not given). */
  async code(p: { quantizeAffine?: string; magnitudeMask?: string }) {
    const next: typeof student = {};
    if (p.quantizeAffine) next.quantizeAffine = (await importSource(p.quantizeAffine)).quantizeAffine as AffineQuantizer;
    if (p.magnitudeMask) next.magnitudeMask = (await importSource(p.magnitudeMask)).magnitudeMask as MaskFunction;
    student = next;
    return Object.keys(next);
  },

  async quantize(p: { dtype: 'uint8' | 'uint16' | 'float16'; layers: string[] | null }, { progress, signal }: JobContext) {
    const { model } = need();
    progress(0.2, `writing ${p.dtype} weights and loading them back with tf.loadLayersModel`);
    const plan = p.layers ? planForLayers(Object.fromEntries(p.layers.map((l) => [l, p.dtype]))) : p.dtype;
    const name = p.layers ? `${p.dtype} weights in ${p.layers.join(', ')}` : `${p.dtype} weights`;
    return reply([await makeVariant(model, plan, { name, kind: 'quantized', recipe: { dtype: p.dtype, layers: p.layers ?? 'all' } }, signal)]);
  },

  async experiment(p: { kind: 'int8' | 'full-integer' }, { progress, signal }: JobContext) {
    const { model, reference, key } = need();
    const test = await mnist('test');
    progress(0.2, p.kind === 'int8' ? 'int8 per-channel weights' : 'calibrating activations on 500 training images and simulating integer inference');
    const r =
      p.kind === 'int8'
        ? await int8PerChannelExperiment(model, test, reference, signal)
        : await fullIntegerExperiment(model, firstOf(await mnist('train'), 500), test, reference, signal);
    const variant: Variant = {
      id: newId(key),
      model: key,
      name: r.name,
      kind: 'experiment',
      recipe: { experiment: p.kind },
      params: r.params,
      rawBytes: null,
      gzipBytes: null,
      correct: packOutcomes(r.predictions.map((x, i) => (x === test.labels[i] ? 1 : 0))),
      agreement: r.agreement,
      maxLogitDiff: r.maxLogitDiff,
      exportable: false,
      backend: backendName,
      note: r.note,
      createdAt: new Date().toISOString(),
    };
    return reply([{ variant }]);
  },

  /** Prunes a copy with fine-tuning, and fine-tunes the control (no pruning) unless the page already has it. */
  async prune(p: { options: PruneOptions; control: string | null }, ctx: JobContext) {
    firstError(checkPrune(p.options) as Record<string, string | undefined>);
    const { model } = need();
    const o = p.options;
    const data = firstOf(await mnist('train'), o.trainImages);
    const made: Made[] = [];
    let control = p.control;
    const share = control ? 0 : 0.45;
    if (!control) {
      const copy = await cloneModel(model);
      try {
        await fineTune(copy, data, o.epochs, ctx, 0, share, 'the control: fine-tuning without pruning');
        const m = await makeVariant(copy, 'float32', { name: controlName(o.epochs, o.trainImages), kind: 'control', recipe: { epochs: o.epochs, trainImages: o.trainImages, learningRate: LEARNING_RATE, batchSize: BATCH, seed: SEED } }, ctx.signal);
        made.push(m);
        control = m.variant.id;
      } finally {
        copy.dispose();
      }
    }
    const copy = await cloneModel(model);
    try {
      await fineTune(copy, data, o.epochs, ctx, share, 0.9, 'fine-tuning with the mask held', o);
      const perLayer = kernelSparsity(copy);
      const sparsity = perLayer.reduce((n, l) => n + l.zeros, 0) / perLayer.reduce((n, l) => n + l.size, 0);
      const name = prunedName(o, sparsity);
      const recipe = { ...o, learningRate: LEARNING_RATE, batchSize: BATCH, seed: SEED };
      ctx.progress(0.92, 'exporting and scoring');
      const pruned = await makeVariant(copy, 'float32', { name, kind: 'pruned', recipe, sparsity, perLayer, control: control!, studentCode: usedFor('prune') }, ctx.signal);
      made.push(pruned);
      if (o.quantizeAfter) {
        made.push(await makeVariant(copy, 'uint8', { name: `${name}, then uint8`, kind: 'pruned+quantized', recipe: { ...recipe, dtype: 'uint8' }, sparsity, perLayer, control: control!, from: pruned.variant.id, studentCode: usedFor('prune') }, ctx.signal));
      }
      return reply(made);
    } finally {
      copy.dispose();
    }
  },

  async structured(p: StructuredOptions, ctx: JobContext) {
    firstError(checkStructured(p) as Record<string, string | undefined>);
    const { model } = need();
    const { model: small, layers } = await structuredPrune(model, p.fraction);
    try {
      if (p.epochs > 0) await fineTune(small, await mnist('train'), p.epochs, ctx, 0, 0.75, 'fine-tuning the smaller model');
      ctx.progress(0.78, 'timing the smaller model and the baseline, their runs interleaved, on batches of 100 images');
      const [variant, baseline] = await timeInterleaved([small, model], ctx.signal);
      const name = `structured: ${layers.map((l) => `${l.layer} ${l.before}→${l.after}`).join(', ')}, ${p.epochs} epoch${p.epochs === 1 ? '' : 's'}`;
      return reply([await makeVariant(small, 'float32', { name, kind: 'structured', recipe: { fraction: p.fraction, epochs: p.epochs, layers }, timing: { variant: variant!, baseline: baseline! } }, ctx.signal)]);
    } finally {
      small.dispose();
    }
  },

  async sweep(p: { scope: 'per-tensor' | 'global'; sparsities: number[] }, { progress, signal }: JobContext) {
    const { model, reference, key } = need();
    const test = await mnist('test');
    const points = [];
    for (const [i, s] of p.sparsities.entries()) {
      throwIfCancelled(signal);
      progress(i / p.sparsities.length, `one-shot pruning to ${Math.round(s * 100)}% (no fine-tuning)`);
      const copy = await cloneModel(model);
      try {
        pruneOnce(copy, s, { scope: p.scope, mask: student.magnitudeMask });
        const ev = await evaluate(copy, test, signal);
        points.push({ sparsity: s, accuracy: ev.accuracy, perLayer: kernelSparsity(copy) });
      } finally {
        copy.dispose();
      }
    }
    return { id: newId(key), model: key, scope: p.scope, baselineAccuracy: reference.accuracy, points, createdAt: new Date().toISOString() };
  },

  /** The weights of one layer in the baseline and in a variant; a uint8/uint16 variant's weights sit on its grid. */
  async histogram(p: { layer: string; variant: { name: string; json: string; weights: Uint8Array } }): Promise<Histogram> {
    const { model } = need();
    const layer = model.getLayer(p.layer);
    const kernel = layer.weights.find((w) => w.originalName.endsWith('/kernel')) ?? layer.weights[0];
    if (!kernel) throw new Error(`layer ${p.layer} has no weights`);
    const before = kernel.read().dataSync() as Float32Array;
    const modelJson = JSON.parse(p.variant.json) as ExportedModel['modelJson'];
    const loaded = await loadExported({ modelJson, weightData: p.variant.weights });
    let after: Float32Array;
    try {
      const w = loaded.getLayer(p.layer).weights.find((x) => x.originalName === kernel.originalName);
      if (!w) throw new Error(`${p.variant.name} has no weight ${kernel.originalName}`);
      after = Float32Array.from(w.read().dataSync() as Float32Array);
    } finally {
      loaded.dispose();
    }
    const spec = modelJson.weightsManifest.flatMap((g) => g.weights).find((s) => s.name === kernel.originalName);
    const q = spec?.quantization;
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of [...before, ...after]) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const result: Histogram = { layer: p.layer, weight: kernel.originalName, variant: p.variant.name, dtype: q?.dtype ?? 'float32', min: lo, max: hi, before: binCounts(before, lo, hi, 80), after: null, levels: null, note: '' };
    if (q && q.dtype !== 'float16' && q.scale !== undefined && q.min !== undefined) {
      const qmax = q.dtype === 'uint8' ? 255 : 65535;
      const counts = new Map<number, number>();
      for (const x of after) {
        const code = Math.min(qmax, Math.max(0, Math.round((x - q.min) / q.scale)));
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      const used = [...counts.keys()].sort((a, b) => a - b);
      result.note = `${q.dtype}: scale ${q.scale.toPrecision(4)}, min ${q.min.toPrecision(4)}; the tensor uses ${counts.size} of the ${qmax + 1} levels (codes ${used[0]}–${used.at(-1)}).`;
      if (q.dtype === 'uint8') result.levels = [...counts].map(([code, count]) => ({ at: q.min! + code * q.scale!, count }));
      else result.after = binCounts(after, lo, hi, 80);
    } else {
      result.after = binCounts(after, lo, hi, 80);
      result.note = q?.dtype === 'float16' ? 'float16: 11 significant bits, so its grid (spacing about |w| / 1024) is far finer than these bins.' : 'float32: no visible grid.';
    }
    return result;
  },

  /** Loads a variant's exported files with an unmodified tf.loadLayersModel and scores it again. */
  async reload(p: { json: string; weights: Uint8Array }, { signal }: JobContext) {
    const json = JSON.parse(p.json);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights), weightData: p.weights.slice().buffer }));
    try {
      const test = await mnist('test');
      const ev = await evaluate(loaded, test, signal);
      return { correct: packOutcomes(ev.predictions.map((x, i) => (x === test.labels[i] ? 1 : 0))), accuracy: ev.accuracy };
    } finally {
      loaded.dispose();
    }
  },
};

export type QpApi = typeof api;

serveWorker(self as unknown as WorkerScope, api, { stats: () => ({ numTensors: tf.memory().numTensors }) });
