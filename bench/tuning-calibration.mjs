// Calibrates the tuning lab's criteria on the shipped benchmark: replays the starter study file
// (labs/tuning/starter/study.mjs) with each strategy over many seeds and prints, per strategy, the share of seeds whose
// chosen configuration is truly within 1 pp of the best, its Wilson interval, the epochs as a share of a full grid,
// the duplicates, and the differences the criteria compare (with Newcombe's interval).
// Usage: node bench/tuning-calibration.mjs [seeds=200]
import { readFileSync } from 'node:fs';
import { benchmark } from '../labs/tuning/benchmark.ts';
import { loadStudyModule } from '../labs/tuning/objective.ts';
import { compareStrategies } from '../labs/tuning/replay.ts';
import { comparisonRecord } from '../labs/tuning/records.ts';
import { rateDifferencePp, summarise } from '../labs/tuning/compare.ts';
import { strategyLabel } from '../labs/tuning/strategy.ts';

const seeds = Number(process.argv[2] ?? 200);
const source = readFileSync(new URL('../labs/tuning/starter/study.mjs', import.meta.url), 'utf8');
const module = await loadStudyModule(source);
const gridSize = Object.values(module.grid).reduce((n, v) => n * v.length, 1);
const strategies = process.argv[3] === 'grid' ? [
  { sampler: 'grid', pruner: 'none', trials: gridSize, workers: 1 },
  { sampler: 'random', pruner: 'none', trials: gridSize, workers: 1 },
  { sampler: 'random', pruner: 'none', trials: 30, workers: 1 },
  { sampler: 'tpe', pruner: 'none', trials: 30, workers: 1 },
  { sampler: 'tpe-dedup', pruner: 'none', trials: 30, workers: 1 },
] : [
  { sampler: 'grid', pruner: 'none', trials: gridSize, workers: 1 },
  { sampler: 'random', pruner: 'none', trials: gridSize, workers: 1 },
  { sampler: 'random', pruner: 'none', trials: 30, workers: 1 },
  { sampler: 'tpe', pruner: 'none', trials: 30, workers: 1 },
  { sampler: 'tpe-dedup', pruner: 'none', trials: 30, workers: 1 },
  { sampler: 'random', pruner: 'asha', trials: 60, workers: 1 },
  { sampler: 'random', pruner: 'asha', trials: 80, workers: 1 },
  { sampler: 'tpe-dedup', pruner: 'asha', trials: 60, workers: 1 },
  { sampler: 'random', pruner: 'hyperband', trials: 60, workers: 1 },
  { sampler: 'random', pruner: 'asha', trials: 80, workers: 4 },
];
const t0 = performance.now();
const results = await compareStrategies({ module, strategies, firstSeed: 1, seeds, benchmark });
const c = comparisonRecord({ id: 'calibration', createdAt: '', source: 'starter', firstSeed: 1, seeds, bestTruth: benchmark.bestTruth, gridEpochs: benchmark.gridEpochs, results });
console.log(`${seeds} seeds per strategy, ${((performance.now() - t0) / 1000).toFixed(1)} s; best true error ${(benchmark.bestTruth * 100).toFixed(2)}%, ${benchmark.truths.filter((t) => t <= benchmark.bestTruth + 0.01 + 1e-12).length} configurations within 1 pp`);
console.log('strategy | within 1 pp % (95% CI) | median true error % | epochs % of grid | trials/seed | duplicates % | pruned %');
for (const s of c.strategies) {
  const m = summarise(c, s);
  console.log(`${strategyLabel(s.strategy)} | ${(m.rate * 100).toFixed(1)} (${(m.lower * 100).toFixed(1)}–${(m.upper * 100).toFixed(1)}) | ${(m.medianTruth * 100).toFixed(2)} | ${(m.epochShare * 100).toFixed(1)} | ${m.trialsPerSeed.toFixed(1)} | ${(m.duplicateShare * 100).toFixed(1)} | ${(m.prunedShare * 100).toFixed(1)}`);
}
const pp = (d) => `${d.value.toFixed(1)} pp (${d.lower.toFixed(1)} to ${d.upper.toFixed(1)})`;
const [grid, random18, random30, tpe30, dedup30] = c.strategies;
console.log(`random − grid at ${gridSize} trials: ${pp(rateDifferencePp(c, random18, grid))}`);
console.log(`TPE de-duplicated − random at 30 trials: ${pp(rateDifferencePp(c, dedup30, random30))}`);
console.log(`plain TPE − random at 30 trials: ${pp(rateDifferencePp(c, tpe30, random30))}`);
