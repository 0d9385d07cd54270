/**
 * The deploy headers of public/_headers (cross-origin isolation, the Content-Security-Policy), added by a service
 * worker to same-origin responses that lack them, for hosts that cannot send headers (GitHub Pages). Both service
 * workers use it: the site's (sw.ts) and each lab's sandbox (sandbox.ts). Where the host sends them, nothing changes.
 */
import { headersFor, type HeaderRule } from '../../scripts/header-rules.mjs';

/** The site path of a URL (`/guide/overview/` under any base), as `_headers` rules see it. */
export const sitePath = (url: URL, base: string) => `/${url.pathname.slice(base.length)}`;

/** Adds the deploy headers that a response lacks. */
export function withDeployHeaders(response: Response, url: URL, rules: HeaderRule[], base: string): Response {
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const wanted = Object.entries(headersFor(rules, sitePath(url, base)) as Record<string, string>).filter(([name]) => !response.headers.has(name));
  if (wanted.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of wanted) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
