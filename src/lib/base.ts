/** Site paths with the base path the site is built for in front: `withBase('/labs/')` → `/labs/`, or `/course/labs/`. */
export function withBase(path: string): string {
  return `${import.meta.env.BASE_URL.replace(/\/$/, '')}${path}`;
}
