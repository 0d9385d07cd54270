/** A React view of a `LabSession`: re-renders when the session changes (this tab or another). */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { progressStore } from '../../../labkit/progress/index.ts';
import { LabSession } from '../../../labkit/lab/session.ts';
import type { LabDefinition } from '../../../labkit/lab/define.ts';
import type { LabProps } from './types.ts';

export function useLabSession<S>(definition: LabDefinition<S>, lab: LabProps['lab']): LabSession<S> {
  const session = useMemo(() => new LabSession(definition, lab.criteria, progressStore()), [definition, lab.criteria]);
  useEffect(() => () => session.dispose(), [session]);
  // Every notification is a new snapshot: a counter the session bumps.
  const subscribe = useMemo(() => {
    let version = 0;
    return {
      listen: (onChange: () => void) => session.subscribe(() => {
        version++;
        onChange();
      }),
      snapshot: () => version,
    };
  }, [session]);
  useSyncExternalStore(subscribe.listen, subscribe.snapshot, subscribe.snapshot);
  return session;
}
