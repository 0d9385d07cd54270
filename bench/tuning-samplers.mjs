// The samplers on known functions, with more seeds than the unit tests afford (src/labkit/tuning/study.test.ts):
// TPE's median best after 50 trials against random search's after 100 on a 1-D quadratic and on Branin, and how often
// the GP sampler comes within 0.1 of Branin's minimum (0.397887) in at most 40 evaluations.
// Usage: node bench/tuning-samplers.mjs [seeds=100] [gpSeeds=50]
import { GPSampler } from '../src/labkit/tuning/gp.ts';
import { NopPruner } from '../src/labkit/tuning/pruners.ts';
import { RandomSampler, TPESampler } from '../src/labkit/tuning/samplers.ts';
import { runStudy, SimulatedClock, Study } from '../src/labkit/tuning/study.ts';
import { wilson } from '../src/labkit/stats/proportions.ts';

const seeds = Number(process.argv[2] ?? 100);
const gpSeeds = Number(process.argv[3] ?? 50);
const branin = (x1, x2) => (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
const objectives = {
  'quadratic (x − 2)², x ∈ [−10, 10]': (t) => (t.suggestFloat('x', -10, 10) - 2) ** 2,
  'Branin, x1 ∈ [−5, 10], x2 ∈ [0, 15]': (t) => branin(t.suggestFloat('x1', -5, 10), t.suggestFloat('x2', 0, 15)),
};

/** Best value after each trial. */
async function trace(sampler, objective, n) {
  const study = new Study({ name: 'bench', sampler, pruner: new NopPruner() });
  await runStudy({ study, objective, context: () => ({}), nTrials: n, workers: 1, clock: new SimulatedClock(), stuckMs: 5000 });
  let best = Infinity;
  return study.trials.map((t) => (best = Math.min(best, t.value ?? Infinity)));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [name, objective] of Object.entries(objectives)) {
  const t0 = performance.now();
  const tpe = [];
  const random = [];
  for (let s = 0; s < seeds; s++) {
    tpe.push((await trace(new TPESampler({ seed: s }), objective, 50)).at(-1));
    random.push((await trace(new RandomSampler(s + 10_000), objective, 100)).at(-1));
  }
  const wins = tpe.filter((v, i) => v <= random[i]).length;
  console.log(`${name}: median best, TPE after 50 trials ${median(tpe).toPrecision(4)}, random search after 100 ${median(random).toPrecision(4)}; TPE at least as good in ${wins} of ${seeds} seeds (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

const t0 = performance.now();
const needed = [];
for (let s = 0; s < gpSeeds; s++) {
  const best = await trace(new GPSampler({ seed: s }), objectives['Branin, x1 ∈ [−5, 10], x2 ∈ [0, 15]'], 40);
  const k = best.findIndex((v) => v - 0.397887 <= 0.1);
  needed.push(k < 0 ? Infinity : k + 1);
}
const within = needed.filter(Number.isFinite).length;
const w = wilson(within, gpSeeds);
console.log(`GP sampler on Branin: within 0.1 of the minimum in ≤ 40 evaluations in ${within} of ${gpSeeds} seeds (${((within / gpSeeds) * 100).toFixed(0)}%, 95% CI ${(w.lower * 100).toFixed(0)}–${(w.upper * 100).toFixed(0)}%); median evaluations needed ${median(needed)}; ${((performance.now() - t0) / gpSeeds / 1000).toFixed(2)} s per 40-trial study`);
