/**
 * The quantize-and-prune lab, as data: its state (every variant of every model the student made), what it measures
 * for the acceptance criteria (labs/quantize-prune/index.mdx), its report and its evidence. Framework-free and
 * light (no tfjs): the page, the progress page and the verify page import it.
 *
 * Every accuracy is kept as the per-image outcome on the 5,000 test images, so any two variants of a model are
 * compared on the same images: a drop is the paired difference with its 95% interval (Newcombe) and an exact McNemar
 * p-value, never a bare 0.01 pp difference. Pruned variants are compared with their control: the baseline fine-tuned
 * for the same epochs on the same images without pruning, so extra training cannot pass for "pruning is free".
 */
import { z } from '../../src/labkit/zod.ts';
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { labFiles } from '../../src/labkit/lab/blobs.ts';
import { TEST_IMAGES, accuracyOf, baselineOf, dropPp, models, type Drop } from './compare.ts';
import { formatNumber } from '../../src/labkit/report/criteria.ts';
import type { ReportTable } from '../../src/labkit/report/report.ts';
import { qpCharts } from './charts.ts';

export const LAB_ID = 'quantize-prune';

const perLayer = z.object({ layer: z.string(), size: z.number().int().nonnegative(), zeros: z.number().int().nonnegative(), sparsity: z.number().min(0).max(1) });
const timing = z.object({
  backend: z.string(),
  threads: z.number().int().positive().optional(),
  batch: z.number().int().positive(),
  runs: z.number().int().positive(),
  median: z.number().positive(),
  lower: z.number().positive(),
  upper: z.number().positive(),
});

const variantSchema = z.object({
  id: z.string().min(1).max(80),
  /** The model the variant was made from: `dense`, `cnn`, or `upload:<file name>`. */
  model: z.string().min(1).max(120),
  name: z.string().min(1).max(200),
  kind: z.enum(['baseline', 'quantized', 'pruned', 'pruned+quantized', 'control', 'structured', 'experiment']),
  recipe: z.record(z.string(), z.unknown()),
  params: z.number().int().nonnegative(),
  rawBytes: z.number().int().positive().nullable(),
  gzipBytes: z.number().int().positive().nullable(),
  /** Right or wrong on each test image, packed (stats/outcomes.ts). */
  correct: z.string().max(4000),
  agreement: z.number().min(0).max(1),
  maxLogitDiff: z.number().nonnegative(),
  sparsity: z.number().min(0).max(1).optional(),
  perLayer: z.array(perLayer).max(200).optional(),
  /** Structured pruning: this variant and the baseline timed interleaved on the same backend. */
  timing: z.object({ variant: timing, baseline: timing }).optional(),
  /** Pruned variants: the id of their control (the baseline fine-tuned the same way without pruning). */
  control: z.string().optional(),
  /** Pruned + quantized: the pruned variant it was made from. */
  from: z.string().optional(),
  exportable: z.boolean(),
  backend: z.string().max(40),
  note: z.string().max(2000).optional(),
  createdAt: z.string(),
  restoredAt: z.string().optional(),
  /** Built with the student's own function from the coding track (its id). */
  studentCode: z.array(z.string()).optional(),
});
export type Variant = z.infer<typeof variantSchema>;

const sweepSchema = z.object({
  id: z.string(),
  model: z.string(),
  scope: z.enum(['per-tensor', 'global']),
  baselineAccuracy: z.number().min(0).max(1),
  points: z.array(z.object({ sparsity: z.number().min(0).max(1), accuracy: z.number().min(0).max(1), perLayer: z.array(perLayer) })).max(50),
  createdAt: z.string(),
  restoredAt: z.string().optional(),
});
export type Sweep = z.infer<typeof sweepSchema>;

const stateSchema = z.object({ variants: z.array(variantSchema).max(300), sweeps: z.array(sweepSchema).max(40) });
export type QpState = z.infer<typeof stateSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Inputs: checked before any work starts, with a message that names the field.

export interface PruneOptions {
  target: number;
  scope: 'per-tensor' | 'global';
  schedule: 'constant' | 'polynomial';
  initialSparsity: number;
  power: number;
  frequency: number;
  /** End step as a fraction of all fine-tuning steps (polynomial decay). */
  endFraction: number;
  epochs: number;
  trainImages: number;
  quantizeAfter: boolean;
}

export const DEFAULT_PRUNE: PruneOptions = { target: 0.8, scope: 'global', schedule: 'polynomial', initialSparsity: 0.5, power: 3, frequency: 10, endFraction: 0.5, epochs: 3, trainImages: 10000, quantizeAfter: true };

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

const finite = (v: number) => typeof v === 'number' && Number.isFinite(v);

