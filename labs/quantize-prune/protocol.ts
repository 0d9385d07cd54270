/** What the quantize-and-prune worker (worker.ts) and its page exchange, besides the lab state's own types. */
import type { UploadedFile } from '../../src/labkit/ml/artifacts.ts';
import type { Variant } from './lab.ts';

export type Backend = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/** A committed baseline, or the student's own files. */
export type ModelSource = { kind: 'baseline'; name: 'dense' | 'cnn' } | { kind: 'upload'; label: string; files: UploadedFile[] };

export interface ModelSummary {
  /** The state's model key: `dense`, `cnn` or `upload:<name>`. */
  key: string;
  params: number;
  layers: { name: string; className: string; params: number; kernel: string | null; prunable: boolean }[];
}

/** New variants for the state, and the exported files of the exportable ones. */
export interface NewVariants {
  variants: Variant[];
  files: { id: string; json: string; weights: Uint8Array }[];
}

export interface LoadedModel {
  summary: ModelSummary;
}

export interface Histogram {
  layer: string;
  weight: string;
  variant: string;
  dtype: string;
  min: number;
  max: number;
  /** The baseline's weights, in 80 bins over [min, max]. */
  before: { edges: number[]; counts: number[] };
  /** The variant's weights in the same bins (float16, float32, uint16). */
  after: { edges: number[]; counts: number[] } | null;
  /** uint8: how many weights sit at each level the tensor uses. */
  levels: { at: number; count: number }[] | null;
  note: string;
}
