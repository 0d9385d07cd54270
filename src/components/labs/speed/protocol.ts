/**
 * Messages between the speed lab's page and its Web Worker. The page starts one worker per backend variant (a wasm
 * variant can only be chosen in a fresh realm) and terminates it afterwards, so every run starts clean and
 * cancelling is as simple as terminating the worker.
 */
import type { Availability, BackendRefused, BackendSpec, BackendStarted, Environment, FirstInference, Summary, SweepPoint } from '../../../labkit/bench/index.ts';

/** The two baselines in public/models/, or the student's own uploaded LayersModel. */
export type ModelName = 'dense' | 'cnn' | 'custom';
export type VariantKind = 'baseline' | 'uint8' | 'float16' | 'sparse80' | 'structured50';

export const VARIANTS: { kind: VariantKind; label: string; note: string }[] = [
  { kind: 'baseline', label: 'float32 baseline', note: 'the committed model' },
  { kind: 'uint8', label: 'uint8 weights', note: 'tensorflowjs_converter --quantize_uint8 arithmetic; dequantized to float32 at load' },
  { kind: 'float16', label: 'float16 weights', note: 'IEEE half weights; dequantized to float32 at load' },
  { kind: 'sparse80', label: '80% sparse (unstructured)', note: 'magnitude pruning, same shapes, 80% of kernel weights zero' },
  { kind: 'structured50', label: 'structured −50%', note: 'half of each hidden layer’s units/filters removed: a smaller network' },
];

export interface RunOptions {
  budgetMs: number;
  minRuns: number;
  batchSize: number;
  /** Batch sizes swept for the baseline of each model ([] = no sweep). */
  sweep: number[];
}

export type Request =
  | { type: 'detect' }
  | {
      type: 'run';
      spec: BackendSpec;
      models: ModelName[];
      variants: VariantKind[];
      base: string;
      wasm: Record<string, string>;
      options: RunOptions;
      /** The files of the student's own model (model.json + weight files), when `models` includes 'custom'. */
      custom?: { name: string; bytes: Uint8Array }[];
    };

export interface VariantResult {
  backendId: string;
  model: ModelName;
  variant: VariantKind;
  params: number;
  /** model.json + weights, uncompressed and gzipped. */
  bytes: number;
  gzipBytes: number;
  first: FirstInference;
  batchSize: number;
  summary: Summary;
  stopReason: string;
  /** Timed samples in ms (at most 400 kept, for the strip plot). */
  samples: number[];
  sweep: SweepPoint[];
  leaked: number;
}

export interface BackendRun {
  id: string;
  label: string;
  started: BackendStarted | BackendRefused;
  results: VariantResult[];
  /** tf.memory().numTensors before the first and after the last model. */
  tensorsBefore: number;
  tensorsAfter: number;
  at: string;
  /** Variants or models that could not be measured, and why (e.g. structured pruning of an unsupported layer). */
  skipped?: string[];
}

export type Reply =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'detected'; env: Environment; backends: Availability[] }
  | { type: 'done'; run: BackendRun }
  | { type: 'error'; message: string };