export function checkPrune(o: PruneOptions): FieldErrors<PruneOptions> {
  const e: FieldErrors<PruneOptions> = {};
  if (!finite(o.target) || o.target <= 0 || o.target >= 1) e.target = 'Target sparsity must be above 0 and below 1 (0.8 is 80% zeros).';
  if (o.schedule === 'polynomial') {
    if (!finite(o.initialSparsity) || o.initialSparsity < 0 || o.initialSparsity >= 1) e.initialSparsity = 'Initial sparsity must be from 0 up to (not including) 1.';
    else if (finite(o.target) && o.initialSparsity > o.target) e.initialSparsity = 'Initial sparsity must not exceed the target: the schedule ramps up, not down.';
    if (!finite(o.power) || o.power < 1 || o.power > 10) e.power = 'Power must be from 1 to 10 (3 is the TF MOT default).';
    if (!finite(o.endFraction) || o.endFraction <= 0 || o.endFraction > 1) e.endFraction = 'The end step must be a fraction of training above 0 and at most 1.';
  }
  if (!Number.isInteger(o.frequency) || o.frequency < 1 || o.frequency > 1000) e.frequency = 'Frequency must be a whole number of steps from 1 to 1000.';
  if (!Number.isInteger(o.epochs) || o.epochs < 1 || o.epochs > 20) e.epochs = 'Fine-tuning needs from 1 to 20 whole epochs: with 0 the target sparsity is never reached.';
  if (!Number.isInteger(o.trainImages) || o.trainImages < 500 || o.trainImages > 10000) e.trainImages = 'Use from 500 to 10,000 training images.';
  return e;
}

export interface StructuredOptions {
  fraction: number;
  epochs: number;
}

export function checkStructured(o: StructuredOptions): FieldErrors<StructuredOptions> {
  const e: FieldErrors<StructuredOptions> = {};
  if (!finite(o.fraction) || o.fraction <= 0 || o.fraction > 0.9) e.fraction = 'Remove a fraction above 0 and at most 0.9 of each hidden layer’s units or filters.';
  if (!Number.isInteger(o.epochs) || o.epochs < 0 || o.epochs > 20) e.epochs = 'Fine-tuning epochs must be a whole number from 0 to 20.';
  return e;
}

