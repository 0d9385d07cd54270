/**
 * The speed lab, as data: its state (every benchmark run the student made, each with what it ran on), what it
 * measures for the acceptance criteria (labs/speed/index.mdx), its report and its evidence. Framework-free and light
 * (no tfjs): the page, the progress page and the verify page import it.
 *
 * A run is one press of "Run benchmark". For each backend it holds what the backend really was (threads tfjs used,
 * SIMD, the renderer and whether it is software), the first inference of every variant on a fresh backend, and the
 * steady-state groups: the variants of one model timed interleaved at one batch size. Comparisons between variants are
 * made only inside a group, because an interval from one run covers the noise within that run, not the drift between
 * runs; measuring the same configuration again shows how large that drift is.
 */
import { z } from '../../src/labkit/zod.ts';
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { report } from './report.ts';
import { allGroups, firstRatios, structuredPairs } from './results.ts';

export const LAB_ID = 'speed';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const ms = finite.refine((v) => v >= 0, 'must not be negative');
const count = z.number().int().nonnegative();
const kind = z.enum(['baseline', 'uint8', 'float16', 'sparse80', 'structured50']);
const stopReason = z.enum(['converged', 'budget', 'max-runs', 'cancelled']);

/** A summary as the lab keeps it: the median with its order-statistic interval, and the spread. */
const summarySchema = z.object({
  n: count,
  median: ms,
  lower: ms,
  upper: ms,
  lowerRank: count,
  upperRank: count,
  coverage: z.number().min(0).max(1),
  p25: ms,
  p75: ms,
  p95: ms,
  min: ms,
  max: ms,
});
export type KeptSummary = z.infer<typeof summarySchema>;

const steadyRowSchema = z.object({
  variant: kind,
  params: count,
  /** Every timed run, in ms, in the order it ran (rounded to 0.1 µs). */
  samples: z.array(ms).max(2000),
  summary: summarySchema,
  stopReason,
});
export type SteadyRow = z.infer<typeof steadyRowSchema>;

const groupSchema = z.object({
  /** The model the variants were made from: `dense`, `cnn` or `upload:<file name>`. */
  model: z.string().min(1).max(120),
  batch: z.number().int().positive(),
  /** The variants timed together: one run of each per round, in a rotating order. */
  rows: z.array(steadyRowSchema).min(1).max(10),
  /** The baseline alone at each batch size of the sweep (median per batch). */
  sweep: z.array(z.object({ batch: z.number().int().positive(), summary: summarySchema, stopReason })).max(20),
  /** Tensors left in memory after the group (should be 0). */
  leaked: z.number().int(),
});
export type Group = z.infer<typeof groupSchema>;

const firstSchema = z.object({
  model: z.string().min(1).max(120),
  variant: kind,
  /** Starting the backend in the fresh worker, loading the model, the first predict() (warm-up) and the next one. */
  initMs: ms,
  loadMs: ms,
  warmupMs: ms,
  firstPredictionMs: ms,
});
export type FirstRow = z.infer<typeof firstSchema>;

const backendSchema = z.object({
  /** The backend variant asked for: 'cpu', 'wasm', 'wasm-simd', 'wasm-simd-threads', 'webgl', 'webgpu'. */
  id: z.string().regex(/^(cpu|webgl|webgpu|wasm(-simd)?(-threads)?)$/, 'is not a backend this lab knows'),
  backend: z.enum(['cpu', 'wasm', 'webgl', 'webgpu']),
  /** Threads tfjs really used for the kernels (wasm: getThreadsCount()); null on a GPU backend. */
  threads: z.number().int().positive().nullable(),
  simd: z.boolean().nullable(),
  threadsRequested: z.number().int().positive().optional(),
  renderer: z.string().max(300).optional(),
  software: z.boolean().optional(),
  /** Why this backend could not run, or stopped part of the way. */
  error: z.string().max(2000).optional(),
  first: z.array(firstSchema).max(40),
  groups: z.array(groupSchema).max(10),
});
export type BackendRun = z.infer<typeof backendSchema>;

