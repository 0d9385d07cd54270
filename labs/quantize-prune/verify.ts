/**
 * What the verify page re-checks of a quantize-and-prune bundle: every exported model in the evidence is loaded with
 * an unmodified tf.loadLayersModel and scored again on the test images (in the lab's own worker), and its sizes are
 * measured again. Timings cannot be re-measured elsewhere.
 */
import { strFromU8 } from 'fflate';
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { startedClient, WorkerFailed, type WorkerLike } from '../../src/labkit/lab/worker-rpc.ts';
import { siteBase, WASM } from '../../src/labkit/ml/tfjs-assets.ts';
import { gzipSize } from '../../src/labkit/ml/sizes.ts';
import type { QpState } from './lab.ts';
import type { QpApi } from './worker.ts';

export const verify: LabVerifier<QpState> = async (state, files) => {
  const claims: Claim[] = [];
  const client = await startedClient<QpApi>({
    create: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'quantize-prune-verify' }) as unknown as WorkerLike,
    setup: (call) => call('init', { backend: 'wasm', base: siteBase(), wasm: WASM }),
  });
  try {
    for (const v of state.variants) {
      if (!v.exportable) {
        claims.push({ claim: `${v.id} ${v.name}: accuracy`, status: 'not-checkable', detail: 'an experiment, scored in the page only' });
        continue;
      }
      const json = files[`models/${v.id}/model.json`];
      const weights = files[`models/${v.id}/weights.bin`];
      if (!json || !weights) {
        claims.push({ claim: `${v.id} ${v.name}: accuracy and size`, status: 'not-checkable', detail: 'its files are not in the bundle (made in another browser, or before the files were kept)' });
        continue;
      }
      const sizes = weights.length === v.rawBytes && gzipSize(weights) === v.gzipBytes;
      claims.push({ claim: `${v.id} ${v.name}: ${v.rawBytes} bytes, ${v.gzipBytes} gzipped`, status: sizes ? 'confirmed' : 'contradicted', ...(sizes ? {} : { detail: `the file has ${weights.length} bytes, ${gzipSize(weights)} gzipped` }) });
      const answers = `${v.id} ${v.name}: its answers on the 5,000 test images`;
      if (client instanceof WorkerFailed) claims.push({ claim: answers, status: 'not-checkable', detail: `the lab's worker could not start here to score it again: ${client.message}` });
      else {
        const scored = await client.call('reload', { json: strFromU8(json), weights }).promise;
        const same = scored.correct === v.correct;
        claims.push({ claim: answers, status: same ? 'confirmed' : 'contradicted', ...(same ? {} : { detail: `scored again: ${(scored.accuracy * 100).toFixed(2)}% with different images right or wrong` }) });
      }
      if (v.timing) claims.push({ claim: `${v.id}: ${v.timing.variant.median.toFixed(3)} ms per 100 images on ${v.timing.variant.backend}`, status: 'not-checkable', detail: 'timings depend on the student’s machine' });
    }
  } finally {
    if (!(client instanceof WorkerFailed)) client.dispose();
  }
  return claims;
};
