/** Evaluation: logits over a split, accuracy, agreement with a reference model, largest logit difference. */
import * as tf from '@tensorflow/tfjs';
import { imagesTensor, inputLayoutFor, NUM_CLASSES, type MnistSplit } from './data.ts';

/** The model's outputs ("logits": for a model ending in softmax these are probabilities) for every image, N × 10. */
export async function predictAll(model: tf.LayersModel, split: MnistSplit, batchSize = 500, signal?: AbortSignal): Promise<Float32Array> {
  const layout = inputLayoutFor(model.inputs[0].shape);
  const out = new Float32Array(split.count * NUM_CLASSES);
  for (let start = 0; start < split.count; start += batchSize) {
    if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    const n = Math.min(batchSize, split.count - start);
    const y = tf.tidy(() => {
      const x = imagesTensor(split, layout, start, n);
      return model.predict(x) as tf.Tensor;
    });
    const data = (await y.data()) as Float32Array;
    y.dispose();
    if (data.length !== n * NUM_CLASSES) throw new Error(`the model outputs ${data.length / n} values per image; the lab needs 10 (one per digit)`);
    out.set(data, start * NUM_CLASSES);
  }
  return out;
}

export function argmaxRows(logits: Float32Array, classes = NUM_CLASSES): Uint8Array {
  const n = logits.length / classes;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[i * classes + k] > logits[i * classes + best]) best = k;
    out[i] = best;
  }
  return out;
}

export function accuracy(pred: Uint8Array, labels: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / pred.length;
}

/** Fraction of images on which two models predict the same class. */
export function agreement(a: Uint8Array, b: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m || Number.isNaN(d)) m = d;
  }
  return m;
}

export interface Evaluation {
  accuracy: number;
  predictions: Uint8Array;
  logits: Float32Array;
}

export async function evaluate(model: tf.LayersModel, split: MnistSplit, signal?: AbortSignal): Promise<Evaluation> {
  const logits = await predictAll(model, split, 500, signal);
  const predictions = argmaxRows(logits);
  return { accuracy: accuracy(predictions, split.labels), predictions, logits };
}

/** Compares a variant with its reference (the float model): accuracy, agreement, largest logit difference. */
export function compare(reference: Evaluation, variant: Evaluation) {
  return {
    accuracy: variant.accuracy,
    accuracyDropPp: (reference.accuracy - variant.accuracy) * 100,
    agreement: agreement(reference.predictions, variant.predictions),
    maxLogitDiff: maxAbsDiff(reference.logits, variant.logits),
  };
}
