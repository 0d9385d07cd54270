/**
 * node:path, from the `path-browserify` package: a port of Node's own POSIX path module, so join, normalize,
 * relative, parse and format keep Node's edge cases. Relative paths resolve against the program's working directory.
 */
import posix from 'path-browserify';
import type { Host } from '../host.ts';

export function pathModule(host: Host): Record<string, unknown> {
  const resolve = (...parts: string[]) => posix.resolve(host.cwd(), ...parts);
  const relative = (from: string, to: string) => posix.relative(resolve(from), resolve(to));
  const path: Record<string, unknown> = { ...posix, resolve, relative, toNamespacedPath: (p: string) => p, matchesGlob: undefined };
  delete path.matchesGlob;
  path.posix = path;
  path.default = path;
  return path;
}
