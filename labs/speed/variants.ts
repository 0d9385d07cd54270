/**
 * The variants the speed lab times, built from one model: its float32 baseline as it was downloaded, uint8 and
 * float16 weights (the converter's arithmetic), 80% unstructured sparsity (same shapes), and structured pruning (half
 * of every hidden layer's units or filters removed: a smaller network). Runs where tfjs runs (a worker, the bench
 * page); the results are plain bytes, so every fresh worker can load them without building them again.
 */
import type * as tf from '@tensorflow/tfjs';
import { exportModel, loadExported, readUserModel, type ModelJson, type UploadedFile } from '../../src/labkit/ml/artifacts.ts';
import { pruneOnce, structuredPrune } from '../../src/labkit/ml/prune.ts';
import { gzipSize } from '../../src/labkit/ml/sizes.ts';
import type { ModelSource } from '../../src/labkit/bench/harness.ts';
import { modelLabel, variantLabel, type Prepared, type PreparedVariant, type VariantKind } from './protocol.ts';

const text = new TextEncoder();

function prepared(model: string, kind: VariantKind, params: number, json: string, weights: Uint8Array): PreparedVariant {
  const jsonBytes = text.encode(json);
  return { model, kind, params, json, weights, bytes: jsonBytes.length + weights.length, gzipBytes: gzipSize(jsonBytes) + gzipSize(weights) };
}

/**
 * Builds the asked-for variants of the model in `files` (model.json and its weight files). A model that does not
 * load throws a ModelUploadError that says why; a variant that cannot be built (structured pruning of a layer it does
 * not support) is skipped with the reason.
 */
export async function prepareVariants(key: string, files: UploadedFile[], kinds: readonly VariantKind[]): Promise<Prepared> {
  const { model, modelJson, weightData } = await readUserModel(files);
  const out: Prepared = { variants: [], skipped: [] };
  try {
    const jsonFile = files.find((f) => f.name.toLowerCase().endsWith('.json'))!;
    for (const kind of kinds) {
      try {
        if (kind === 'baseline') {
          out.variants.push(prepared(key, kind, model.countParams(), new TextDecoder().decode(jsonFile.bytes), weightData));
        } else if (kind === 'uint8' || kind === 'float16') {
          const e = exportModel(model, kind);
          out.variants.push(prepared(key, kind, model.countParams(), JSON.stringify(e.modelJson), e.weightData));
        } else if (kind === 'sparse80') {
          const copy = await loadExported({ modelJson, weightData });
          try {
            pruneOnce(copy, 0.8);
            const e = exportModel(copy, 'float32');
            out.variants.push(prepared(key, kind, copy.countParams(), JSON.stringify(e.modelJson), e.weightData));
          } finally {
            copy.dispose();
          }
        } else {
          const { model: small } = await structuredPrune(model, 0.5);
          try {
            const e = exportModel(small, 'float32');
            out.variants.push(prepared(key, kind, small.countParams(), JSON.stringify(e.modelJson), e.weightData));
          } finally {
            small.dispose();
          }
        }
      } catch (error) {
        out.skipped.push(`${modelLabel(key)}, ${variantLabel(kind)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    model.dispose();
  }
  return out;
}

/** A prepared variant as the harness loads it. */
export function sourceOf(v: Pick<PreparedVariant, 'model' | 'kind' | 'json' | 'weights' | 'bytes' | 'gzipBytes'>): ModelSource {
  const json = JSON.parse(v.json) as ModelJson;
  return {
    name: `${v.model} ${v.kind}`,
    artifacts: { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[], weightData: v.weights.slice().buffer },
    bytes: v.bytes,
    gzipBytes: v.gzipBytes,
  };
}
