/**
 * Magnitude pruning as the TensorFlow Model Optimization Toolkit (tfmot.sparsity.keras) does it, plus structured pruning.
 *
 * - Masks are per tensor, on Dense and Conv2D kernels only (never biases). For a target sparsity s over n weights,
 *   TF MOT keeps k = max(round(n·(1 − s)), 1) weights: those with |w| ≥ the k-th largest |w|. With ties TF MOT's
 *   `>=` can keep more than k; here ties are broken by position so exactly n − k weights are zero ("exact sparsity").
 * - The threshold is found with quickselect (expected O(n)); no weight array is sorted.
 * - A global option ranks all selected kernels together (one threshold for the model) instead of per tensor.
 * - Schedules copy tfmot's pruning_schedule.py: ConstantSparsity and PolynomialDecay
 *   (sparsity = final + (initial − final) · (1 − p)^power, p = clamp((step − begin) / (end − begin), 0, 1)),
 *   with masks updated only on steps where begin ≤ step ≤ end (end = −1: no end) and (step − begin) % frequency = 0.
 * - Fine-tuning holds the mask: after every optimizer step the kernels are multiplied by their masks again.
 * - Structured pruning removes whole Dense units or Conv2D filters (smallest L2 norm first) and builds a genuinely
 *   smaller model, which — unlike unstructured sparsity — really does less arithmetic in tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { keepCount, magnitudeMask as referenceMask, magnitudeMasks } from './magnitude.mjs';
import { train, type TrainOptions } from './train.ts';
import type { MnistSplit } from './data.ts';

export const PRUNABLE = new Set(['Dense', 'Conv2D']);

export { keepCount, magnitudeMask, magnitudeMasks, quickselect } from './magnitude.mjs';

export interface MaskResult {
  mask: Uint8Array;
  /** |w| of the smallest kept weight (TF MOT's threshold). */
  threshold: number;
  zeros: number;
}

/** A per-tensor mask function with TF MOT's semantics: the reference (magnitude.mjs), or a student's own. */
export type MaskFunction = (values: Float32Array, sparsity: number) => MaskResult;

// ---------------------------------------------------------------------------------------------------------------
// Schedules (tfmot.sparsity.keras.ConstantSparsity / PolynomialDecay)

export interface ScheduleDecision {
  prune: boolean;
  sparsity: number;
}
export type PruningSchedule = ((step: number) => ScheduleDecision) & { config: Record<string, unknown> };

function validateSteps(begin: number, end: number, frequency: number, allowNoEnd: boolean) {
  if (begin < 0) throw new Error('begin_step should be >= 0');
  if (!allowNoEnd && end === -1) throw new Error('end_step cannot be -1');
  if (end !== -1 && end < 0) throw new Error('end_step can be -1 or >= 0');
  if (end !== -1 && end < begin) throw new Error('begin_step should be <= end_step if end_step != -1');
  if (frequency <= 0) throw new Error('frequency should be > 0');
}
function validateSparsity(s: number, name: string) {
  if (!(s >= 0 && s < 1)) throw new Error(`${name} must be in range [0,1)`);
}
function shouldPrune(step: number, begin: number, end: number, frequency: number): boolean {
  const inRange = step >= begin && (end === -1 || step <= end);
  return inRange && (step - begin) % frequency === 0;
}

export function constantSparsity(o: { targetSparsity: number; beginStep: number; endStep?: number; frequency?: number }): PruningSchedule {
  const end = o.endStep ?? -1;
  const frequency = o.frequency ?? 100;
  validateSteps(o.beginStep, end, frequency, true);
  validateSparsity(o.targetSparsity, 'target_sparsity');
  const f = (step: number) => ({ prune: shouldPrune(step, o.beginStep, end, frequency), sparsity: o.targetSparsity });
  return Object.assign(f, { config: { class_name: 'ConstantSparsity', target_sparsity: o.targetSparsity, begin_step: o.beginStep, end_step: end, frequency } });
}

