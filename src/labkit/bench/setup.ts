/**
 * Starting one tfjs backend (variant) for a benchmark, and saying what it really runs on (threads, SIMD, renderer).
 * See backends.ts for why each wasm variant needs a fresh realm. Never throws for a backend that cannot start: it
 * returns the reason.
 */
import * as tf from '@tensorflow/tfjs';
import { probeWebGL, probeWebGPU, specId, softwareRenderer, wasmSupport, type BackendSpec } from './backends.ts';

/** Where the wasm binaries are: a folder URL/path ending in '/', or a map from file name to URL. */
export type WasmPaths = string | Record<string, string>;

/** A backend that started, and what it really runs on: every measurement made on it carries these. */
export interface BackendStarted {
  ok: true;
  /** The variant that started ('wasm-simd-threads', 'cpu', …). */
  id: string;
  /** tf.getBackend() after the switch. */
  backend: string;
  /** How long creating and initialising the backend took (ms), e.g. fetching and compiling the wasm binary. */
  initMs: number;
  /**
   * Threads that run the kernels: 1 for cpu; for wasm what tfjs reports (`getThreadsCount()`), which may be 1 even
   * in the threaded build (tfjs's default is half the logical cores, at most 4); null on a GPU backend.
   */
  threads: number | null;
  /** wasm: whether its SIMD build runs; null for other backends. */
  simd: boolean | null;
  /** wasm with threads: the thread count asked for, when one was. */
  threadsRequested?: number;
  /** webgl and webgpu: what renders, and whether it is a software rasterizer (then the "GPU" is the CPU). */
  renderer?: string;
  software?: boolean;
}

export interface BackendRefused {
  ok: false;
  id: string;
  reason: string;
}

let wasmVariantInRealm: string | null = null;

/** Starts one backend (variant) and makes it current. Never throws; returns the reason when it cannot. */
export async function setupBackend(spec: BackendSpec, opts: { wasmPaths?: WasmPaths; clock?: () => number } = {}): Promise<BackendStarted | BackendRefused> {
  let id = specId(spec);
  const clock = opts.clock ?? (() => performance.now());
  const refuse = (reason: string): BackendRefused => ({ ok: false, id, reason });
  try {
    let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;
    let renderer: string | undefined;
    if (spec.backend === 'wasm') {
      const w = wasmSupport();
      if (!w.wasm) return refuse('WebAssembly is not available');
      const wantSimd = spec.simd ?? w.simd;
      const wantThreads = spec.threads ?? w.threads;
      if (wantThreads && !wantSimd) return refuse('tfjs-backend-wasm has no threaded build without SIMD');
      if (wantSimd && !w.simd) return refuse(w.simdReason ?? 'no WebAssembly SIMD');
      if (wantThreads && !w.threads) return refuse(w.threadsReason ?? 'no WebAssembly threads');
      const variant = specId({ backend: 'wasm', simd: wantSimd, threads: wantThreads });
      id = variant;
      if (wasmVariantInRealm && wasmVariantInRealm !== variant) {
        return refuse(`the ${wasmVariantInRealm} variant is already loaded in this worker/page; a wasm variant can only be chosen in a fresh one`);
      }
      wasmModule = await import('@tensorflow/tfjs-backend-wasm');
      if (opts.wasmPaths) wasmModule.setWasmPaths(opts.wasmPaths as never);
      if (!wasmVariantInRealm) {
        tf.env().set('WASM_HAS_SIMD_SUPPORT', wantSimd);
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', wantThreads);
        if (spec.threadsCount) wasmModule.setThreadsCount(spec.threadsCount);
      }
      wasmVariantInRealm = variant;
    } else if (spec.backend === 'webgl') {
      const gl = probeWebGL();
      if (!gl.available) return refuse(gl.reason!);
      renderer = gl.unmaskedRenderer ?? gl.renderer;
    } else if (spec.backend === 'webgpu') {
      const gpu = await probeWebGPU();
      if (!gpu.available) return refuse(gpu.reason!);
      renderer = [gpu.vendor, gpu.architecture, gpu.description].filter(Boolean).join(' ') || undefined;
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    const t0 = clock();
    const ok = await tf.setBackend(spec.backend);
    await tf.ready();
    const initMs = clock() - t0;
    if (!ok || tf.getBackend() !== spec.backend) return refuse(`tf.setBackend('${spec.backend}') failed to initialise the backend`);
    const started: BackendStarted = { ok: true, id, backend: tf.getBackend(), initMs, threads: spec.backend === 'cpu' ? 1 : null, simd: null };
    if (wasmModule) {
      started.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      started.threads = wasmModule.getThreadsCount();
      if (spec.threadsCount) started.threadsRequested = spec.threadsCount;
    } else if (renderer) {
      started.renderer = renderer;
      started.software = softwareRenderer(renderer);
    }
    return started;
  } catch (e) {
    return refuse(`starting ${id} failed: ${(e as Error).message}`);
  }
}
