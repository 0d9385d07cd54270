/**
 * What the speed lab's page and its workers exchange, and the settings every measurement is made with. Free of tfjs:
 * the page imports it.
 */
import { ADAPTIVE_DEFAULTS, DEFAULT_SWEEP, SWEEP_DEFAULTS } from '../../src/labkit/bench/adaptive.ts';
import type { BackendSpec } from '../../src/labkit/bench/backends.ts';
import type { UploadedFile } from '../../src/labkit/ml/artifacts.ts';

export type VariantKind = 'baseline' | 'uint8' | 'float16' | 'sparse80' | 'structured50';

export const VARIANTS: { kind: VariantKind; label: string; short: string; note: string }[] = [
  { kind: 'baseline', label: 'float32 baseline', short: 'float32', note: 'the committed model' },
  { kind: 'uint8', label: 'uint8 weights', short: 'uint8', note: 'tensorflowjs_converter --quantize_uint8 arithmetic; dequantized to float32 at load' },
  { kind: 'float16', label: 'float16 weights', short: 'float16', note: 'IEEE half weights; dequantized to float32 at load' },
  { kind: 'sparse80', label: '80% sparse (unstructured)', short: 'sparse 80%', note: 'magnitude pruning, same shapes, 80% of kernel weights zero' },
  { kind: 'structured50', label: 'structured −50%', short: 'struct −50%', note: 'half of each hidden layer’s units/filters removed: a smaller network' },
];

export const variantLabel = (kind: string) => VARIANTS.find((v) => v.kind === kind)?.label ?? kind;
export const variantShort = (kind: string) => VARIANTS.find((v) => v.kind === kind)?.short ?? kind;

/** A committed baseline, or the student's own model (model.json with its weight files, e.g. from a zip). */
export type ModelChoice = { key: 'dense' | 'cnn' } | { key: `upload:${string}`; files: UploadedFile[] };

export const modelLabel = (key: string) => (key.startsWith('upload:') ? `your model (${key.slice(7)})` : key === 'dense' ? 'dense (MLP)' : key === 'cnn' ? 'CNN' : key);

/** One variant of one model, ready to load: built once per run (on the cpu backend), then sent to every worker. */
export interface PreparedVariant {
  model: string;
  kind: VariantKind;
  params: number;
  /** model.json text, and the weights. */
  json: string;
  weights: Uint8Array;
  /** What a browser downloads (model.json + weights), uncompressed and gzipped. */
  bytes: number;
  gzipBytes: number;
}

export interface Prepared {
  variants: PreparedVariant[];
  /** Variants that could not be built, and why (structured pruning of an unsupported layer, a broken upload). */
  skipped: string[];
}

/** The student's own functions from the coding track, by export name (only those whose tests all pass, switched on). */
export type StudentCode = { quantileSorted?: string; medianCISorted?: string };

/** What every worker needs to start tfjs: the site's base URL and the wasm binaries' URLs (bundled by the page). */
export interface WorkerSetup {
  base: string;
  wasm: Record<string, string>;
}

export interface RunSettings {
  /** Soft time budget per variant for the steady state, in ms. */
  budgetMs: number;
  batch: number;
  /** Batch sizes swept for each baseline; [] for none. */
  sweep: number[];
}

export interface RunPlan extends RunSettings {
  backends: BackendSpec[];
  models: ModelChoice[];
  variants: VariantKind[];
  code: StudentCode;
}

export const BUDGETS = [
  { ms: 500, label: 'quick (0.5 s per variant)' },
  { ms: 2000, label: 'standard (2 s per variant)' },
  { ms: 6000, label: 'thorough (6 s per variant)' },
];
export const BATCHES = [1, 8, 32, 128];
export const SWEEP = DEFAULT_SWEEP;

/** The steady state's stopping rule: the one place its numbers are set (the page, the worker and the report read it). */
export const STEADY = {
  warmup: ADAPTIVE_DEFAULTS.warmup,
  minRuns: ADAPTIVE_DEFAULTS.minRuns,
  maxRuns: ADAPTIVE_DEFAULTS.maxRuns,
  targetRelHalfWidth: ADAPTIVE_DEFAULTS.targetRelHalfWidth,
};

/** Each batch size of the sweep: its own short adaptive run. */
export const sweepOptions = (budgetMs: number) => ({ ...SWEEP_DEFAULTS, budgetMs: Math.max(250, budgetMs / 3) });

/** What a stop reason means, for the page and the report. */
export const STOP_REASONS: Record<string, string> = {
  converged: `the 95% interval of every interleaved variant's median was within ±${STEADY.targetRelHalfWidth * 100}% of it (after at least ${STEADY.minRuns} runs)`,
  budget: `the time budget was spent (after at least ${STEADY.minRuns} runs, unless four times the budget ran out first)`,
  'max-runs': `the cap of ${STEADY.maxRuns.toLocaleString('en')} timed runs per variant was reached before the interval was narrow enough (very fast models on a coarse clock)`,
  cancelled: 'cancelled',
};

/** The network the criterion on time to first prediction uses. */
export const TTFP_NETWORK = '3g';
