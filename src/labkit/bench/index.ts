/**
 * The speed lab's benchmark harness: statistics, the adaptive stopping rule, timer resolution, backend detection and
 * set-up, environment capture, and model benchmarks (first inference, steady state, batch sweep, time to first
 * prediction). Framework-free; runs in a page, a Web Worker and Node.
 */
export * from '../stats/samples.ts';
export * from './adaptive.ts';
export * from './timer.ts';
export * from './backends.ts';
export * from './environment.ts';
export * from './harness.ts';
