/**
 * The model every trial of the tuning lab trains: a one-hidden-layer network (784 → hidden ReLU → 10) with Adam and
 * an L2 penalty on both kernels, on the site's MNIST subset. The same code trains in a live study's Web Workers and
 * in scripts/tuning-benchmark.mjs, which precomputes every configuration's learning curve for replay studies, so a
 * replayed study is the live one measured ahead of time.
 *
 * Deterministic for a seed on a given backend: the weights are drawn from a seeded generator (Glorot uniform, as
 * Keras does), and each epoch visits the training images in a seeded order.
 */
import * as tf from '@tensorflow/tfjs';
import { PIXELS, NUM_CLASSES, type MnistSplit } from '../../src/labkit/ml/data.ts';
import { mulberry32, permutation } from '../../src/labkit/ml/random.ts';
import { checkConfig, TRAIN_IMAGES, VALIDATION_IMAGES, type MlpConfig } from './config.ts';

export interface TuningData {
  train: MnistSplit;
  validation: MnistSplit;
}

export function tuningData(trainSplit: MnistSplit): TuningData {
  if (trainSplit.count < TRAIN_IMAGES + VALIDATION_IMAGES) throw new Error(`the train split has ${trainSplit.count} images; the tuning lab needs ${TRAIN_IMAGES + VALIDATION_IMAGES}`);
  const slice = (from: number, n: number): MnistSplit => ({ images: trainSplit.images.subarray(from * PIXELS, (from + n) * PIXELS), labels: trainSplit.labels.subarray(from, from + n), count: n });
  return { train: slice(0, TRAIN_IMAGES), validation: slice(TRAIN_IMAGES, VALIDATION_IMAGES) };
}

function glorot(fanIn: number, fanOut: number, rand: () => number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * limit;
  return out;
}

const pixels = (split: MnistSplit) => tf.tidy(() => tf.tensor2d(split.images, [split.count, PIXELS], 'int32').toFloat().div(255)) as tf.Tensor2D;

export interface EpochResult {
  epoch: number;
  /** Validation images misclassified, of VALIDATION_IMAGES. */
  wrong: number;
  /** Mean training loss over the epoch's batches (NaN once training diverged). */
  loss: number;
}

/** A network being trained: one epoch per call, then a count of wrong predictions on any split. */
export class MlpLearner {
  private readonly vars: tf.Variable[];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly x: tf.Tensor2D;
  private readonly y: tf.Tensor2D;
  private readonly rand: () => number;
  private epochs = 0;
  readonly config: MlpConfig;
  readonly seed: number;
  private readonly data: TuningData;

  constructor(config: MlpConfig, data: TuningData, seed: number) {
    checkConfig(config);
    this.config = config;
    this.data = data;
    this.seed = seed;
    const init = mulberry32(seed);
    this.rand = mulberry32(seed ^ 0x5bd1e995);
    const { hidden } = config;
    const variable = (initial: tf.Tensor) => {
      const v = tf.variable(initial);
      initial.dispose();
      return v;
    };
    this.vars = [
      variable(tf.tensor2d(glorot(PIXELS, hidden, init), [PIXELS, hidden])),
      variable(tf.zeros([hidden])),
      variable(tf.tensor2d(glorot(hidden, NUM_CLASSES, init), [hidden, NUM_CLASSES])),
      variable(tf.zeros([NUM_CLASSES])),
    ];
    this.optimizer = tf.train.adam(config.lr);
    this.x = pixels(data.train);
    this.y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.train.labels, 'int32'), NUM_CLASSES).toFloat()) as tf.Tensor2D;
  }

  private logits(x: tf.Tensor2D): tf.Tensor2D {
    const [w1, b1, w2, b2] = this.vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as tf.Tensor2D;
  }

  /** Trains one more epoch and scores the validation images. */
  async epoch(signal?: AbortSignal): Promise<EpochResult> {
    const n = this.data.train.count;
    const { batch, l2 } = this.config;
    const order = Int32Array.from(permutation(n, this.rand));
    const [w1, , w2] = this.vars as [tf.Variable, tf.Variable, tf.Variable];
    let lossSum: tf.Scalar = tf.scalar(0);
    let batches = 0;
    for (let start = 0; start < n; start += batch) {
      if (signal?.aborted) {
        lossSum.dispose();
        throw new DOMException('cancelled', 'AbortError');
      }
      const idx = tf.tensor1d(order.subarray(start, Math.min(n, start + batch)), 'int32');
      const loss = tf.tidy(() => {
        const xb = tf.gather(this.x, idx);
        const yb = tf.gather(this.y, idx);
        return this.optimizer.minimize(() => {
          const ce = tf.losses.softmaxCrossEntropy(yb, this.logits(xb as tf.Tensor2D));
          return (l2 > 0 ? tf.add(ce, tf.mul(l2, tf.add(tf.sum(tf.square(w1)), tf.sum(tf.square(w2))))) : ce) as tf.Scalar;
        }, true) as tf.Scalar;
      });
      idx.dispose();
      const next = tf.add(lossSum, loss) as tf.Scalar;
      lossSum.dispose();
      loss.dispose();
      lossSum = next;
      batches++;
    }
    const loss = (await lossSum.data())[0]! / batches;
    lossSum.dispose();
    this.epochs++;
    return { epoch: this.epochs, wrong: await this.wrong(this.data.validation), loss };
  }

  /** Images of `split` the network gets wrong (a diverged network, whose outputs are NaN, gets every one wrong). */
  async wrong(split: MnistSplit): Promise<number> {
    let wrong = 0;
    for (let start = 0; start < split.count; start += 1000) {
      const count = Math.min(1000, split.count - start);
      const part: MnistSplit = { images: split.images.subarray(start * PIXELS, (start + count) * PIXELS), labels: split.labels.subarray(start, start + count), count };
      const predicted = tf.tidy(() => {
        const logits = this.logits(pixels(part));
        // argMax of a NaN row is 0: count such rows as wrong explicitly.
        const finite = tf.all(tf.isFinite(logits), 1);
        return tf.where(finite, tf.argMax(logits, 1), tf.fill([count], -1, 'int32'));
      });
      const p = await predicted.data();
      predicted.dispose();
      for (let i = 0; i < count; i++) if (p[i] !== part.labels[i]) wrong++;
    }
    return wrong;
  }

  get trainedEpochs(): number {
    return this.epochs;
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
    this.optimizer.dispose();
    this.x.dispose();
    this.y.dispose();
  }
}
