/**
 * Building and measuring model variants: every variant is exported as real tfjs artifacts and loaded back with the
 * stock loader before it is evaluated, so the numbers are those a student's users would get.
 */
import * as tf from '@tensorflow/tfjs';
import { exportModel, loadExported, namedWeights, type DtypePlan, type ExportedModel } from './artifacts.ts';
import { accuracy, argmaxRows, compare, evaluate, type Evaluation } from './evaluate.ts';
import { activationParams, fakeQuantize, int8PerChannel } from './quantize.ts';
import { gzipSize } from './sizes.ts';
import { imagesTensor, inputLayoutFor, type MnistSplit } from './data.ts';
import { PRUNABLE } from './prune.ts';

export interface VariantResult {
  name: string;
  kind: 'baseline' | 'quantized' | 'pruned' | 'structured' | 'pruned+quantized' | 'experiment';
  /** Weight-file bytes (what the weights manifest describes). null for experiments that cannot be exported. */
  rawBytes: number | null;
  gzipBytes: number | null;
  accuracy: number;
  accuracyDropPp: number;
  agreement: number;
  maxLogitDiff: number;
  params: number;
  exportable: boolean;
  note?: string;
  /** The predicted class of every test image (per-image outcomes for paired comparisons). */
  predictions: Uint8Array;
}

/** A float32 copy of a model (through the same export/load path). */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  return loadExported(exportModel(model, 'float32'));
}

/** Exports with a dtype plan, loads the artifacts back with tf.loadLayersModel, evaluates and measures. */
export async function measureExport(
  name: string,
  kind: VariantResult['kind'],
  model: tf.LayersModel,
  plan: DtypePlan,
  test: MnistSplit,
  reference: Evaluation,
  signal?: AbortSignal,
): Promise<{ result: VariantResult; exported: ExportedModel }> {
  const exported = exportModel(model, plan);
  const loaded = await loadExported(exported);
  try {
    const ev = await evaluate(loaded, test, signal);
    const c = compare(reference, ev);
    return {
      exported,
      result: { name, kind, rawBytes: exported.weightData.length, gzipBytes: gzipSize(exported.weightData), ...c, params: loaded.countParams(), exportable: true, predictions: ev.predictions },
    };
  } finally {
    loaded.dispose();
  }
}

/** Experiment: symmetric int8 per-channel kernels (biases stay float32). Evaluated in the page only. */
export async function int8PerChannelExperiment(model: tf.LayersModel, test: MnistSplit, reference: Evaluation, signal?: AbortSignal): Promise<VariantResult> {
  const copy = await cloneModel(model);
  try {
    for (const layer of copy.layers) {
      if (!PRUNABLE.has(layer.getClassName())) continue;
      const k = layer.weights.find((w) => w.originalName.endsWith('/kernel'));
      if (!k) continue;
      const { dequantized } = int8PerChannel(k.read().dataSync() as Float32Array, k.shape as number[]);
      const t = tf.tensor(dequantized, k.shape as number[]);
      k.write(t);
      t.dispose();
    }
    const ev = await evaluate(copy, test, signal);
    const kernels = namedWeights(copy).filter((w) => w.role === 'kernel').reduce((n, w) => n + w.values.length, 0);
    const others = namedWeights(copy).reduce((n, w) => n + w.values.length, 0) - kernels;
    return {
      name: 'int8 per-channel weights (experiment)',
      kind: 'experiment',
      rawBytes: null,
      gzipBytes: null,
      ...compare(reference, ev),
      params: copy.countParams(),
      exportable: false,
      predictions: ev.predictions,
      note: `would be ${kernels} B of int8 kernels + per-channel scales + ${others * 4} B of float32 biases; the tfjs weights format has no int8 dtype and only one scale per tensor, so it cannot be exported`,
    };
  } finally {
    copy.dispose();
  }
}

/**
 * Experiment: simulated full-integer inference (TFLite's full-integer mode): int8 per-channel kernels, and the input
 * and every layer's output fake-quantized to 8 bits with ranges observed on a calibration set. Needs a Sequential chain.
 */
export async function fullIntegerExperiment(
  model: tf.LayersModel,
  calibration: MnistSplit,
  test: MnistSplit,
  reference: Evaluation,
  signal?: AbortSignal,
): Promise<VariantResult> {
  const layout = inputLayoutFor(model.inputs[0].shape);
  const copy = await cloneModel(model);
  try {
    for (const layer of copy.layers) {
      if (!PRUNABLE.has(layer.getClassName())) continue;
      const k = layer.weights.find((w) => w.originalName.endsWith('/kernel'));
      if (!k) continue;
      const t = tf.tensor(int8PerChannel(k.read().dataSync() as Float32Array, k.shape as number[]).dequantized, k.shape as number[]);
      k.write(t);
      t.dispose();
    }
    const layers = copy.layers.filter((l) => l.getClassName() !== 'InputLayer');
    // Calibration: min/max of each layer's output.
    const ranges = layers.map(() => ({ min: Infinity, max: -Infinity }));
    const batch = 250;
    for (let s = 0; s < calibration.count; s += batch) {
      if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
      const n = Math.min(batch, calibration.count - s);
      const stats = tf.tidy(() => {
        let x = imagesTensor(calibration, layout, s, n);
        const out: number[] = [];
        for (const l of layers) {
          x = l.apply(x) as tf.Tensor;
          out.push(x.min().dataSync()[0], x.max().dataSync()[0]);
        }
        return out;
      });
      ranges.forEach((r, i) => {
        r.min = Math.min(r.min, stats[2 * i]);
        r.max = Math.max(r.max, stats[2 * i + 1]);
      });
    }
    const params = ranges.map((r) => activationParams(r.min, r.max));
    const inputParams = activationParams(0, 1); // pixels in [0, 1]
    const logits = new Float32Array(test.count * 10);
    for (let s = 0; s < test.count; s += batch) {
      if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
      const n = Math.min(batch, test.count - s);
      const y = tf.tidy(() => {
        const x0 = imagesTensor(test, layout, s, n);
        let x = tf.tensor(fakeQuantize(x0.dataSync() as Float32Array, inputParams), x0.shape);
        layers.forEach((l, i) => {
          const z = l.apply(x) as tf.Tensor;
          // Pooling, flatten, reshape and dropout do not change values' scale in TFLite: they keep their input's params.
          x = tf.tensor(fakeQuantize(z.dataSync() as Float32Array, params[i]), z.shape);
        });
        return x;
      });
      logits.set(await y.data(), s * 10);
      y.dispose();
    }
    const predictions = argmaxRows(logits);
    const ev: Evaluation = { accuracy: accuracy(predictions, test.labels), predictions, logits };
    return {
      name: 'full-integer simulation (experiment)',
      kind: 'experiment',
      rawBytes: null,
      gzipBytes: null,
      ...compare(reference, ev),
      params: copy.countParams(),
      exportable: false,
      predictions,
      note: `int8 per-channel weights, 8-bit activations calibrated on ${calibration.count} training images; simulated with fake quantization in float32. tfjs has no integer kernels and its format cannot express activation quantization, so this cannot be exported`,
    };
  } finally {
    copy.dispose();
  }
}
