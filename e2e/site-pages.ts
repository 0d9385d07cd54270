import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The built site under test; `SITE_DIST` lets a second build (under a base path, say) be tested beside dist/. */
export const dist = process.env.SITE_DIST ?? 'dist';

/** Every built HTML page as a site path (`/guide/overview/`), except the 404 page. */
export function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) pages.push(path);
    }
  };
  walk(dist);
  return pages
    .map((file) => '/' + relative(dist, file).split(sep).join('/'))
    .filter((path) => path !== '/404.html')
    .map((path) => path.replace(/index\.html$/, ''))
    .sort();
}

export function builtHtml(path: string): string {
  const file = path.endsWith('/') ? join(dist, path, 'index.html') : join(dist, path);
  return readFileSync(file, 'utf8');
}

/** The base path the site under test was built for (BASE_PATH), `/` or `/course/`. */
export const base = `/${(process.env.BASE_PATH ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');

/** A site path (`/guide/overview/`) as a URL path of the site under test (`/course/guide/overview/`). */
export function sitePath(path: string): string {
  return base + path.replace(/^\//, '');
}
