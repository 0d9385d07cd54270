import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasm } from './test-helpers.ts';

/** Filter gradient of sum(conv2d(x, w)²) on the current backend. */
async function filterGrad(x: number[], xShape: number[], w: number[], wShape: number[], stride: number, pad: 'valid' | 'same') {
  const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
  const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
  const g = tf.grad((k: tf.Tensor) => tf.conv2d(xt, k as tf.Tensor4D, stride, pad).square().sum())(wt);
  const out = Array.from(await g.data());
  tf.dispose([xt, wt, g]);
  return out;
}

describe('Conv2DBackpropFilter added to the wasm backend', () => {
  beforeAll(useWasm);

  it.each([
    [1, 'valid'],
    [1, 'same'],
    [2, 'valid'],
    [2, 'same'],
  ] as const)('matches the cpu backend (stride %i, %s padding)', async (stride, pad) => {
    const xShape = [2, 7, 7, 3];
    const wShape = [3, 3, 3, 4];
    const x = Array.from({ length: 2 * 7 * 7 * 3 }, (_, i) => Math.sin(i * 0.37));
    const w = Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i * 0.51) * 0.3);
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    const wasm = await filterGrad(x, xShape, w, wShape, stride, pad);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const cpu = await filterGrad(x, xShape, w, wShape, stride, pad);
    await tf.setBackend('wasm');
    wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i], 3));
  });
});
