/**
 * Choosing the runtime: WebContainers when the browser can run them and they boot in time, otherwise the offline
 * runtime, with a reason the page shows to the student. Calling it again (Retry) waits on the same boot.
 */
import type { LabRuntime, RuntimeKind } from './types.ts';
import { bootWebContainer, BootTimeout, WebContainerRuntime, type WebContainerApi } from './webcontainer.ts';

export type ChoiceCode = 'booted' | 'unsupported' | 'offline' | 'timeout' | 'error' | 'forced';

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

export interface ChooseOptions {
  support: BrowserSupport;
  loadApi: () => Promise<WebContainerApi>;
  createOffline: () => LabRuntime;
  /** How long to wait for WebContainers to boot (default 20 s). */
  bootTimeoutMs?: number;
  /** Skip WebContainers (a student's choice, or a test's). */
  forceOffline?: boolean;
}

export const DEFAULT_BOOT_TIMEOUT_MS = 20_000;

/** What this browser offers, read from the page's globals. */
export function detectSupport(scope: typeof globalThis = globalThis): BrowserSupport {
  return {
    crossOriginIsolated: Boolean((scope as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    sharedArrayBuffer: typeof (scope as { SharedArrayBuffer?: unknown }).SharedArrayBuffer === 'function',
    online: (scope as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false,
  };
}

const FALLBACK = 'Your code runs in the offline runtime, a Web Worker that imitates Node.js for the built-ins this lab uses.';

export async function chooseRuntime(options: ChooseOptions): Promise<Choice> {
  const offline = (code: ChoiceCode, why: string): Choice => ({
    runtime: options.createOffline(),
    kind: 'offline',
    code,
    reason: `${why} ${FALLBACK}`,
  });
  const { support } = options;
  if (options.forceOffline) return offline('forced', 'You chose the offline runtime.');
  if (!support.crossOriginIsolated || !support.sharedArrayBuffer) {
    return offline(
      'unsupported',
      'This browser cannot run WebContainers on this page: it is not cross-origin isolated, so SharedArrayBuffer is unavailable.',
    );
  }
  if (!support.online) {
    return offline('offline', 'You are offline, and WebContainers download their runtime from StackBlitz.');
  }
  const timeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  try {
    const api = await options.loadApi();
    const wc = await bootWebContainer(api, timeoutMs);
    return {
      runtime: new WebContainerRuntime(wc),
      kind: 'webcontainer',
      code: 'booted',
      reason: 'Your code runs in a real Node.js inside this page (WebContainers by StackBlitz).',
    };
  } catch (error) {
    if (error instanceof BootTimeout) {
      return offline(
        'timeout',
        `WebContainers did not start within ${Math.round(timeoutMs / 1000)} s: StackBlitz may be blocked by your network or unreachable.`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return offline('error', `WebContainers could not start (${message}).`);
  }
}
