// model.mjs: softmax (multinomial logistic) regression, trained by full-batch gradient descent. Plain JavaScript.

/** Class probabilities for one row x, given weights W (classes x features) and biases b. */
export function predictProba({ weights, biases }, x) {
  const logits = weights.map((w, k) => biases[k] + w.reduce((s, wj, j) => s + wj * x[j], 0));
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export function predict(model, x) {
  const p = predictProba(model, x);
  return p.indexOf(Math.max(...p));
}

/**
 * Train on X (rows of numbers) and y (class indices 0..classes-1). Starts from zero weights, so the result
 * depends only on the data and the settings. Returns the model and its training loss per epoch.
 */
export function train(X, y, { classes, epochs, learningRate, l2 = 0.001 }) {
  const d = X[0].length;
  const weights = Array.from({ length: classes }, () => new Array(d).fill(0));
  const biases = new Array(classes).fill(0);
  const model = { weights, biases };
  const losses = [];
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    const gradW = Array.from({ length: classes }, () => new Array(d).fill(0));
    const gradB = new Array(classes).fill(0);
    let loss = 0;
    X.forEach((x, i) => {
      const p = predictProba(model, x);
      loss -= Math.log(Math.max(p[y[i]], 1e-12));
      for (let k = 0; k < classes; k += 1) {
        const g = p[k] - (k === y[i] ? 1 : 0);
        gradB[k] += g;
        for (let j = 0; j < d; j += 1) gradW[k][j] += g * x[j];
      }
    });
    for (let k = 0; k < classes; k += 1) {
      biases[k] -= (learningRate * gradB[k]) / X.length;
      for (let j = 0; j < d; j += 1) weights[k][j] -= learningRate * (gradW[k][j] / X.length + l2 * weights[k][j]);
    }
    losses.push(loss / X.length);
  }
  return { model, losses };
}

/** Accuracy and confusion matrix (rows: true class, columns: predicted class). */
export function evaluate(model, X, y, classes) {
  const confusion = Array.from({ length: classes }, () => new Array(classes).fill(0));
  let correct = 0;
  X.forEach((x, i) => {
    const guess = predict(model, x);
    confusion[y[i]][guess] += 1;
    if (guess === y[i]) correct += 1;
  });
  return { accuracy: correct / X.length, n: X.length, confusion };
}
