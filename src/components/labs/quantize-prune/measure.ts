/**
 * Turns the variants a student made into the measured quantities the lab's acceptance criteria name
 * (labs/quantize-prune/index.mdx). All ratios are against the float32 baseline of the same model.
 */
import type { Variant } from './protocol.ts';

export const QUANTITIES = {
  uint8RawRatio: 'uint8.rawRatio',
  uint8Drop: 'uint8.accuracyDropPp',
  float16Drop: 'float16.accuracyDropPp',
  pruned80Drop: 'pruned80.accuracyDropPp',
  pruned80Gzip: 'pruned80.gzipRatio',
  prunedUint8Gzip: 'prunedUint8.gzipRatio',
  prunedUint8Drop: 'prunedUint8.accuracyDropPp',
} as const;

export const UNITS: Record<string, string> = {
  'uint8.rawRatio': '× float32',
  'uint8.accuracyDropPp': 'pp',
  'float16.accuracyDropPp': 'pp',
  'pruned80.accuracyDropPp': 'pp',
  'pruned80.gzipRatio': '× float32 gzipped',
  'prunedUint8.gzipRatio': '× float32 gzipped',
  'prunedUint8.accuracyDropPp': 'pp',
};

const latest = (vs: Variant[]) => vs.reduce<Variant | undefined>((a, v) => (!a || v.createdAt >= a.createdAt ? v : a), undefined);

export function measure(variants: Variant[]): Record<string, number> {
  const out: Record<string, number> = {};
  const baseline = variants.find((v) => v.kind === 'baseline');
  if (!baseline || !baseline.rawBytes || !baseline.gzipBytes) return out;
  const whole = (dtype: string) => latest(variants.filter((v) => v.kind === 'quantized' && v.recipe.dtype === dtype && v.recipe.layers === 'all'));
  const u8 = whole('uint8');
  if (u8?.rawBytes) {
    out[QUANTITIES.uint8RawRatio] = u8.rawBytes / baseline.rawBytes;
    out[QUANTITIES.uint8Drop] = u8.accuracyDropPp;
  }
  const f16 = whole('float16');
  if (f16) out[QUANTITIES.float16Drop] = f16.accuracyDropPp;
  // 80% sparsity after fine-tuning: the best such variant (smallest accuracy drop).
  const p80 = variants
    .filter((v) => v.kind === 'pruned' && (v.sparsity ?? 0) >= 0.7995 && v.gzipBytes)
    .sort((a, b) => a.accuracyDropPp - b.accuracyDropPp)[0];
  if (p80) {
    out[QUANTITIES.pruned80Drop] = p80.accuracyDropPp;
    out[QUANTITIES.pruned80Gzip] = p80.gzipBytes! / baseline.gzipBytes;
  }
  // Pruned + uint8: the variant closest to passing both targets (1/12 gzipped, ≤ 1 pp).
  const pq = variants
    .filter((v) => v.kind === 'pruned+quantized' && v.recipe.dtype === 'uint8' && v.gzipBytes)
    .map((v) => ({ v, score: Math.max((v.gzipBytes! / baseline.gzipBytes!) / (1 / 12), v.accuracyDropPp / 1) }))
    .sort((a, b) => a.score - b.score)[0]?.v;
  if (pq) {
    out[QUANTITIES.prunedUint8Gzip] = pq.gzipBytes! / baseline.gzipBytes;
    out[QUANTITIES.prunedUint8Drop] = pq.accuracyDropPp;
  }
  return out;
}
