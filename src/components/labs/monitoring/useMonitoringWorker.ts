/**
 * The monitoring worker for the page: started on the wasm backend, and after a restart (Cancel of a job that never
 * yields, a crash) set up again with the model that was loaded and the student's functions in use.
 */
import { useRef } from 'react';
import type { MonitoringApi, ModelName, StudentCode } from '../../../../labs/monitoring/worker.ts';
import type { TfjsInfo } from '../../../labkit/ml/worker-env.ts';
import type { WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';
import { siteBase, WASM } from '../../../labkit/ml/tfjs-assets.ts';

export function useMonitoringWorker(onInfo: (info: TfjsInfo | Error) => void, studentCode: () => StudentCode) {
  const model = useRef<ModelName | null>(null);
  const { client, stats } = useWorkerClient<MonitoringApi>({
    create: () => new Worker(new URL('../../../../labs/monitoring/worker.ts', import.meta.url), { type: 'module', name: 'monitoring' }) as unknown as WorkerLike,
    setup: async (call) => {
      try {
        onInfo(await call('init', { backend: 'wasm', base: siteBase(), wasm: WASM }));
      } catch (error) {
        onInfo(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      await call('code', studentCode());
      if (model.current) await call('load', model.current);
    },
  });
  return { client, stats, model };
}
