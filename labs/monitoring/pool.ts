/**
 * What the service computes for each request, cached per (corruption, image): the input features and the model's
 * prediction with its confidence (the largest softmax probability). A two-day stream touches each (corruption, image)
 * pair at most once, so replays and Monte Carlo windows cost lookups; only new pairs are corrupted and scored, in
 * batches, by the `Scorer` (tfjs in the worker, a stand-in in unit tests).
 */
import { throwIfCancelled } from '../../src/labkit/lab/worker-rpc.ts';
import { corrupt, corruptionKey, features, FEATURES, PIXELS, type Corruption } from './images.ts';
import type { Events } from './stream.ts';

export const F = FEATURES.length;
export const CLASSES = 10;
/** Marks a prediction not made (a rejected request, or not computed yet). */
export const NO_PREDICTION = 255;

/** Logits for `count` images of 784 pixels each. */
export type Scorer = (pixels: Float32Array, count: number) => Promise<Float32Array>;

interface Variant {
  features: Float32Array;
  predicted: Uint8Array;
  confidence: Float32Array;
}

/** What the service saw and answered for each event of a stream (columns, aligned with the events). */
export interface Served {
  count: number;
  /** count × F input features; NaN for rejected requests. */
  features: Float32Array;
  predicted: Uint8Array;
  confidence: Float32Array;
  /** 1 when the prediction equals the label that arrives later. */
  correct: Uint8Array;
}

export function softmaxMax(logits: Float32Array, row: number): { index: number; p: number } {
  const o = row * CLASSES;
  let max = -Infinity;
  let index = 0;
  for (let k = 0; k < CLASSES; k++) {
    const v = logits[o + k]!;
    if (v > max) {
      max = v;
      index = k;
    }
  }
  let sum = 0;
  for (let k = 0; k < CLASSES; k++) sum += Math.exp(logits[o + k]! - max);
  return { index, p: 1 / sum };
}

export class PoolCache {
  private variants = new Map<string, Variant>();
  readonly size: number;
  private readonly images: Uint8Array;
  private readonly scorer: Scorer;
  private readonly batch: number;

  constructor(images: Uint8Array, scorer: Scorer, batch = 256) {
    this.images = images;
    this.scorer = scorer;
    this.batch = batch;
    this.size = images.length / PIXELS;
  }

  private variant(c: Corruption): Variant {
    const key = corruptionKey(c);
    let v = this.variants.get(key);
    if (!v) {
      v = { features: new Float32Array(this.size * F).fill(NaN), predicted: new Uint8Array(this.size).fill(NO_PREDICTION), confidence: new Float32Array(this.size).fill(NaN) };
      this.variants.set(key, v);
    }
    return v;
  }

  /** Computes what is missing for these (corruption, image) pairs. */
  async ensure(pairs: { corruption: Corruption; images: Iterable<number> }[], signal?: AbortSignal, progress?: (done: number, total: number) => void): Promise<void> {
    const todo: { c: Corruption; v: Variant; image: number }[] = [];
    for (const { corruption, images } of pairs) {
      const v = this.variant(corruption);
      const seen = new Set<number>();
      for (const image of images) if (v.predicted[image] === NO_PREDICTION && !seen.has(image)) (seen.add(image), todo.push({ c: corruption, v, image }));
    }
    const pixels = new Float32Array(this.batch * PIXELS);
    for (let start = 0; start < todo.length; start += this.batch) {
      if (signal) throwIfCancelled(signal);
      const part = todo.slice(start, start + this.batch);
      part.forEach(({ c, v, image }, k) => {
        const px = corrupt(this.images.subarray(image * PIXELS, (image + 1) * PIXELS), c, image + 7919 * Math.round(c.level * 1000), pixels.subarray(k * PIXELS, (k + 1) * PIXELS));
        features(px, v.features, image * F);
      });
      const logits = await this.scorer(pixels.subarray(0, part.length * PIXELS), part.length);
      part.forEach(({ v, image }, k) => {
        const { index, p } = softmaxMax(logits, k);
        v.predicted[image] = index;
        v.confidence[image] = p;
      });
      progress?.(Math.min(todo.length, start + this.batch), todo.length);
    }
  }

  /** What the service saw and answered for every event (scoring what is missing first). */
  async serve(ev: Events, signal?: AbortSignal, progress?: (done: number, total: number) => void): Promise<Served> {
    const byVariant = ev.variants.map((corruption) => ({ corruption, images: [] as number[] }));
    for (let i = 0; i < ev.count; i++) if (!ev.rejected[i]) byVariant[ev.variant[i]!]!.images.push(ev.image[i]!);
    await this.ensure(byVariant, signal, progress);
    const out: Served = { count: ev.count, features: new Float32Array(ev.count * F).fill(NaN), predicted: new Uint8Array(ev.count).fill(NO_PREDICTION), confidence: new Float32Array(ev.count).fill(NaN), correct: new Uint8Array(ev.count) };
    const vs = ev.variants.map((c) => this.variant(c));
    for (let i = 0; i < ev.count; i++) {
      if (ev.rejected[i]) continue;
      const v = vs[ev.variant[i]!]!;
      const image = ev.image[i]!;
      out.features.set(v.features.subarray(image * F, (image + 1) * F), i * F);
      out.predicted[i] = v.predicted[image]!;
      out.confidence[i] = v.confidence[image]!;
      out.correct[i] = v.predicted[image] === ev.label[i] ? 1 : 0;
    }
    return out;
  }
}
