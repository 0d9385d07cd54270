import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { constantSparsity, createPruner, kernelSparsity, keepCount, magnitudeMask, magnitudeMasks, polynomialDecay, pruneAndFineTune, quickselect, structuredPrune } from './prune.ts';
import { useWasm, trainSplit, testSplit } from './test-helpers.ts';
import { evaluate } from './evaluate.ts';

const rand = (n: number, seed = 1) => {
  let s = seed;
  return new Float32Array(n).map(() => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  });
};

describe('threshold selection and masks', () => {
  it('quickselect finds the k-th smallest without sorting', () => {
    const a = rand(5001, 7);
    const sorted = Float32Array.from(a).sort();
    for (const k of [0, 1, 2500, 4999, 5000]) expect(quickselect(Float32Array.from(a), k)).toBe(sorted[k]);
    expect(quickselect(new Float32Array([3, 3, 3, 3]), 2)).toBe(3);
  });

  it('keeps max(round(n·(1 − s)), 1) weights, like TF MOT', () => {
    expect(keepCount(1000, 0.8)).toBe(200);
    expect(keepCount(30, 0.95)).toBe(2); // round(1.5) → 2 (half to even) …
    expect(keepCount(10, 0.99)).toBe(1); // … and never fewer than 1
  });

  it('gives exact sparsity per tensor, zeroing the smallest magnitudes', () => {
    const w = rand(1234, 3);
    for (const s of [0, 0.5, 0.8, 0.9, 0.975]) {
      const { mask, zeros, threshold } = magnitudeMask(w, s);
      const kept = mask.reduce((a, b) => a + b, 0);
      expect(kept).toBe(keepCount(1234, s));
      expect(zeros).toBe(1234 - kept);
      for (let i = 0; i < w.length; i++) {
        if (mask[i]) expect(Math.abs(w[i])).toBeGreaterThanOrEqual(threshold);
        else expect(Math.abs(w[i])).toBeLessThanOrEqual(threshold);
      }
    }
  });

  it('stays exact with ties (all weights equal)', () => {
    const { mask } = magnitudeMask(new Float32Array(100).fill(0.5), 0.8);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('global threshold ranks all tensors together', () => {
    const big = new Float32Array([10, 20, 30, 40]);
    const small = new Float32Array([1, 2, 3, 4]);
    const { masks } = magnitudeMasks([big, small], 4);
    expect(Array.from(masks[0])).toEqual([1, 1, 1, 1]);
    expect(Array.from(masks[1])).toEqual([0, 0, 0, 0]);
  });
});

describe('pruning schedules (tfmot formulas)', () => {
  it('polynomial decay: final + (initial − final)·(1 − p)^3 at sample steps', () => {
    const s = polynomialDecay({ initialSparsity: 0.5, finalSparsity: 0.8, beginStep: 0, endStep: 1000, frequency: 100 });
    expect(s(0)).toEqual({ prune: true, sparsity: 0.5 });
    expect(s(500).sparsity).toBeCloseTo(0.8 - 0.3 * 0.125, 12); // 0.7625
    expect(s(250).sparsity).toBeCloseTo(0.8 - 0.3 * 0.75 ** 3, 12);
    expect(s(1000)).toEqual({ prune: true, sparsity: 0.8 });
    expect(s(2000)).toEqual({ prune: false, sparsity: 0.8 }); // after end_step: no more mask updates
    expect(s(50).prune).toBe(false); // only every `frequency` steps
    expect(s(100).prune).toBe(true);
  });

  it('polynomial decay with begin > 0 and power 1', () => {
    const s = polynomialDecay({ initialSparsity: 0, finalSparsity: 0.6, beginStep: 100, endStep: 300, power: 1, frequency: 10 });
    expect(s(0)).toEqual({ prune: false, sparsity: 0 });
    expect(s(200).sparsity).toBeCloseTo(0.3, 12);
    expect(s(205).prune).toBe(false);
    expect(s(210).prune).toBe(true);
  });

  it('constant sparsity: prunes every frequency steps from begin, forever when end = −1', () => {
    const s = constantSparsity({ targetSparsity: 0.8, beginStep: 10, frequency: 5 });
    expect(s(5)).toEqual({ prune: false, sparsity: 0.8 });
    expect(s(10).prune).toBe(true);
    expect(s(12).prune).toBe(false);
    expect(s(1_000_000).prune).toBe(true);
    const ended = constantSparsity({ targetSparsity: 0.5, beginStep: 0, endStep: 20, frequency: 10 });
    expect([ended(20).prune, ended(30).prune]).toEqual([true, false]);
  });

  it('rejects invalid schedules like tfmot', () => {
    expect(() => polynomialDecay({ initialSparsity: 0, finalSparsity: 1, beginStep: 0, endStep: 10 })).toThrow(/final_sparsity/);
    expect(() => polynomialDecay({ initialSparsity: 0, finalSparsity: 0.5, beginStep: 0, endStep: -1 })).toThrow(/end_step/);
    expect(() => constantSparsity({ targetSparsity: 0.5, beginStep: 10, endStep: 5 })).toThrow(/begin_step/);
    expect(() => constantSparsity({ targetSparsity: 0.5, beginStep: 0, frequency: 0 })).toThrow(/frequency/);
  });
});

function smallCnn(seed = 5) {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  const bias = (i: number) => tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 100 + i });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'conv_1', inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), biasInitializer: bias(1) }),
      tf.layers.maxPooling2d({ name: 'pool_1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'conv_2', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2), biasInitializer: bias(2) }),
      tf.layers.maxPooling2d({ name: 'pool_2', poolSize: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'dense_1', units: 32, activation: 'relu', kernelInitializer: init(3), biasInitializer: bias(3) }),
      tf.layers.dense({ name: 'logits', units: 10, kernelInitializer: init(4) }),
    ],
  });
}

