/**
 * Everything a lab's view gets from the shell: its session, one running job at a time with progress and Cancel,
 * notices and alerts, and the report. A lab's own view only adds its controls and results.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabDefinition } from '../../../labkit/lab/define.ts';
import type { LabSession } from '../../../labkit/lab/session.ts';
import { JobCancelled } from '../../../labkit/lab/worker-rpc.ts';
import type { Cell } from '../../../labkit/report/report.ts';
import type { LabProps } from './types.ts';
import { useLabSession } from './useLabSession.ts';

export interface RunningJob {
  label: string;
  fraction: number;
  message: string;
  startedAt: number;
}

/** Something that can be cancelled: a worker `Job`, or any promise with a cancel function. */
export interface Cancellable<T> {
  promise: Promise<T>;
  cancel(): void;
}

export interface ShellOptions {
  /** Rows for the report's environment section that only the page knows (backend, threads, runtime). */
  environment?: () => Record<string, Cell>;
  /** Runs after the session is reset (clear a runtime's files, forget a loaded model). */
  onReset?: () => void | Promise<void>;
}

export interface LabShellApi<S> {
  lab: LabProps['lab'];
  definition: LabDefinition<S>;
  session: LabSession<S>;
  job: RunningJob | null;
  notice: string;
  alert: string;
  /**
   * Runs one job: shows it in the job bar with progress and Cancel, and returns its result, or `undefined` when it
   * was cancelled or failed (the alert says why). Only one job runs at a time.
   */
  run<T>(label: string, start: (onProgress: (fraction: number, message: string) => void) => Cancellable<T>): Promise<T | undefined>;
  cancel(): void;
  say(notice: string): void;
  warn(alert: string): void;
  environment: () => Record<string, Cell>;
  reset(): Promise<void>;
}

export function useLabShell<S>(definition: LabDefinition<S>, lab: LabProps['lab'], options: ShellOptions = {}): LabShellApi<S> {
  const session = useLabSession(definition, lab);
  const [job, setJob] = useState<RunningJob | null>(null);
  const [notice, setNotice] = useState('');
  const [alert, setAlert] = useState('');
  const current = useRef<Cancellable<unknown> | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const cancel = useCallback(() => current.current?.cancel(), []);

  const run = useCallback(async <T,>(label: string, start: (onProgress: (fraction: number, message: string) => void) => Cancellable<T>) => {
    if (current.current) return undefined;
    setAlert('');
    setNotice('');
    const startedAt = performance.now();
    setJob({ label, fraction: 0, message: 'starting', startedAt });
    let handle: Cancellable<T>;
    try {
      handle = start((fraction, message) => setJob((j) => (j ? { ...j, fraction, message } : j)));
    } catch (error) {
      setJob(null);
      setAlert(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    current.current = handle;
    try {
      const result = await handle.promise;
      setNotice(`${label}: done.`);
      return result;
    } catch (error) {
      if (error instanceof JobCancelled) setNotice(`${label}: cancelled. Nothing from it was kept.`);
      else setAlert(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      current.current = null;
      setJob(null);
    }
  }, []);

  // While a job runs: Esc cancels it (outside the code editor, which uses Esc itself), and leaving the page asks first.
  useEffect(() => {
    if (!job) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('.monaco-editor')) return;
      current.current?.cancel();
    };
    const onLeave = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onLeave);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onLeave);
    };
  }, [job !== null]); // eslint-disable-line react-hooks/exhaustive-deps -- re-arm only when a job starts or ends

  const environment = useCallback((): Record<string, Cell> => {
    const nav = typeof navigator === 'undefined' ? undefined : navigator;
    return {
      browser: nav?.userAgent ?? null,
      'CPU cores (reported)': nav?.hardwareConcurrency ?? null,
      crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
      ...(optionsRef.current.environment?.() ?? {}),
    };
  }, []);

  const reset = useCallback(async () => {
    current.current?.cancel();
    session.reset();
    await optionsRef.current.onReset?.();
    setAlert('');
    setNotice('The lab was reset: your work, results and notes for this lab were deleted.');
  }, [session]);

  return { lab, definition, session, job, notice, alert, run, cancel, say: setNotice, warn: setAlert, environment, reset };
}
