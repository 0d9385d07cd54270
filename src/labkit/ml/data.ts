/**
 * MNIST subset loading (see public/data/mnist/DATA_CARD.md). The files ship gzipped; in the browser they are fetched
 * from a base URL, in Node read through a reader (data.node.ts), and decompressed where they are used (a lab's worker).
 * Images stay uint8 until a batch is turned into a tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { gunzipSync } from 'fflate';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;

export interface MnistSplit {
  /** N × 784 uint8 pixels, row-major, 0 = background. */
  images: Uint8Array;
  /** N labels 0–9. */
  labels: Uint8Array;
  count: number;
}

export type SplitName = 'train' | 'test';

/** Where the packed files live: a URL prefix (browser, e.g. '/data/mnist/'), or a reader of file names (Node). */
export type DataSource = { url: string } | { read: (file: string) => Promise<Uint8Array> };

async function readBytes(source: DataSource, file: string, signal?: AbortSignal): Promise<Uint8Array> {
  let packed: Uint8Array;
  if ('url' in source) {
    const base = source.url.endsWith('/') ? source.url : `${source.url}/`;
    const res = await fetch(`${base}${file}.gz`, { signal });
    if (!res.ok) throw new Error(`could not fetch ${base}${file}.gz: HTTP ${res.status}`);
    packed = new Uint8Array(await res.arrayBuffer());
  } else {
    packed = await source.read(`${file}.gz`);
  }
  try {
    return gunzipSync(packed);
  } catch {
    throw new Error(`${file}.gz is not a valid gzip file (damaged or cut short)`);
  }
}

/** Loads one split; `limit` keeps only the first N images. */
export async function loadMnist(source: DataSource, split: SplitName, limit?: number, signal?: AbortSignal): Promise<MnistSplit> {
  const [images, labels] = await Promise.all([
    readBytes(source, `${split}-images.bin`, signal),
    readBytes(source, `${split}-labels.bin`, signal),
  ]);
  const count = labels.length;
  if (images.length !== count * PIXELS) {
    throw new Error(`${split}-images.bin holds ${images.length} bytes; expected ${count} × ${PIXELS} for ${count} labels`);
  }
  const n = limit ? Math.min(limit, count) : count;
  return { images: images.subarray(0, n * PIXELS), labels: labels.subarray(0, n), count: n };
}

/** The input layout a model expects: images [N,28,28,1] or flat vectors [N,784]. */
export type InputLayout = 'image' | 'flat';

/** Decides the layout from a model's input shape, or throws a message a student can act on. */
export function inputLayoutFor(inputShape: readonly (number | null)[]): InputLayout {
  const dims = inputShape.slice(1);
  if (dims.length === 1 && dims[0] === PIXELS) return 'flat';
  if (dims.length === 3 && dims[0] === IMAGE_SIZE && dims[1] === IMAGE_SIZE && dims[2] === 1) return 'image';
  if (dims.length === 2 && dims[0] === IMAGE_SIZE && dims[1] === IMAGE_SIZE) {
    throw new Error(`the model's input shape is [${inputShape.map(String).join(', ')}]; use [null, 28, 28, 1] (add a channel axis) or [null, 784]`);
  }
  throw new Error(
    `the model's input shape is [${inputShape.map(String).join(', ')}], which does not fit 28×28 grey-scale MNIST: ` +
      'the lab feeds [null, 28, 28, 1] images or [null, 784] vectors with pixels scaled to [0, 1]',
  );
}

/** Images [start, start+n) (or the rows in `indices`) as a float32 tensor scaled to [0, 1]. */
export function imagesTensor(split: MnistSplit, layout: InputLayout, start = 0, n = split.count - start, indices?: ArrayLike<number>): tf.Tensor {
  const count = indices ? indices.length : n;
  const out = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    const row = indices ? indices[i] : start + i;
    const src = split.images.subarray(row * PIXELS, (row + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) out[i * PIXELS + p] = src[p] / 255;
  }
  return layout === 'flat' ? tf.tensor2d(out, [count, PIXELS]) : tf.tensor4d(out, [count, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

/** One-hot labels for the same rows. */
export function labelsTensor(split: MnistSplit, start = 0, n = split.count - start, indices?: ArrayLike<number>): tf.Tensor2D {
  const count = indices ? indices.length : n;
  const out = new Float32Array(count * NUM_CLASSES);
  for (let i = 0; i < count; i++) out[i * NUM_CLASSES + split.labels[indices ? indices[i] : start + i]] = 1;
  return tf.tensor2d(out, [count, NUM_CLASSES]);
}
