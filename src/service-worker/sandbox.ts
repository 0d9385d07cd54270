/// <reference lib="webworker" />
/**
 * A lab's sandbox service worker (built into dist/labs/<lab>/sandbox/sw.js by src/integrations/service-worker.mjs;
 * its scope is that folder). It controls the lab's preview pages and nothing else:
 *
 * - Requests below `<scope>api/` go to the student's server in the lab's Web Worker, over the port the lab page
 *   handed over (src/labkit/sandbox/relay.ts). The server sees the path below `api/` (`/v2/health/live`).
 * - Everything else a preview page loads comes from the network as usual, or from the site's offline copy (the site's
 *   service worker filled it) when there is no network.
 * - Every same-origin answer carries the deploy headers it lacks (cross-origin isolation, the Content-Security-
 *   Policy), as the site's service worker adds them on hosts that cannot send headers: a preview framed by a cross-
 *   origin-isolated lab page must be isolated too.
 */
import type { HeaderRule } from '../../scripts/header-rules.mjs';
import { LAB_PARAM, PORT_MESSAGE, PORT_WANTED } from '../labkit/sandbox/connect.ts';
import { noServer, Relay } from '../labkit/sandbox/relay.ts';
import { withDeployHeaders } from './deploy-headers.ts';

declare const self: ServiceWorkerGlobalScope;
/** Written by the build. */
declare const __SANDBOX__: { base: string; rules: HeaderRule[] };
const { base, rules } = __SANDBOX__;

const scope = self.registration.scope;
const apiRoot = `${scope}api/`;

/** One relay per lab page (tab), by the id its preview carries; a preview opened on its own uses the latest. */
const relays = new Map<string, Relay>();
let latest: string | null = null;

function relayFor(id: string): Relay {
  let relay = relays.get(id);
  if (!relay) {
    relay = new Relay({
      async askForPort() {
        for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage({ type: PORT_WANTED, scope, id });
      },
      portWaitMs: 3_000,
      // The worker answers a slow handler with 504 after 5 s; this only fires when the lab page or its worker is gone.
      answerWaitMs: 8_000,
    });
    relays.set(id, relay);
  }
  return relay;
}

/** The lab page a request's page belongs to: the id in the requesting preview's URL. */
async function labOf(event: FetchEvent): Promise<string | null> {
  const client = event.clientId ? await self.clients.get(event.clientId) : undefined;
  return (client && new URL(client.url).searchParams.get(LAB_PARAM)) || latest;
}

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data as { type?: string; id?: string } | null;
  const port = event.ports[0];
  if (data?.type !== PORT_MESSAGE || !port || !data.id) return;
  relayFor(data.id).attach(port);
  latest = data.id;
});

/** From the network; without one, from any of the site's caches. */
async function fromSite(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.href.startsWith(apiRoot)) {
    const path = `/${url.href.slice(apiRoot.length)}`;
    event.respondWith(
      labOf(event)
        .then((id) => (id ? relayFor(id).fetch(request, path) : noServer()))
        .then((response) => withDeployHeaders(response, url, rules, base)),
    );
    return;
  }
  if (request.method !== 'GET' || request.headers.has('range')) return;
  event.respondWith(fromSite(request).then((response) => withDeployHeaders(response, url, rules, base)));
});
