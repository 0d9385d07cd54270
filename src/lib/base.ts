/** Site paths with the configured base path in front (see src/markdown/base-path.mjs): `withBase('/labs/')`. */
import { joinBase } from '../markdown/base-path.mjs';

export function withBase(path: string): string {
  return joinBase(import.meta.env.BASE_URL, path);
}
