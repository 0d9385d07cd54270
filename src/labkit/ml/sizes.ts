/**
 * Download size: gzipped bytes, the same everywhere (fflate at level 6 with a zero timestamp, in the page, a worker,
 * Node and the model cards), so one file never shows two sizes.
 */
import { gzipSync } from 'fflate';

export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 6, mtime: 0 }).length;
}
