/**
 * The search space the tuning lab's benchmark measured (scripts/tuning-benchmark.mjs), in the order its runs are
 * stored: configuration index = ((lr × hidden) × batch) × l2, row-major over the lists below.
 */
import type { MlpConfig } from './config.ts';

export const BENCHMARK_SPACE = {
  /** Adam's learning rate is 10^log10_lr. */
  log10_lr: [-3, -2.5, -2, -1.5, -1, -0.5],
  hidden: [16, 32, 64],
  batch: [16, 64],
  l2: [0, 0.0001, 0.001],
} as const;

export type BenchmarkParam = keyof typeof BENCHMARK_SPACE;
export const BENCHMARK_PARAMS = Object.keys(BENCHMARK_SPACE) as BenchmarkParam[];
export const BENCHMARK_EPOCHS = 9;
export const BENCHMARK_SEEDS = [1, 2, 3];

export const configCount = () => BENCHMARK_PARAMS.reduce((n, p) => n * BENCHMARK_SPACE[p].length, 1);

/** The index of each parameter's value in its list, for configuration `index`. */
export function configIndices(index: number): number[] {
  const out: number[] = [];
  for (const p of [...BENCHMARK_PARAMS].reverse()) {
    const n = BENCHMARK_SPACE[p].length;
    out.unshift(index % n);
    index = Math.floor(index / n);
  }
  return out;
}

export function configAt(index: number): MlpConfig {
  const [a, b, c, d] = configIndices(index) as [number, number, number, number];
  return { lr: 10 ** BENCHMARK_SPACE.log10_lr[a]!, hidden: BENCHMARK_SPACE.hidden[b]!, batch: BENCHMARK_SPACE.batch[c]!, l2: BENCHMARK_SPACE.l2[d]! };
}
