/**
 * What every tfjs lab worker sets up first: the backend (with the wasm files the page bundled), the site's base URL,
 * and the MNIST splits, fetched gzipped and decompressed once, only when a job needs them.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from './backend.ts';
import { loadMnist, type MnistSplit, type SplitName } from './data.ts';

export interface TfjsSetup {
  backend: BackendName;
  /** The site's base URL, ending in '/'. */
  base: string;
  /** The wasm binaries' URLs, by file name (the page imports them with Vite's `?url`). */
  wasm: Record<string, string>;
}

export interface TfjsInfo {
  backend: string;
  tfjs: string;
  simd: boolean | null;
  /** Threads the backend really uses: 1 for cpu, webgl and single-threaded wasm. */
  threads: number;
}

let base = '/';
const splits = new Map<SplitName, Promise<MnistSplit>>();

export async function startTfjs(setup: TfjsSetup): Promise<TfjsInfo> {
  base = setup.base.endsWith('/') ? setup.base : `${setup.base}/`;
  if (setup.backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(setup.wasm);
  }
  const name = await initBackend(setup.backend, { threads: false });
  const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null;
  return { backend: name, tfjs: tf.version.tfjs, simd, threads: 1 };
}

/** One MNIST split, loaded on first use. */
export function mnist(split: SplitName): Promise<MnistSplit> {
  let loading = splits.get(split);
  if (!loading) {
    loading = loadMnist({ url: `${base}data/mnist/` }, split);
    loading.catch(() => splits.delete(split));
    splits.set(split, loading);
  }
  return loading;
}

/** The first `count` images of a split, as a view. */
export function firstOf(split: MnistSplit, count: number): MnistSplit {
  const n = Math.min(count, split.count);
  return { images: split.images.subarray(0, n * 784), labels: split.labels.subarray(0, n), count: n };
}

export function siteUrl(path: string): string {
  return `${base}${path.replace(/^\//, '')}`;
}