export function polynomialDecay(o: { initialSparsity: number; finalSparsity: number; beginStep: number; endStep: number; power?: number; frequency?: number }): PruningSchedule {
  const power = o.power ?? 3;
  const frequency = o.frequency ?? 100;
  validateSteps(o.beginStep, o.endStep, frequency, false);
  validateSparsity(o.initialSparsity, 'initial_sparsity');
  validateSparsity(o.finalSparsity, 'final_sparsity');
  const f = (step: number) => {
    const span = o.endStep - o.beginStep;
    const p = Math.min(1, Math.max(0, span === 0 ? 1 : (step - o.beginStep) / span));
    const sparsity = (o.initialSparsity - o.finalSparsity) * Math.pow(1 - p, power) + o.finalSparsity;
    return { prune: shouldPrune(step, o.beginStep, o.endStep, frequency), sparsity };
  };
  return Object.assign(f, {
    config: { class_name: 'PolynomialDecay', initial_sparsity: o.initialSparsity, final_sparsity: o.finalSparsity, power, begin_step: o.beginStep, end_step: o.endStep, frequency },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Masks on a model

export interface PrunableKernel {
  layer: string;
  variable: tf.LayerVariable;
  size: number;
}

/** The kernels pruning applies to: Dense and Conv2D kernels (optionally only in the named layers). */
export function prunableKernels(model: tf.LayersModel, layers?: readonly string[]): PrunableKernel[] {
  const out: PrunableKernel[] = [];
  for (const layer of model.layers) {
    if (!PRUNABLE.has(layer.getClassName())) continue;
    if (layers && !layers.includes(layer.name)) continue;
    const kernel = layer.weights.find((w) => w.originalName.endsWith('/kernel'));
    if (kernel) out.push({ layer: layer.name, variable: kernel, size: (kernel.shape as number[]).reduce((a, b) => a * b, 1) });
  }
  return out;
}

export interface PerLayerSparsity {
  layer: string;
  size: number;
  zeros: number;
  sparsity: number;
}

/** Measured sparsity (exact zeros) of each Dense/Conv2D kernel. */
export function kernelSparsity(model: tf.LayersModel): PerLayerSparsity[] {
  return prunableKernels(model).map((k) => {
    const v = k.variable.read().dataSync() as Float32Array;
    let zeros = 0;
    for (let i = 0; i < v.length; i++) if (v[i] === 0) zeros++;
    return { layer: k.layer, size: k.size, zeros, sparsity: zeros / k.size };
  });
}

export interface Pruner {
  kernels: PrunableKernel[];
  masks: Uint8Array[];
  /** Recomputes masks at `sparsity` from the current weights and applies them. */
  updateMasks(sparsity: number): void;
  /** Multiplies every kernel by its mask. */
  applyMasks(): void;
  /** Called before the optimizer step `step` (0-based): updates masks when the schedule says so. */
  beforeStep(step: number): void;
}

export interface PrunerOptions {
  schedule?: PruningSchedule;
  scope?: 'per-tensor' | 'global';
  layers?: readonly string[];
  /**
   * The mask function (default: the reference, magnitude.mjs). With the global scope it is called once on all
   * kernels joined together, which gives one threshold for all of them.
   */
  mask?: MaskFunction;
}

/** A mask from a function written elsewhere (the student's), checked before it touches a model. */
function checkedMask(mask: MaskFunction, values: Float32Array, sparsity: number): Uint8Array {
  const r = mask(values, sparsity);
  if (!r || !(r.mask instanceof Uint8Array) || r.mask.length !== values.length) {
    throw new Error(`the mask function returned ${r?.mask?.length ?? 'no'} mask values for ${values.length} weights`);
  }
  return r.mask;
}

export function createPruner(model: tf.LayersModel, opts: PrunerOptions = {}): Pruner {
  const kernels = prunableKernels(model, opts.layers);
  if (kernels.length === 0) throw new Error('the model has no Dense or Conv2D kernels to prune');
  const masks = kernels.map((k) => new Uint8Array(k.size).fill(1));
  const pruner: Pruner = {
    kernels,
    masks,
    updateMasks(sparsity: number) {
      const values = kernels.map((k) => k.variable.read().dataSync() as Float32Array);
      if (opts.scope === 'global' && opts.mask) {
        const joined = new Float32Array(values.reduce((s, v) => s + v.length, 0));
        let o = 0;
        for (const v of values) {
          joined.set(v, o);
          o += v.length;
        }
        const all = checkedMask(opts.mask, joined, sparsity);
        o = 0;
        values.forEach((v, i) => {
          masks[i].set(all.subarray(o, o + v.length));
          o += v.length;
        });
      } else if (opts.scope === 'global') {
        const n = values.reduce((s, v) => s + v.length, 0);
        const { masks: m } = magnitudeMasks(values, keepCount(n, sparsity));
        m.forEach((mask, i) => masks[i].set(mask));
      } else {
        values.forEach((v, i) => masks[i].set(checkedMask(opts.mask ?? referenceMask, v, sparsity)));
      }
      this.applyMasks();
    },
    applyMasks() {
      kernels.forEach((k, i) => {
        const m = masks[i];
        const v = Float32Array.from(k.variable.read().dataSync() as Float32Array);
        for (let j = 0; j < v.length; j++) if (!m[j]) v[j] = 0;
        const t = tf.tensor(v, k.variable.shape as number[]);
        k.variable.write(t);
        t.dispose();
      });
    },
    beforeStep(step: number) {
      if (!opts.schedule) return;
      const d = opts.schedule(step);
      if (d.prune) this.updateMasks(d.sparsity);
    },
  };
  return pruner;
}

/** One-shot pruning of a model (in place) to a sparsity, per tensor or global. */
export function pruneOnce(model: tf.LayersModel, sparsity: number, opts: Omit<PrunerOptions, 'schedule'> = {}): Pruner {
  const p = createPruner(model, opts);
  p.updateMasks(sparsity);
  return p;
}

/**
 * Fine-tunes with the pruning schedule: masks update on schedule steps (step 0 = the first batch) and are re-applied
 * after every optimizer step, so pruned weights stay exactly zero.
 */
export async function pruneAndFineTune(
  model: tf.LayersModel,
  data: MnistSplit,
  opts: PrunerOptions & { schedule: PruningSchedule } & TrainOptions,
): Promise<Pruner> {
  const pruner = createPruner(model, opts);
  pruner.beforeStep(0);
  await train(model, data, {
    ...opts,
    afterBatch: async (step) => {
      pruner.applyMasks();
      pruner.beforeStep(step);
      await opts.afterBatch?.(step);
    },
  });
  return pruner;
}

// ---------------------------------------------------------------------------------------------------------------
// Structured pruning

interface LayerJson {
  class_name: string;
  config: Record<string, unknown> & { name: string };
}

/** L2 norm of each output unit/filter (last axis) of a kernel. */
export function outputNorms(values: Float32Array, shape: readonly number[]): Float32Array {
  const out = shape[shape.length - 1];
  const norms = new Float32Array(out);
  for (let i = 0; i < values.length; i++) norms[i % out] += values[i] * values[i];
  for (let c = 0; c < out; c++) norms[c] = Math.sqrt(norms[c]);
  return norms;
}

/** Indices (ascending) of the `keep` largest norms; ties by index. */
function topIndices(norms: Float32Array, keep: number): number[] {
  return Array.from(norms, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, keep)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}

/** Gathers along the last axis (channels last) of a flat row-major array. */
function gatherLast(values: ArrayLike<number>, shape: readonly number[], idx: number[]): Float32Array {
  const last = shape[shape.length - 1];
  const rows = values.length / last;
  const out = new Float32Array(rows * idx.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < idx.length; j++) out[r * idx.length + j] = values[r * last + idx[j]];
  return out;
}

/** Keeps rows (first-axis blocks, given as input-channel indices with a channel-last inner layout) of a Dense kernel. */
function gatherDenseRows(values: Float32Array, inFeatures: number, units: number, channels: number, keepCh: number[]): Float32Array {
  // Row index = position · channels + channel (Flatten of channels-last maps), or just the unit index if channels = inFeatures.
  const positions = inFeatures / channels;
  const out = new Float32Array(positions * keepCh.length * units);
  let r = 0;
  for (let p = 0; p < positions; p++) {
    for (const c of keepCh) {
      const src = (p * channels + c) * units;
      out.set(values.subarray(src, src + units), r * units);
      r++;
    }
  }
  return out;
}

/** Keeps input channels (axis 2) of a Conv2D kernel [kh, kw, in, out]. */
function gatherConvIn(values: Float32Array, shape: readonly number[], keepCh: number[]): Float32Array {
  const [kh, kw, cin, cout] = shape;
  const out = new Float32Array(kh * kw * keepCh.length * cout);
  let o = 0;
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (const c of keepCh) {
        const src = ((y * kw + x) * cin + c) * cout;
        out.set(values.subarray(src, src + cout), o);
        o += cout;
      }
  return out;
}

export interface StructuredResult {
  model: tf.LayersModel;
  /** Per pruned layer: units/filters before and after. */
  layers: { layer: string; before: number; after: number }[];
}

/**
 * Removes the `fraction` of units (Dense) or filters (Conv2D) with the smallest kernel L2 norm from every hidden
 * Dense/Conv2D layer (the output layer is kept whole), for Sequential chains of Dense, Conv2D, pooling, Flatten,
 * Dropout, Activation/ReLU layers. Returns a new, smaller model; the original is untouched.
 */
export async function structuredPrune(model: tf.LayersModel, fraction: number, opts: { layers?: readonly string[] } = {}): Promise<StructuredResult> {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`fraction must be in [0, 1), got ${fraction}`);
  const topo = model.toJSON(null, false) as unknown as { class_name: string; config: { layers: LayerJson[] } | LayerJson[] };
  const cfgLayers = Array.isArray(topo.config) ? topo.config : topo.config.layers;
  const passThrough = new Set(['InputLayer', 'MaxPooling2D', 'AveragePooling2D', 'Flatten', 'Dropout', 'Activation', 'ReLU', 'Softmax']);
  for (const l of cfgLayers) {
    if (!PRUNABLE.has(l.class_name) && !passThrough.has(l.class_name)) {
      throw new Error(`structured pruning supports chains of Dense, Conv2D, pooling, Flatten, Dropout and activation layers; found ${l.class_name}`);
    }
  }
  const modelLayers = model.layers;
  const prunableIdx = modelLayers.map((l, i) => (PRUNABLE.has(l.getClassName()) ? i : -1)).filter((i) => i >= 0);
  const lastPrunable = prunableIdx[prunableIdx.length - 1];
  // Decide kept output channels per prunable layer.
  const keepByLayer = new Map<number, number[]>();
  const report: StructuredResult['layers'] = [];
  for (const i of prunableIdx) {
    const layer = modelLayers[i];
    if (i === lastPrunable || (opts.layers && !opts.layers.includes(layer.name))) continue;
    const kernel = layer.weights.find((w) => w.originalName.endsWith('/kernel'))!;
    const shape = kernel.shape as number[];
    const outCh = shape[shape.length - 1];
    const keep = Math.max(1, outCh - Math.round(outCh * fraction));
    keepByLayer.set(i, topIndices(outputNorms(kernel.read().dataSync() as Float32Array, shape), keep));
    report.push({ layer: layer.name, before: outCh, after: keep });
  }
  // New topology with fewer units/filters.
  const newTopo = JSON.parse(JSON.stringify(topo)) as typeof topo;
  const newLayers = Array.isArray(newTopo.config) ? newTopo.config : newTopo.config.layers;
  const offset = cfgLayers.length - modelLayers.length; // an explicit InputLayer entry in the config
  for (const [i, keep] of keepByLayer) {
    const c = newLayers[i + offset].config;
    if ('units' in c) c.units = keep.length;
    else c.filters = keep.length;
  }
  const small = await tf.models.modelFromJSON(newTopo as unknown as tf.io.ModelJSON);
  // Copy weights: output channels from this layer's keep, input channels from the previous prunable layer's keep.
  let prevKeep: number[] | null = null;
  let prevChannels = 0;
  const newValues: tf.Tensor[] = [];
  for (let i = 0; i < modelLayers.length; i++) {
    const layer = modelLayers[i];
    if (!PRUNABLE.has(layer.getClassName())) {
      for (const w of layer.getWeights()) newValues.push(w.clone());
      continue;
    }
    const kernelVar = layer.weights.find((w) => w.originalName.endsWith('/kernel'))!;
    const biasVar = layer.weights.find((w) => w.originalName.endsWith('/bias'));
    let shape = kernelVar.shape.slice() as number[];
    let k = kernelVar.read().dataSync() as Float32Array;
    if (prevKeep) {
      if (layer.getClassName() === 'Conv2D') {
        k = gatherConvIn(k, shape, prevKeep);
        shape = [shape[0], shape[1], prevKeep.length, shape[3]];
      } else {
        const inFeatures = shape[0];
        k = gatherDenseRows(k, inFeatures, shape[1], prevChannels, prevKeep);
        shape = [(inFeatures / prevChannels) * prevKeep.length, shape[1]];
      }
    }
    const keep = keepByLayer.get(i);
    if (keep) {
      k = gatherLast(k, shape, keep);
      shape = [...shape.slice(0, -1), keep.length];
    }
    newValues.push(tf.tensor(k, shape));
    if (biasVar) {
      const b = biasVar.read().dataSync() as Float32Array;
      newValues.push(tf.tensor(keep ? gatherLast(b, [b.length], keep) : Float32Array.from(b), [keep ? keep.length : b.length]));
    }
    prevChannels = kernelVar.shape[kernelVar.shape.length - 1] as number;
    prevKeep = keep ?? null;
  }
  small.setWeights(newValues);
  newValues.forEach((t) => t.dispose());
  return { model: small, layers: report };
}
