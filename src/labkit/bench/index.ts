/**
 * The speed lab's benchmark harness: statistics, the adaptive stopping rule, timer resolution, backend detection and
 * set-up, environment capture, model benchmarks (first inference, steady state, batch sweep) and time to first
 * prediction. Framework-free; runs in a page, a Web Worker and Node. Only setup.ts and harness.ts load tfjs; a page
 * that must stay light imports the other modules directly.
 */
export * from '../stats/samples.ts';
export * from './adaptive.ts';
export * from './timer.ts';
export * from './backends.ts';
export * from './setup.ts';
export * from './environment.ts';
export * from './harness.ts';
export * from './networks.ts';
