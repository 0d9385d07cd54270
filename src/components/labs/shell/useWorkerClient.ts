/** A `WorkerClient` that lives as long as the component, with the worker's stats as state. */
import { useEffect, useRef, useState } from 'react';
import { WorkerClient, type ClientOptions, type WorkerApi } from '../../../labkit/lab/worker-rpc.ts';

export function useWorkerClient<A extends WorkerApi>(options: ClientOptions<A>): { client: WorkerClient<A>; stats: Record<string, number> | null } {
  const [stats, setStats] = useState<Record<string, number> | null>(null);
  const ref = useRef<WorkerClient<A> | null>(null);
  ref.current ??= new WorkerClient<A>({
    ...options,
    onStats: (s) => {
      setStats(s);
      options.onStats?.(s);
    },
  });
  useEffect(() => {
    const client = ref.current;
    return () => {
      client?.dispose();
      ref.current = null;
    };
  }, []);
  return { client: ref.current, stats };
}
