/**
 * Where a node-project lab's code runs: WebContainers when they start, else the offline runtime. Chosen on the first
 * Run, once per page; a countdown while WebContainers boot, "run offline now" to stop waiting, the choice remembered
 * for the tab, and Retry.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { chooseRuntime, detectSupport, sessionChoiceMemory, type Choice } from '../../../labkit/runtime/choose.ts';
import { createBrowserOfflineRuntime } from '../../../labkit/runtime/offline.ts';
import type { WebContainerApi } from '../../../labkit/runtime/webcontainer.ts';
import type { LabRuntime } from '../../../labkit/runtime/types.ts';

export type Banner = { phase: 'idle' } | { phase: 'starting'; secondsLeft: number | null } | { phase: 'ready'; choice: Pick<Choice, 'kind' | 'code' | 'reason'> };

const forced = () => typeof location !== 'undefined' && new URLSearchParams(location.search).get('runtime') === 'offline';

export function useProjectRuntime(prepare: (runtime: LabRuntime) => Promise<void>) {
  const [banner, setBanner] = useState<Banner>({ phase: 'idle' });
  const runtime = useRef<LabRuntime | null>(null);
  const choosing = useRef<Promise<LabRuntime> | null>(null);
  const skip = useRef<AbortController | null>(null);
  const memory = useMemo(() => sessionChoiceMemory(), []);
  const prepareRef = useRef(prepare);
  prepareRef.current = prepare;

  const choose = useCallback(async (): Promise<LabRuntime> => {
    skip.current = new AbortController();
    setBanner({ phase: 'starting', secondsLeft: null });
    const choice = await chooseRuntime({
      support: detectSupport(),
      loadApi: async () => (await import('@webcontainer/api')).WebContainer as unknown as WebContainerApi,
      createOffline: createBrowserOfflineRuntime,
      forceOffline: forced(),
      onWaiting: (secondsLeft) => setBanner({ phase: 'starting', secondsLeft }),
      signal: skip.current.signal,
      memory,
    });
    await prepareRef.current(choice.runtime);
    runtime.current = choice.runtime;
    setBanner({ phase: 'ready', choice: { kind: choice.kind, code: choice.code, reason: choice.reason } });
    return choice.runtime;
  }, [memory]);

  const ensure = useCallback((): Promise<LabRuntime> => {
    if (runtime.current) return Promise.resolve(runtime.current);
    choosing.current ??= choose().finally(() => (choosing.current = null));
    return choosing.current;
  }, [choose]);

  /** Stops waiting for WebContainers: the offline runtime runs now. */
  const runOfflineNow = useCallback(() => skip.current?.abort(), []);

  /** Forgets the choice and tries WebContainers again. */
  const retry = useCallback(async () => {
    memory.clear();
    const previous = runtime.current;
    runtime.current = null;
    try {
      await ensure();
      if (previous && previous !== runtime.current) await previous.dispose();
    } catch {
      runtime.current = previous;
    }
  }, [ensure, memory]);

  return { banner, runtime, ensure, runOfflineNow, retry };
}
