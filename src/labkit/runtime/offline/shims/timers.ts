/** node:timers and node:timers/promises over the host's tracked timers. */
import type { Host } from '../host.ts';

type Callback = (...args: unknown[]) => void;

export function timersModule(host: Host): Record<string, unknown> {
  const clear = (handle: unknown) => host.clearTimer(handle);
  return {
    setTimeout: (fn: Callback, ms?: number, ...args: unknown[]) => host.setTimer(fn, ms, args, false),
    setInterval: (fn: Callback, ms?: number, ...args: unknown[]) => host.setTimer(fn, ms, args, true),
    setImmediate: (fn: Callback, ...args: unknown[]) => host.setImmediate(fn, args),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
  };
}

export function timersPromisesModule(host: Host): Record<string, unknown> {
  const aborted = (signal?: AbortSignal) => {
    const error = new Error('The operation was aborted') as Error & { code: string; cause: unknown };
    error.name = 'AbortError';
    error.code = 'ABORT_ERR';
    error.cause = signal?.reason;
    return error;
  };
  const wait = <T>(start: (done: () => void) => unknown, value: T, signal?: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const handle = start(() => resolve(value));
      signal?.addEventListener('abort', () => {
        host.clearTimer(handle);
        reject(aborted(signal));
      });
    });
  return {
    setTimeout: <T>(ms = 1, value?: T, options?: { signal?: AbortSignal }) =>
      wait((done) => host.setTimer(done, ms, [], false), value, options?.signal),
    setImmediate: <T>(value?: T, options?: { signal?: AbortSignal }) => wait((done) => host.setImmediate(done, []), value, options?.signal),
    setInterval: async function* <T>(ms = 1, value?: T) {
      while (true) yield await wait((done) => host.setTimer(done, ms, [], false), value);
    },
    scheduler: {
      wait: (ms: number, options?: { signal?: AbortSignal }) => wait((done) => host.setTimer(done, ms, [], false), undefined, options?.signal),
      yield: () => wait((done) => host.setImmediate(done, []), undefined),
    },
  };
}
