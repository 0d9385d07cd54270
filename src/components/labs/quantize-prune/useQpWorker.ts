/**
 * The quantize-and-prune worker for the page: started with the chosen backend, and after a restart (Cancel of a job
 * that never yields, a crash) set up again with the model that was loaded.
 */
import { useRef } from 'react';
import type { QpApi } from '../../../../labs/quantize-prune/worker.ts';
import type { Backend, ModelSource } from '../../../../labs/quantize-prune/protocol.ts';
import type { TfjsInfo } from '../../../labkit/ml/worker-env.ts';
import type { WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';
import { siteBase, WASM } from '../../../labkit/ml/tfjs-assets.ts';

/** The student's functions the lab uses, by export name (only those whose tests all pass and are switched on). */
export type StudentCode = { quantizeAffine?: string; magnitudeMask?: string };

export function useQpWorker(onInfo: (info: TfjsInfo | Error) => void, studentCode: () => StudentCode) {
  const backend = useRef<Backend>('wasm');
  const source = useRef<ModelSource | null>(null);
  const { client, stats } = useWorkerClient<QpApi>({
    create: () => new Worker(new URL('../../../../labs/quantize-prune/worker.ts', import.meta.url), { type: 'module', name: 'quantize-prune' }) as unknown as WorkerLike,
    setup: async (call) => {
      try {
        onInfo(await call('init', { backend: backend.current, base: siteBase(), wasm: WASM }));
      } catch (error) {
        onInfo(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      await call('code', studentCode());
      if (source.current) await call('load', source.current);
    },
  });
  return { client, stats, backend, source };
}
