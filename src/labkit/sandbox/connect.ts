/**
 * The lab page's side of a sandbox: registers the lab's own service worker for `<lab>/sandbox/`, waits until it is
 * active, and hands it a port to the lab's worker (src/labkit/sandbox/relay.ts), again whenever the service worker
 * asks for one (it forgets its port when the browser stops it) and whenever the lab's worker is replaced.
 *
 * Pages under the sandbox (the preview) are controlled by that service worker; the rest of the site keeps the site's
 * own (src/service-worker/sw.ts): the two scopes do not overlap, so they coexist.
 *
 * Several tabs may have the lab open, each with its own worker and server. Each lab page names itself with an id, and
 * its preview carries the id in its URL (`?lab=<id>`), so the service worker sends the preview's requests to the port
 * of the page that framed it.
 */

/** The message the lab page sends with a port, and the one the service worker sends when it wants one. */
export const PORT_MESSAGE = 'sandbox-port';
export const PORT_WANTED = 'sandbox-port-wanted';
/** The query parameter of a preview's URL that names the lab page it belongs to. */
export const LAB_PARAM = 'lab';

export interface Sandbox {
  /** The sandbox's URL (its scope), ending in a slash; the API is below `api/`. */
  scope: string;
  /** The preview's URL for this lab page: the scope with this page's id. */
  page: string;
  /** Hands the service worker a new port (call after the lab's worker was replaced). */
  reconnect(): Promise<void>;
  dispose(): void;
}

/** Waits until the registration has an active worker, or fails after `timeoutMs`. */
async function activeWorker(registration: ServiceWorkerRegistration, timeoutMs: number): Promise<ServiceWorker> {
  const deadline = Date.now() + timeoutMs;
  while (!registration.active) {
    const pending = registration.installing ?? registration.waiting;
    if (Date.now() > deadline) throw new Error(`the preview's service worker did not start within ${timeoutMs / 1000} s`);
    if (pending?.state === 'redundant') throw new Error("the preview's service worker failed to install");
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      pending?.addEventListener('statechange', done, { once: true });
      setTimeout(done, 100);
    });
  }
  return registration.active;
}

/**
 * Opens the sandbox at `scope` (an absolute path such as `/labs/serving/sandbox/`, with the site's base) and connects
 * it with `newPort`, which returns a port whose other end the lab's worker serves.
 */
export async function openSandbox(scope: string, newPort: () => Promise<MessagePort>, timeoutMs = 10_000): Promise<Sandbox> {
  const container = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  if (!container || !isSecureContext) throw new Error('this browser gives the page no service workers (a private window, or a page not served over https), so the preview cannot run here');
  const registration = await container.register(`${scope}sw.js`, { scope, updateViaCache: 'none' });
  const worker = await activeWorker(registration, timeoutMs);
  const id = crypto.randomUUID();
  const send = async () => {
    const port = await newPort();
    (registration.active ?? worker).postMessage({ type: PORT_MESSAGE, id }, [port]);
  };
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: string; scope?: string; id?: string } | null;
    if (data?.type === PORT_WANTED && data.scope === registration.scope && data.id === id) void send().catch(() => undefined);
  };
  container.addEventListener('message', onMessage);
  container.startMessages();
  await send();
  const path = new URL(registration.scope).pathname;
  return { scope: path, page: `${path}?${LAB_PARAM}=${id}`, reconnect: send, dispose: () => container.removeEventListener('message', onMessage) };
}
