// Your study: the search space and the objective, written as in Optuna (define-by-run). Every trial calls
// objective(trial, lab); each trial.suggest… call asks the sampler for a value. `train(config)` trains the lab's
// network (784 → hidden → 10 on 2,000 MNIST images): in a replay it looks the epoch up in the benchmark, in a live
// study it really trains, in a worker of its own. `run.epoch()` gives the validation error after one more epoch.

export const direction = 'minimize'; // the objective is an error: lower is better

export async function objective(trial, { train, TrialPruned, maxEpochs }) {
  const lr = 10 ** trial.suggestFloat('log10_lr', -3, -0.5, { step: 0.5 }); // Adam's learning rate, 0.001 … 0.316
  const hidden = trial.suggestCategorical('hidden', [16, 32, 64]);
  const batch = trial.suggestCategorical('batch', [16, 64]);
  const l2 = trial.suggestCategorical('l2', [0, 0.0001, 0.001]);

  const run = train({ lr, hidden, batch, l2 });
  const errors = [];
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const error = await run.epoch(); // 0.12 means 12% of the 1,000 validation images are wrong
    errors.push(error);
    trial.report(error, epoch);
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  // One epoch's error jumps by a point or two from epoch to epoch: the mean of the last three is steadier.
  const last = errors.slice(-3);
  return last.reduce((a, b) => a + b, 0) / last.length;
}

// The grid for grid search (Optuna's GridSampler search space): every combination is one trial. A first grid often
// takes the low and the high end of each parameter: 2 × 2 × 2 × 2 = 16 trials.
export const grid = {
  log10_lr: [-3, -1],
  hidden: [16, 64],
  batch: [16, 64],
  l2: [0, 0.001],
};
