// Unit tests for lib/model.mjs. Run them with:  node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictProba, predict, train } from '../lib/model.mjs';

test('class probabilities are positive and sum to 1', () => {
  const p = predictProba({ weights: [[1, 0], [0, 1], [-1, -1]], biases: [0, 0.5, 0] }, [0.3, -0.2]);
  assert.equal(p.length, 3);
  for (const x of p) assert.ok(x > 0);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('predict picks the most probable class', () => {
  assert.equal(predict({ weights: [[0], [5], [0]], biases: [0, 0, 0] }, [1]), 1);
});

test('training lowers the loss on separable data', () => {
  const X = [[-2], [-1.5], [1.5], [2]];
  const y = [0, 0, 1, 1];
  const { losses, model } = train(X, y, { classes: 2, epochs: 50, learningRate: 0.5 });
  assert.ok(losses.at(-1) < losses[0] / 2);
  assert.deepEqual(X.map((x) => predict(model, x)), y);
});
