/// <reference lib="webworker" />
/**
 * The site's one service worker (built into dist/sw.js by src/integrations/service-worker.mjs), with two jobs:
 *
 * 1. Offline. Workbox precaches the core tier of src/service-worker/plan.mjs when the worker installs (every page, and
 *    what reading pages and decks load), and caches the labs tier the first time a student opens a lab. Pages come
 *    from the network while it answers, so a changed course shows at once; without a network they come from the
 *    cache. A new build is a new worker (its manifest changes), which replaces the old one and drops what changed.
 * 2. Headers. On a host that cannot send headers (GitHub Pages), it adds the deploy headers of public/_headers (cross-
 *    origin isolation, the Content-Security-Policy) to every same-origin response that lacks them, so WebContainers
 *    and threaded WebAssembly work there too. Where the host sends them, nothing is changed.
 */
import { PrecacheController } from 'workbox-precaching';
import { CacheFirst } from 'workbox-strategies';
import type { HeaderRule } from '../../scripts/header-rules.mjs';
import { sitePath as pathIn, withDeployHeaders as addHeaders } from './deploy-headers.ts';

declare const self: ServiceWorkerGlobalScope;

interface Entry {
  url: string;
  revision: string;
}
/** Written by the build. */
declare const __SITE__: { base: string; core: Entry[]; labs: Entry[]; labsVersion: string; rules: HeaderRule[] };
const { base, core, labs, labsVersion, rules } = __SITE__;

const precache = new PrecacheController({ cacheName: 'course-core' });
precache.addToCacheList(core);

const labsCacheName = `course-labs-${labsVersion}`;
const labsStrategy = new CacheFirst({ cacheName: labsCacheName });
const labsUrls = new Set(labs.map((entry) => new URL(entry.url, self.location.origin).href));

self.addEventListener('install', (event) => {
  void precache.install(event);
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  void precache.activate(event);
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('course-labs-') && name !== labsCacheName) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** Fetches the labs tier into its cache, a few files at a time, skipping what is there already. */
async function cacheLabs(): Promise<void> {
  const cache = await caches.open(labsCacheName);
  const missing: string[] = [];
  for (const url of labsUrls) if (!(await cache.match(url))) missing.push(url);
  const next = async (): Promise<void> => {
    const url = missing.shift();
    if (!url) return;
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (response.ok) await cache.put(url, response);
    } catch {
      // Offline or interrupted: the next visit to a lab tries again.
    }
    return next();
  };
  await Promise.all([next(), next(), next(), next()]);
}

const sitePath = (url: URL) => pathIn(url, base);
const withDeployHeaders = (response: Response, url: URL) => addHeaders(response, url, rules, base);

/** A page: from the network while it answers, else the precached copy, else the 404 page. */
async function page(event: FetchEvent, url: URL): Promise<Response> {
  if (/^\/labs\/[^/]+\/$/.test(sitePath(url))) event.waitUntil(cacheLabs());
  try {
    return await fetch(event.request);
  } catch (error) {
    const key = url.origin + url.pathname;
    const cached = (await precache.matchPrecache(key)) ?? (await precache.matchPrecache(`${key.replace(/\/?$/, '/')}`));
    if (cached) return cached;
    const notFound = await precache.matchPrecache(`${base}404.html`);
    if (notFound) return new Response(notFound.body, { status: 404, headers: notFound.headers });
    throw error;
  }
}

async function respond(event: FetchEvent, url: URL): Promise<Response> {
  const { request } = event;
  if (request.mode === 'navigate') return page(event, url);
  const key = url.origin + url.pathname;
  if (precache.getCacheKeyForURL(key)) return precache.createHandlerBoundToURL(key)({ event, request, url, params: undefined });
  if (labsUrls.has(key)) return labsStrategy.handle({ event, request });
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(base)) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  // Range requests (media) go straight to the network, with the headers added.
  if (request.headers.has('range')) {
    event.respondWith(fetch(request).then((response) => withDeployHeaders(response, url)));
    return;
  }
  event.respondWith(respond(event, url).then((response) => withDeployHeaders(response, url)));
});