describe('pruning a model', () => {
  beforeAll(useWasm);

  it('per-tensor masks hit exact sparsity on every kernel and leave biases alone', () => {
    const model = smallCnn();
    const before = tf.memory().numTensors;
    const biasesBefore = model.layers.flatMap((l) => l.weights.filter((w) => w.originalName.endsWith('/bias')).map((w) => Array.from(w.read().dataSync())));
    const pruner = createPruner(model);
    pruner.updateMasks(0.8);
    for (const s of kernelSparsity(model)) expect(s.zeros).toBe(s.size - keepCount(s.size, 0.8));
    const biasesAfter = model.layers.flatMap((l) => l.weights.filter((w) => w.originalName.endsWith('/bias')).map((w) => Array.from(w.read().dataSync())));
    expect(biasesAfter).toEqual(biasesBefore);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('fine-tuning holds the mask: pruned weights stay exactly zero', async () => {
    const model = smallCnn();
    const data = await trainSplit(256);
    const before = tf.memory().numTensors;
    const schedule = polynomialDecay({ initialSparsity: 0.3, finalSparsity: 0.75, beginStep: 0, endStep: 6, frequency: 2 });
    await pruneAndFineTune(model, data, { schedule, epochs: 1, batchSize: 32, seed: 3 });
    for (const s of kernelSparsity(model)) expect(s.zeros).toBe(s.size - keepCount(s.size, 0.75));
    expect(tf.memory().numTensors).toBe(before + 0);
    model.dispose();
  });

  it('structured pruning builds a genuinely smaller model with the right shapes and the same function', async () => {
    const model = smallCnn();
    const before = tf.memory().numTensors;
    const { model: small, layers } = await structuredPrune(model, 0.5);
    expect(layers).toEqual([
      { layer: 'conv_1', before: 8, after: 4 },
      { layer: 'conv_2', before: 16, after: 8 },
      { layer: 'dense_1', before: 32, after: 16 },
    ]);
    const shapes = Object.fromEntries(small.weights.map((w) => [w.originalName, w.shape]));
    expect(shapes).toEqual({
      'conv_1/kernel': [3, 3, 1, 4],
      'conv_1/bias': [4],
      'conv_2/kernel': [3, 3, 4, 8],
      'conv_2/bias': [8],
      'dense_1/kernel': [5 * 5 * 8, 16],
      'dense_1/bias': [16],
      'logits/kernel': [16, 10],
      'logits/bias': [10],
    });
    expect(small.countParams()).toBeLessThan(model.countParams() / 2);
    // Equivalence: zeroing the removed units in the original (kernel column + bias) gives the same outputs,
    // because a ReLU unit with zero weights and bias outputs 0.
    const removedUnits = (name: string, keep: number) => {
      const k = model.getLayer(name).getWeights()[0];
      const shape = k.shape;
      const out = shape[shape.length - 1];
      const v = k.dataSync();
      const norms = new Float32Array(out);
      for (let i = 0; i < v.length; i++) norms[i % out] += v[i] * v[i];
      const order = Array.from(norms, (n, i) => [n, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      return new Set(order.slice(keep).map(([, i]) => i));
    };
    for (const [name, keep] of [['conv_1', 4], ['conv_2', 8], ['dense_1', 16]] as const) {
      const drop = removedUnits(name, keep);
      const layer = model.getLayer(name);
      const [k, b] = layer.getWeights();
      const out = k.shape[k.shape.length - 1];
      const kv = Float32Array.from(k.dataSync()).map((x, i) => (drop.has(i % out) ? 0 : x));
      const bv = Float32Array.from(b.dataSync()).map((x, i) => (drop.has(i) ? 0 : x));
      const nk = tf.tensor(kv, k.shape);
      const nb = tf.tensor(bv, b.shape);
      layer.setWeights([nk, nb]);
      tf.dispose([nk, nb]);
    }
    const data = await testSplit(64);
    const a = await evaluate(model, data);
    const c = await evaluate(small, data);
    let worst = 0;
    for (let i = 0; i < a.logits.length; i++) worst = Math.max(worst, Math.abs(a.logits[i] - c.logits[i]));
    expect(worst).toBeLessThan(1e-4);
    small.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('fraction 0 keeps the model whole', async () => {
    const model = smallCnn();
    const { model: same } = await structuredPrune(model, 0);
    expect(same.countParams()).toBe(model.countParams());
    same.dispose();
    model.dispose();
  });
});
