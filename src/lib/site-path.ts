/** Links that work wherever the site is deployed, at the root of a host or under a base path (a project site). */
import type { Course } from '../schemas';

/** A path inside the site, prefixed with the base path it is built for: `sitePath('modules/intro/')` → `/modules/intro/`. */
export function sitePath(path: string): string {
  const base = import.meta.env.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}${path.replace(/^\//, '')}`;
}

/** The absolute URL of a path on the published site, from the course file's `url`. */
export function absoluteUrl(course: Pick<Course, 'url'>, path: string): string {
  const root = course.url.endsWith('/') ? course.url : `${course.url}/`;
  return new URL(path.replace(/^\//, ''), root).href;
}
