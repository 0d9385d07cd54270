/**
 * A small, reproducible training loop (seeded shuffles, trainOnBatch) shared by the baseline script and in-page
 * fine-tuning. `afterBatch` runs after every optimizer step; pruning uses it to re-apply its masks.
 */
import * as tf from '@tensorflow/tfjs';
import { imagesTensor, inputLayoutFor, labelsTensor, type MnistSplit } from './data.ts';
import { mulberry32, permutation } from './random.ts';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Called after each optimizer step with the global step (1-based). */
  afterBatch?: (step: number) => void | Promise<void>;
  onProgress?: (p: { epoch: number; step: number; totalSteps: number; loss: number }) => void;
}

/** True when the model's last layer already applies softmax (then the loss takes probabilities). */
export function endsInSoftmax(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  const cfg = last.getConfig() as { activation?: string };
  return cfg.activation === 'softmax' || last.getClassName() === 'Softmax';
}

export function compileForTraining(model: tf.LayersModel, learningRate = 1e-3): void {
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: endsInSoftmax(model) ? 'categoricalCrossentropy' : (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
}

export async function train(model: tf.LayersModel, data: MnistSplit, opts: TrainOptions): Promise<{ steps: number; lastLoss: number }> {
  const layout = inputLayoutFor(model.inputs[0].shape);
  compileForTraining(model, opts.learningRate);
  const rand = mulberry32(opts.seed ?? 1);
  const perEpoch = Math.ceil(data.count / opts.batchSize);
  const totalSteps = perEpoch * opts.epochs;
  let step = 0;
  let lastLoss = NaN;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const order = permutation(data.count, rand);
    for (let b = 0; b < perEpoch; b++) {
      if (opts.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
      const idx = order.subarray(b * opts.batchSize, Math.min((b + 1) * opts.batchSize, data.count));
      const x = imagesTensor(data, layout, 0, 0, idx);
      const y = labelsTensor(data, 0, 0, idx);
      const loss = await model.trainOnBatch(x, y);
      x.dispose();
      y.dispose();
      lastLoss = Array.isArray(loss) ? loss[0] : loss;
      step++;
      if (opts.afterBatch) await opts.afterBatch(step);
      opts.onProgress?.({ epoch, step, totalSteps, loss: lastLoss });
    }
  }
  // The optimizer's slot variables (Adam moments) are tensors too: free them so memory returns to its baseline.
  model.optimizer?.dispose();
  return { steps: step, lastLoss };
}
