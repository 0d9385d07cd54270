/** What the student chose to measure: the view's own state, with the defaults the lab text describes. */
import type { Environment } from '../../../labkit/bench/environment.ts';
import type { BackendSpec } from '../../../labkit/bench/backends.ts';
import type { UploadedFile } from '../../../labkit/ml/artifacts.ts';
import type { ModelChoice, RunPlan, VariantKind } from '../../../../labs/speed/protocol.ts';
import { BUDGETS, SWEEP } from '../../../../labs/speed/protocol.ts';

export interface Upload {
  label: string;
  files: UploadedFile[];
  /** What the worker found in it: parameters and layers. */
  summary: string;
}

export interface Choices {
  backends: Record<string, boolean>;
  /** The wasm thread count asked for (threaded build only); null: tfjs's default. */
  threads: number | null;
  models: { dense: boolean; cnn: boolean; upload: boolean };
  upload: Upload | null;
  variants: Record<VariantKind, boolean>;
  budgetMs: number;
  batch: number;
  sweep: boolean;
}

/** cpu, the best wasm build available and webgl when it works; the dense model; the standard budget; the sweep. */
export function defaultChoices(env: Environment): Choices {
  const ok = (id: string) => env.backends.some((b) => b.id === id && b.available);
  const wasm = ['wasm-simd-threads', 'wasm-simd', 'wasm'].find(ok);
  return {
    backends: { cpu: true, ...(wasm ? { [wasm]: true } : {}), webgl: ok('webgl') },
    threads: null,
    models: { dense: true, cnn: false, upload: false },
    upload: null,
    variants: { baseline: true, uint8: true, float16: false, sparse80: true, structured50: true },
    budgetMs: BUDGETS[1]!.ms,
    batch: 1,
    sweep: true,
  };
}

/** The run the choices describe, or what is missing. */
export function planOf(env: Environment, c: Choices): Omit<RunPlan, 'code'> | string {
  const backends: BackendSpec[] = env.backends
    .filter((b) => b.available && c.backends[b.id])
    .map((b) => (b.id === 'wasm-simd-threads' && c.threads ? { ...b.spec, threadsCount: c.threads } : b.spec));
  const models: ModelChoice[] = [
    ...(c.models.dense ? [{ key: 'dense' as const }] : []),
    ...(c.models.cnn ? [{ key: 'cnn' as const }] : []),
    ...(c.models.upload && c.upload ? [{ key: `upload:${c.upload.label}` as const, files: c.upload.files }] : []),
  ];
  const variants = (Object.keys(c.variants) as VariantKind[]).filter((k) => c.variants[k]);
  const missing = [!backends.length && 'a backend', !models.length && 'a model', !variants.length && 'a variant'].filter(Boolean);
  if (missing.length) return `Choose at least ${missing.join(', ')}.`;
  return { backends, models, variants, budgetMs: c.budgetMs, batch: c.batch, sweep: c.sweep ? SWEEP : [] };
}
