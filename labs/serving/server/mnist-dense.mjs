// @ts-check
// The model the lab's server answers with: the edge lab's dense MNIST classifier, as its Open Inference Protocol (V2)
// metadata describes it, and its `predict` on TensorFlow.js. Plain JavaScript on purpose: the lab's Web Worker (tfjs
// on wasm) and `serve.mjs` under Node (tfjs's pure-JavaScript CPU backend) share it, each passing in its own tfjs.

import { hostModel } from './host.mjs';

/** @typedef {import('../../../src/labkit/serving/oip.ts').ModelMetadata} ModelMetadata */

/** @type {ModelMetadata} */
export const DENSE_MNIST = {
  name: 'mnist-dense',
  versions: ['1'],
  platform: 'tensorflowjs',
  inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
  outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
};

/**
 * The loaded model as the server's `env.model`: its `predict(values, batch)` takes batch rows of 784 pixels and gives
 * batch rows of 10 probabilities. The model ends in logits; the output it declares is the probabilities, so a softmax
 * follows it.
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {import('@tensorflow/tfjs').LayersModel} model
 * @returns {import('./host.mjs').HostedModel}
 */
export function hostDenseMnist(tf, model) {
  return hostModel(DENSE_MNIST, async (values, batch) => {
    if (values.length !== batch * 784) throw new RangeError(`predict: ${values.length} values do not make ${batch} rows of 784`);
    const out = tf.tidy(() => tf.softmax(/** @type {import('@tensorflow/tfjs').Tensor} */ (model.predict(tf.tensor2d(values, [batch, 784])))));
    try {
      return /** @type {Float32Array} */ (await out.data());
    } finally {
      out.dispose();
    }
  });
}