/** A warning before a run that will work but probably not as the student hopes. */
export function structuredWarning(o: StructuredOptions): string | null {
  if (o.fraction > 0.75) return `Removing ${Math.round(o.fraction * 100)}% of every hidden layer leaves very little of the model; expect a large accuracy loss.`;
  if (o.epochs === 0) return 'Without fine-tuning, the smaller model keeps the surviving weights as they were; expect a clear accuracy loss.';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Names that say what a variant is, from what was measured.

const pct = (x: number, d = 0) => `${(x * 100).toFixed(d)}%`;

export function prunedName(o: PruneOptions, measuredSparsity: number): string {
  const reached = Math.abs(measuredSparsity - o.target) < 0.005 ? pct(o.target) : `${pct(measuredSparsity, 1)} (target ${pct(o.target)})`;
  return `pruned to ${reached}, ${o.scope} threshold, ${o.schedule} schedule, ${o.epochs} epoch${o.epochs === 1 ? '' : 's'}`;
}

export const controlName = (epochs: number, images: number) => `control: baseline fine-tuned ${epochs} epoch${epochs === 1 ? '' : 's'} on ${images.toLocaleString('en')} images, no pruning`;

// ---------------------------------------------------------------------------------------------------------------

/** The upper end matters for "at most" criteria: pick the candidate whose upper bound is lowest. */
const bestUpper = <T extends { drop: Drop }>(xs: T[]) => xs.sort((a, b) => (a.drop.upper ?? a.drop.value) - (b.drop.upper ?? b.drop.value))[0];

export function measureModel(state: QpState, model: string): Measured {
  const out: Measured = {};
  const base = baselineOf(state, model);
  if (!base?.rawBytes || !base.gzipBytes) return out;
  const of = (kind: Variant['kind']) => state.variants.filter((v) => v.model === model && v.kind === kind);
  const whole = (dtype: string) => of('quantized').filter((v) => v.recipe.dtype === dtype && v.recipe.layers === 'all' && v.rawBytes);
  const u8 = bestUpper(whole('uint8').map((v) => ({ v, drop: dropPp(base, v) })));
  if (u8) {
    out['uint8.rawRatio'] = { value: u8.v.rawBytes! / base.rawBytes };
    out['uint8.accuracyDropPp'] = u8.drop;
  }
  const f16 = bestUpper(whole('float16').map((v) => ({ v, drop: dropPp(base, v) })));
  if (f16) out['float16.accuracyDropPp'] = f16.drop;
  const control = (v: Variant) => state.variants.find((c) => c.id === v.control && c.kind === 'control');
  const p80 = bestUpper(
    of('pruned')
      .filter((v) => (v.sparsity ?? 0) >= 0.7995 && v.gzipBytes && control(v))
      .map((v) => ({ v, drop: dropPp(control(v)!, v) })),
  );
  if (p80) {
    out['pruned80.accuracyDropPp'] = p80.drop;
    out['pruned80.gzipRatio'] = { value: p80.v.gzipBytes! / base.gzipBytes };
  }
  // Pruned + uint8: the variant closest to passing both targets (1/12 of the gzipped baseline, at most 1 pp).
  const pq = of('pruned+quantized')
    .filter((v) => v.gzipBytes && control(v))
    .map((v) => ({ v, drop: dropPp(control(v)!, v), ratio: v.gzipBytes! / base.gzipBytes! }))
    .sort((a, b) => Math.max(a.ratio * 12, a.drop.upper ?? a.drop.value) - Math.max(b.ratio * 12, b.drop.upper ?? b.drop.value))[0];
  if (pq) {
    out['prunedUint8.gzipRatio'] = { value: pq.ratio };
    out['prunedUint8.accuracyDropPp'] = pq.drop;
  }
  return out;
}

/** Over all models: for each quantity, the model with the most favourable value (a criterion is met by any model). */
function measure(state: QpState): Measured {
  const out: Measured = {};
  for (const model of models(state)) {
    for (const [k, e] of Object.entries(measureModel(state, model))) {
      const mine = e.upper ?? e.value;
      const theirs = out[k] ? (out[k]!.upper ?? out[k]!.value) : Infinity;
      if (mine < theirs) out[k] = { value: e.value, ...(e.lower !== undefined ? { lower: e.lower, upper: e.upper } : {}) };
    }
  }
  return out;
}

const modelLabel = (model: string) => (model.startsWith('upload:') ? `your model (${model.slice(7)})` : `${model} baseline`);

function report(state: QpState) {
  const tables: ReportTable[] = [];
  for (const model of models(state)) {
    const base = baselineOf(state, model);
    const vs = state.variants.filter((v) => v.model === model);
    tables.push({
      title: `Variants of the ${modelLabel(model)} (${TEST_IMAGES.toLocaleString('en')} test images)`,
      columns: ['id', 'variant', 'raw bytes', 'gzipped bytes', 'gzip vs float32', 'accuracy % (95% CI)', 'drop vs baseline pp (95% CI)', 'McNemar p', 'drop vs control pp (95% CI)', 'agreement %', 'sparsity %', 'backend', 'origin'],
      rows: vs.map((v) => {
        const acc = accuracyOf(v);
        const d = base && v !== base ? dropPp(base, v) : null;
        const ctl = state.variants.find((c) => c.id === v.control);
        const dc = ctl ? dropPp(ctl, v) : null;
        return [
          v.id,
          v.name,
          v.rawBytes,
          v.gzipBytes,
          v.gzipBytes && base?.gzipBytes ? `1/${(base.gzipBytes / v.gzipBytes).toFixed(2)}` : null,
          `${formatNumber(acc.value * 100)} (${formatNumber(acc.lower! * 100)}–${formatNumber(acc.upper! * 100)})`,
          d ? `${formatNumber(d.value)} (${formatNumber(d.lower!)} to ${formatNumber(d.upper!)})` : null,
          d ? formatNumber(d.p) : null,
          dc ? `${formatNumber(dc.value)} (${formatNumber(dc.lower!)} to ${formatNumber(dc.upper!)}) vs ${ctl!.id}` : null,
          v.agreement * 100,
          v.sparsity === undefined ? null : v.sparsity * 100,
          v.backend,
          v.restoredAt ? 'restored' : v.studentCode?.length ? `measured, with your ${v.studentCode.join(', ')}` : 'measured',
        ];
      }),
    });
    const timed = vs.filter((v) => v.timing);
    if (timed.length) {
      tables.push({
        title: `Inference time, structured pruning vs the baseline (${modelLabel(model)})`,
        columns: ['variant', 'backend', 'threads', 'batch', 'runs each', 'variant median ms (95% CI)', 'baseline median ms (95% CI)', 'faster with disjoint intervals'],
        rows: timed.map((v) => {
          const t = v.timing!;
          return [
            v.name,
            t.variant.backend,
            t.variant.threads ?? null,
            t.variant.batch,
            t.variant.runs,
            `${formatNumber(t.variant.median)} (${formatNumber(t.variant.lower)}–${formatNumber(t.variant.upper)})`,
            `${formatNumber(t.baseline.median)} (${formatNumber(t.baseline.lower)}–${formatNumber(t.baseline.upper)})`,
            t.variant.upper < t.baseline.lower,
          ];
        }),
      });
    }
    for (const v of vs.filter((x) => x.perLayer?.length)) {
      tables.push({ title: `Per-layer sparsity: ${v.id} ${v.name}`, columns: ['layer', 'weights', 'zeros', 'sparsity %'], rows: v.perLayer!.map((l) => [l.layer, l.size, l.zeros, l.sparsity * 100]) });
    }
    const recipes = vs.filter((v) => v.kind === 'pruned' || v.kind === 'control' || v.kind === 'structured');
    if (recipes.length) {
      tables.push({ title: `Recipes (${modelLabel(model)})`, columns: ['id', 'recipe'], rows: recipes.map((v) => [v.id, Object.entries(v.recipe).map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(', ')]) });
    }
  }
  return {
    tables,
    charts: qpCharts(state),
    notes: [
      'Accuracy intervals are Wilson 95% intervals over the 5,000 test images. A drop is the paired difference between two models on the same images, with Newcombe\u2019s 95% interval and an exact McNemar p-value; the criteria on accuracy compare the upper end of that interval.',
      'Pruned variants are compared with their control: the baseline fine-tuned for the same epochs on the same images with the same seed, without pruning.',
      'tfjs dequantizes uint8/uint16/float16 weights to float32 when it loads them and has no sparse kernels: quantized and unstructured-sparse models download faster but do not compute faster. Structured pruning removes whole units or filters and can.',
      ...state.variants.filter((v) => v.note).map((v) => `- ${v.id} ${v.name}: ${v.note}`),
    ].join('\n\n'),
  };
}

export const artifacts = labFiles(LAB_ID);
export const artifactNames = (variantId: string) => ({ json: `${variantId}/model.json`, weights: `${variantId}/weights.bin` });

export const quantizePrune = defineLab<QpState>({
  id: LAB_ID,
  version: 2,
  quantities: {
    'uint8.rawRatio': { describe: 'uint8 weight bytes as a fraction of the float32 baseline’s', unit: '× float32', min: 0, max: 1 },
    'uint8.accuracyDropPp': { describe: 'accuracy lost by uint8 weights, paired on the test images', unit: 'pp', min: -100, max: 100, interval: true },
    'float16.accuracyDropPp': { describe: 'accuracy lost by float16 weights, paired on the test images', unit: 'pp', min: -100, max: 100, interval: true },
    'pruned80.accuracyDropPp': { describe: 'accuracy lost at 80% sparsity against the control fine-tuned without pruning', unit: 'pp', min: -100, max: 100, interval: true },
    'pruned80.gzipRatio': { describe: 'gzipped size of the 80%-sparse model as a fraction of the baseline’s', unit: '× float32 gzipped', min: 0, max: 2 },
    'prunedUint8.gzipRatio': { describe: 'gzipped size of pruned + uint8 as a fraction of the baseline’s', unit: '× float32 gzipped', min: 0, max: 2 },
    'prunedUint8.accuracyDropPp': { describe: 'accuracy lost by pruned + uint8 against the control', unit: 'pp', min: -100, max: 100, interval: true },
  },
  empty: () => ({ variants: [], sweeps: [] }),
  parse(value, version) {
    // Version 1 kept one model's variants without per-image outcomes: nothing in it can be compared honestly.
    if (version < 2) return { variants: [], sweeps: [] };
    return parseWith(stateSchema)(value);
  },
  measure,
  merge(stored, mine) {
    const byId = <T extends { id: string }>(a: T[], b: T[]) => [...new Map([...a, ...b].map((x) => [x.id, x])).values()];
    return { variants: byId(stored.variants, mine.variants), sweeps: byId(stored.sweeps, mine.sweeps) };
  },
  markRestored(state, at) {
    return {
      variants: state.variants.map((v) => ({ ...v, restoredAt: v.restoredAt ?? at })),
      sweeps: state.sweeps.map((s) => ({ ...s, restoredAt: s.restoredAt ?? at })),
    };
  },
  report,
  async evidence(state) {
    const files = [];
    for (const v of state.variants.filter((x) => x.exportable)) {
      const names = artifactNames(v.id);
      const [json, weights] = await Promise.all([artifacts.get(names.json), artifacts.get(names.weights)]);
      if (json && weights) files.push({ path: `models/${v.id}/model.json`, content: json }, { path: `models/${v.id}/weights.bin`, content: weights });
    }
    return files;
  },
});
export default quantizePrune;
