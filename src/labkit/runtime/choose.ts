/**
 * Choosing the runtime: WebContainers when the browser can run them and they boot in time, otherwise the offline
 * runtime, with a reason the page shows to the student. Calling it again (Retry) waits on the same boot.
 *
 * The wait for WebContainers is never blind and never endless:
 * - a quick probe request to StackBlitz runs beside the boot; when it fails at once (no DNS answer, connection
 *   refused, blocked by a school network), the offline runtime is chosen at once instead of after the boot timeout;
 * - `onWaiting(secondsLeft)` is called at once and every second, for a countdown;
 * - `signal` abandons the wait ("run offline now");
 * - `memory` remembers the fallback for the tab (sessionStorage), so a reload does not wait again.
 */
import type { LabRuntime, RuntimeKind } from './types.ts';
import { bootWebContainer, BootTimeout, WebContainerRuntime, type WebContainerApi, type WebContainerLike } from './webcontainer.ts';

export type ChoiceCode = 'booted' | 'unsupported' | 'offline' | 'timeout' | 'unreachable' | 'abandoned' | 'remembered' | 'error' | 'forced';

export interface Choice {
  runtime: LabRuntime;
  kind: RuntimeKind;
  code: ChoiceCode;
  /** One or two sentences for the runtime banner. */
  reason: string;
}

export interface BrowserSupport {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  online: boolean;
}

/** Remembers the runtime chosen for this tab. */
export interface ChoiceMemory {
  read(): RuntimeKind | null;
  write(kind: RuntimeKind): void;
  clear(): void;
}

export interface StartOptions {
  support: BrowserSupport;
  loadApi: () => Promise<WebContainerApi>;
  /** How long to wait for WebContainers to boot (default 20 s). */
  bootTimeoutMs?: number;
  /** Skip WebContainers (a student's choice, or a test's). */
  forceOffline?: boolean;
  /**
   * Resolves when StackBlitz answers, rejects when it cannot be reached (default: `probeStackBlitz`; null: no probe).
   * Only a rejection within `probeTimeoutMs` counts; a probe that takes longer is ignored and the boot waited for.
   */
  probe?: ((signal: AbortSignal) => Promise<unknown>) | null;
  /** How long the probe may take to count (default 3 s). */
  probeTimeoutMs?: number;
  /** Called with the seconds left to wait for the boot: at once, then every second. */
  onWaiting?: (secondsLeft: number) => void;
  /** Aborting it stops waiting for WebContainers and chooses the offline runtime ("run offline now"). */
  signal?: AbortSignal;
  /** Where the choice is remembered for the tab; a remembered 'offline' skips WebContainers. */
  memory?: ChoiceMemory;
}

export interface ChooseOptions extends StartOptions {
  createOffline: () => LabRuntime;
}

/** WebContainers booted, or why not (one sentence, and the code the runtime banner and tests read). */
export type Started = { ok: true; wc: WebContainerLike } | { ok: false; code: Exclude<ChoiceCode, 'booted'>; why: string };

export const DEFAULT_BOOT_TIMEOUT_MS = 20_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;
/** The page WebContainers load their runtime from (the same request boot() makes in its iframe). */
export const STACKBLITZ_PROBE_URL = 'https://stackblitz.com/headless';
const MEMORY_KEY = 'labkit.runtime.choice';

