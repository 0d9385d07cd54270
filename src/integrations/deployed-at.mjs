// Where the built site will live, from the course file's `url` field.
import { normalizeBase } from '../markdown/base-path.mjs';

/** Used while the course file names no `url`; canonical links and the sitemap then point here. */
export const placeholderUrl = 'https://mlops-course.example.org/';

/**
 * Astro's `site` (an origin) and `base` (a path) from the URL the course will be served at, so
 * `https://user.github.io/course/` gives `https://user.github.io` and `/course/`. `basePath` (the BASE_PATH
 * environment variable) overrides the path, as the tests do to build a copy under a base path.
 * @param {unknown} url
 * @param {string | undefined} basePath
 */
export function deployedAt(url, basePath) {
  let parsed;
  try {
    parsed = new URL(typeof url === 'string' ? url : placeholderUrl);
  } catch {
    throw new Error(`content/course.yaml: url must be the full address the site is served at, such as https://user.github.io/course/ (found "${url}")`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`content/course.yaml: url must start with https:// (found "${url}")`);
  }
  return { site: parsed.origin, base: normalizeBase(basePath ?? parsed.pathname) };
}