const variantInfoSchema = z.object({ model: z.string().min(1).max(120), variant: kind, params: count, bytes: z.number().int().positive(), gzipBytes: z.number().int().positive() });
export type VariantInfo = z.infer<typeof variantInfoSchema>;

const runSchema = z.object({
  id: z.string().min(1).max(60),
  at: z.string(),
  settings: z.object({ budgetMs: z.number().positive(), batch: z.number().int().positive(), sweep: z.array(z.number().int().positive()).max(20) }),
  /** The variants of each model, as built for this run, with their download sizes. */
  variants: z.array(variantInfoSchema).max(40),
  backends: z.array(backendSchema).max(10),
  /** Variants or models that could not be built, and why. */
  skipped: z.array(z.string().max(2000)).max(40),
  /** The summaries were computed with the student's own functions (their export names). */
  studentCode: z.array(z.string()).optional(),
  restoredAt: z.string().optional(),
});
export type Run = z.infer<typeof runSchema>;

const stateSchema = z.object({ runs: z.array(runSchema).max(60) });
export type SpeedState = z.infer<typeof stateSchema>;

function measure(state: SpeedState): Measured {
  const out: Measured = {};
  const groups = allGroups(state);
  const families = new Set(groups.filter((g) => g.group.rows.some((r) => r.summary.n >= 30)).map((g) => g.backend.backend));
  if (groups.length) out['backends.with30Runs'] = { value: families.size };
  const sweeps = groups.filter((g) => g.group.sweep.length >= 2);
  if (sweeps.length) out['sweep.maxBatch'] = { value: Math.max(...sweeps.flatMap((g) => g.group.sweep.map((p) => p.batch))) };
  const pairs = structuredPairs(state);
  if (pairs.length) {
    out['structured.fasterDisjoint'] = { value: pairs.filter((p) => p.faster).length };
    out['structured.bestMedianRatio'] = { value: Math.min(...pairs.map((p) => p.ratio)) };
  }
  // Worst case over every backend and model measured: one fresh start per variant is a single sample, and picking the
  // most favourable of several would reward noise.
  const ratios = firstRatios(state, 'uint8');
  if (ratios.length) out['ttfp.uint8Ratio'] = { value: Math.max(...ratios.map((r) => r.ratio)) };
  return out;
}

export const speed = defineLab<SpeedState>({
  id: LAB_ID,
  version: 1,
  quantities: {
    'backends.with30Runs': { describe: 'backend families (cpu, wasm, webgl, webgpu) with at least 30 timed runs of a model', unit: 'backends', min: 0, max: 4 },
    'sweep.maxBatch': { describe: 'the largest batch size of a batch sweep', unit: 'samples per batch', min: 1, max: 4096 },
    'structured.fasterDisjoint': { describe: 'interleaved runs where the structurally pruned model’s 95% interval lies below its baseline’s', unit: 'pairs', min: 0 },
    'structured.bestMedianRatio': { describe: 'the lowest median of a structurally pruned model over its baseline’s, in the same interleaved run', unit: '× baseline median', min: 0 },
    'ttfp.uint8Ratio': { describe: 'time to first prediction on 3G of uint8 weights over float32, each on a fresh backend (the worst backend)', unit: '× float32', min: 0 },
  },
  empty: () => ({ runs: [] }),
  parse: (value) => parseWith(stateSchema)(value),
  measure,
  merge(stored, mine) {
    const byId = new Map([...stored.runs, ...mine.runs].map((r) => [r.id, r]));
    return { runs: [...byId.values()].sort((a, b) => a.at.localeCompare(b.at)) };
  },
  markRestored(state, at) {
    return { runs: state.runs.map((r) => ({ ...r, restoredAt: r.restoredAt ?? at })) };
  },
  report,
});
export default speed;