/** What this browser offers, read from the page's globals. */
export function detectSupport(scope: typeof globalThis = globalThis): BrowserSupport {
  return {
    crossOriginIsolated: Boolean((scope as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    sharedArrayBuffer: typeof (scope as { SharedArrayBuffer?: unknown }).SharedArrayBuffer === 'function',
    online: (scope as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false,
  };
}

/**
 * A no-cors request to StackBlitz: it fails at once when the name does not resolve or the connection is refused.
 * The page must allow it in its Content-Security-Policy (connect-src https://stackblitz.com).
 */
export function probeStackBlitz(signal: AbortSignal, fetchFn: typeof fetch = globalThis.fetch): Promise<unknown> {
  return fetchFn(STACKBLITZ_PROBE_URL, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', signal });
}

/** The choice remembered in sessionStorage (for this tab only); storage that is missing or throws remembers nothing. */
export function sessionChoiceMemory(storage: () => Storage | undefined = () => globalThis.sessionStorage): ChoiceMemory {
  const attempt = <T>(fn: (s: Storage) => T): T | null => {
    try {
      const s = storage();
      return s ? fn(s) : null;
    } catch {
      return null;
    }
  };
  return {
    read: () => {
      const value = attempt((s) => s.getItem(MEMORY_KEY));
      return value === 'offline' || value === 'webcontainer' ? value : null;
    },
    write: (kind) => void attempt((s) => s.setItem(MEMORY_KEY, kind)),
    clear: () => void attempt((s) => s.removeItem(MEMORY_KEY)),
  };
}

const FALLBACK = 'Your code runs in the offline runtime, a Web Worker that imitates Node.js for the built-ins this lab uses.';

class Unreachable extends Error {}
class Abandoned extends Error {}

/** Tries to start WebContainers for a lab: the checks, probe, countdown and time limit described above. */
export async function startWebContainers(options: StartOptions): Promise<Started> {
  const fail = (code: Exclude<ChoiceCode, 'booted'>, why: string): Started => {
    if (code === 'timeout' || code === 'unreachable' || code === 'abandoned') options.memory?.write('offline');
    return { ok: false, code, why };
  };
  const { support } = options;
  if (options.forceOffline) return fail('forced', 'You chose the offline runtime.');
  if (!support.crossOriginIsolated || !support.sharedArrayBuffer) {
    return fail('unsupported', 'This browser cannot run WebContainers on this page: it is not cross-origin isolated, so SharedArrayBuffer is unavailable.');
  }
  if (!support.online) return fail('offline', 'You are offline, and WebContainers download their runtime from StackBlitz.');
  if (options.memory?.read() === 'offline') {
    return fail('remembered', 'WebContainers could not be used earlier in this tab, so this tab keeps the offline runtime (Retry tries again).');
  }
  if (options.signal?.aborted) return fail('abandoned', 'You chose to run offline instead of waiting for WebContainers.');

  const timeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probe = options.probe === undefined ? (signal: AbortSignal) => probeStackBlitz(signal) : options.probe;
  const cleanup: (() => void)[] = [];
  const started = Date.now();
  try {
    const interrupts = new Promise<never>((_, reject) => {
      const abandon = () => reject(new Abandoned());
      options.signal?.addEventListener('abort', abandon);
      cleanup.push(() => options.signal?.removeEventListener('abort', abandon));
      if (probe) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), probeTimeoutMs);
        cleanup.push(() => {
          clearTimeout(timer);
          controller.abort();
        });
        Promise.resolve()
          .then(() => probe(controller.signal))
          .then(
            () => clearTimeout(timer),
            (error: unknown) => {
              // A probe we aborted (it took too long) says nothing; one that failed by itself, in time, does.
              if (!controller.signal.aborted) reject(new Unreachable(error instanceof Error ? error.message : String(error)));
            },
          );
      }
    });
    interrupts.catch(() => {});
    if (options.onWaiting) {
      const tell = () => options.onWaiting!(Math.max(0, Math.ceil((timeoutMs - (Date.now() - started)) / 1000)));
      tell();
      const ticker = setInterval(tell, 1000);
      cleanup.push(() => clearInterval(ticker));
    }
    const api = await Promise.race([options.loadApi(), interrupts]);
    const wc = await Promise.race([bootWebContainer(api, timeoutMs), interrupts]);
    options.memory?.clear();
    return { ok: true, wc };
  } catch (error) {
    if (error instanceof Abandoned) return fail('abandoned', 'You chose to run offline instead of waiting for WebContainers.');
    if (error instanceof Unreachable) {
      return fail('unreachable', `StackBlitz, where WebContainers come from, could not be reached (${error.message}): your network may block it.`);
    }
    if (error instanceof BootTimeout) {
      return fail('timeout', `WebContainers did not start within ${Math.round(timeoutMs / 1000)} s: StackBlitz may be blocked by your network or unreachable.`);
    }
    const message = error instanceof Error ? error.message : String(error);
    return fail('error', `WebContainers could not start (${message}).`);
  } finally {
    for (const fn of cleanup) fn();
  }
}

export async function chooseRuntime(options: ChooseOptions): Promise<Choice> {
  const started = await startWebContainers(options);
  if (!started.ok) return { runtime: options.createOffline(), kind: 'offline', code: started.code, reason: `${started.why} ${FALLBACK}` };
  return {
    runtime: new WebContainerRuntime(started.wc),
    kind: 'webcontainer',
    code: 'booted',
    reason: 'Your code runs in a real Node.js inside this page (WebContainers by StackBlitz).',
  };
}
