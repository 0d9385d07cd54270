/**
 * The ML labkit's Node-only helpers (never bundled for the page): where the wasm binaries and the MNIST files are on
 * disk, for the tests, the benchmarks and the preparation scripts.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from './data.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MNIST_DIR = join(ROOT, 'public/data/mnist');

/** The folder holding the tfjs wasm binaries, as a file path with a trailing slash. */
export function nodeWasmPath(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`;
}

/** Reads the packed MNIST files from a folder (the site's own by default). */
export function mnistDir(dir = MNIST_DIR): DataSource {
  return { read: async (file) => new Uint8Array(await readFile(join(dir, file))) };
}
