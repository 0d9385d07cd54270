/** Messages between the quantize-and-prune workspace (main thread) and its Web Worker. */
import type { VariantResult } from '../../../labkit/ml/variants.ts';
import type { PerLayerSparsity } from '../../../labkit/ml/prune.ts';

export type Backend = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

export interface LayerInfo {
  name: string;
  className: string;
  params: number;
  kernelShape: number[] | null;
  prunable: boolean;
}

export interface ModelSummary {
  source: string;
  layers: LayerInfo[];
  params: number;
  rawBytes: number;
  gzipBytes: number;
  accuracy: number;
  inputShape: (number | null)[];
}

export interface Variant extends VariantResult {
  id: string;
  /** The model it was made from (source name). */
  source: string;
  recipe: Record<string, unknown>;
  sparsity?: number;
  perLayer?: PerLayerSparsity[];
  /** Median milliseconds to classify a batch of 100 images (structured pruning vs baseline). */
  msPerBatch?: number;
  createdAt: string;
}

export interface PruneRequest {
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

export type Request =
  | { type: 'init'; backend: Backend; base: string; wasm: Record<string, string> }
  | { type: 'load-baseline'; name: 'dense' | 'cnn' }
  | { type: 'load-upload'; files: { name: string; bytes: Uint8Array }[] }
  | { type: 'quantize'; dtype: 'uint8' | 'uint16' | 'float16'; layers: string[] | null }
  | { type: 'experiment'; kind: 'int8' | 'full-integer' }
  | { type: 'prune'; options: PruneRequest }
  | { type: 'quantize-variant'; variant: string; dtype: 'uint8' | 'uint16' | 'float16' }
  | { type: 'structured'; fraction: number; epochs: number; trainImages: number }
  | { type: 'sweep'; sparsities: number[]; scope: 'per-tensor' | 'global' }
  | { type: 'histogram'; layer: string; variant: string; bins: number }
  | { type: 'export'; variant: string }
  | { type: 'verify'; variant: string }
  | { type: 'memory' };

export interface Histogram {
  layer: string;
  weight: string;
  min: number;
  max: number;
  before: number[];
  after: number[];
  /** Grid of representable values inside [min, max] when there are at most 300 of them. */
  grid: number[] | null;
  gridNote: string;
  dtype: string;
}

export type Envelope = { id: number; request: Request } | { id: number; cancel: true };

export type Reply =
  | { id: number; kind: 'progress'; fraction: number; message: string }
  | { id: number; kind: 'done'; result: unknown; numTensors: number }
  | { id: number; kind: 'error'; message: string; cancelled: boolean; numTensors: number };
