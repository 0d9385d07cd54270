/**
 * tfjs backends for benchmarking: which are available here (and if not, why), and what each one is called. Nothing in
 * this file throws for an unavailable backend: it reports the reason instead.
 *
 * wasm variants. tfjs-backend-wasm picks its binary when the backend is first created, from two env flags:
 * WASM_HAS_MULTITHREAD_SUPPORT → tfjs-backend-wasm-threaded-simd.wasm, else WASM_HAS_SIMD_SUPPORT →
 * tfjs-backend-wasm-simd.wasm, else tfjs-backend-wasm.wasm. Forcing a flag to false before the backend starts selects
 * a slower variant. There is no threaded build without SIMD, so "threads on, SIMD off" does not exist. Once created,
 * the wasm module cannot be swapped inside the same JavaScript realm (its Emscripten module and pthread workers stay
 * alive), so **each wasm variant needs a fresh realm**: the lab page starts a new Web Worker per variant and
 * `bench/speed.mjs` loads a fresh page per variant. `setupBackend` (setup.ts) refuses (with a reason) to start a
 * second wasm variant in one realm rather than silently measuring the first one again.
 *
 * This file is free of tfjs, so a page can show backends and labels without loading it; setup.ts starts them.
 */

export type BackendId = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

export interface BackendSpec {
  backend: BackendId;
  /** wasm only: use the threaded build (needs cross-origin isolation). Default: when available. */
  threads?: boolean;
  /** wasm only: use a SIMD build. Default: when available. */
  simd?: boolean;
  /** wasm only: XNNPACK thread-pool size (default: navigator.hardwareConcurrency). */
  threadsCount?: number;
}

export interface Availability {
  /** 'cpu', 'wasm', 'wasm-simd', 'wasm-simd-threads', 'webgl', 'webgpu'. */
  id: string;
  spec: BackendSpec;
  label: string;
  available: boolean;
  /** Why not, in words a student can act on. */
  reason?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Stable id of a spec: 'wasm-simd-threads' etc. */
export function specId(spec: BackendSpec): string {
  if (spec.backend !== 'wasm') return spec.backend;
  return ['wasm', spec.simd === false ? null : 'simd', spec.threads === false ? null : 'threads'].filter(Boolean).join('-');
}

export function specLabel(spec: BackendSpec): string {
  if (spec.backend !== 'wasm') return spec.backend;
  const simd = spec.simd === false ? 'no SIMD' : 'SIMD';
  const threads = spec.threads === false ? 'single thread' : `threads${spec.threadsCount ? ` ×${spec.threadsCount}` : ''}`;
  return `wasm (${simd}, ${threads})`;
}

/** Parses 'wasm-simd-threads', 'wasm-simd', 'wasm', 'cpu', … back into a spec (explicit on/off for wasm). */
export function parseSpecId(id: string): BackendSpec {
  if (id === 'cpu' || id === 'webgl' || id === 'webgpu') return { backend: id };
  if (id.startsWith('wasm')) {
    const parts = id.split('-');
    return { backend: 'wasm', simd: parts.includes('simd'), threads: parts.includes('threads') };
  }
  throw new Error(`unknown backend id ${id}`);
}

export const isNode = (): boolean =>
  typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node && typeof window === 'undefined' && typeof self === 'undefined';

// Feature-detection programs from GoogleChromeLabs/wasm-feature-detect, the same bytes tfjs-backend-wasm uses.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);
const THREADS_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);

export function wasmSupport(): { wasm: boolean; simd: boolean; threads: boolean; threadsReason?: string; simdReason?: string } {
  if (typeof WebAssembly === 'undefined') {
    return { wasm: false, simd: false, threads: false, threadsReason: 'WebAssembly is not available', simdReason: 'WebAssembly is not available' };
  }
  let simd = false;
  try {
    simd = WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  const out: ReturnType<typeof wasmSupport> = { wasm: true, simd, threads: false };
  if (!simd) out.simdReason = 'this engine does not validate WebAssembly SIMD';
  if (isNode()) {
    out.threadsReason = 'tfjs-backend-wasm 4.x never uses threads in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there)';
  } else if (typeof SharedArrayBuffer === 'undefined') {
    out.threadsReason =
      'no SharedArrayBuffer: the page is not cross-origin isolated. Threads need the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
  } else if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    out.threadsReason = 'the page is not cross-origin isolated (needs COOP: same-origin and COEP: require-corp)';
  } else if (!simd) {
    out.threadsReason = 'tfjs-backend-wasm ships threads only in its SIMD build, and SIMD is unavailable';
  } else {
    try {
      new MessageChannel().port1.postMessage(new SharedArrayBuffer(1));
      out.threads = WebAssembly.validate(THREADS_PROBE);
      if (!out.threads) out.threadsReason = 'this engine does not validate WebAssembly threads (atomics)';
    } catch (e) {
      out.threadsReason = `SharedArrayBuffer cannot be posted between threads here (${(e as Error).message})`;
    }
  }
  return out;
}

export interface WebGLInfo {
  available: boolean;
  reason?: string;
  version?: 1 | 2;
  vendor?: string;
  renderer?: string;
  /** Unmasked vendor/renderer via WEBGL_debug_renderer_info, where the browser exposes it. */
  unmaskedVendor?: string;
  unmaskedRenderer?: string;
}

function makeCanvas(): OffscreenCanvas | HTMLCanvasElement | null {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  if (typeof document !== 'undefined') return document.createElement('canvas');
  return null;
}

/** Creates a throwaway WebGL context to see whether WebGL works here and what renders it; then releases it. */
export function probeWebGL(): WebGLInfo {
  const canvas = makeCanvas();
  if (!canvas) return { available: false, reason: 'no canvas here (Node, or a worker without OffscreenCanvas), so no WebGL context' };
  let gl: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  let version: 1 | 2 = 2;
  try {
    gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) {
      version = 1;
      gl = canvas.getContext('webgl') as WebGLRenderingContext | null;
    }
  } catch (e) {
    return { available: false, reason: `creating a WebGL context threw: ${(e as Error).message}` };
  }
  if (!gl) return { available: false, reason: 'WebGL context unavailable: the browser refused to create one (WebGL disabled, GPU blocklisted, or too many contexts)' };
  if (gl.isContextLost()) return { available: false, reason: 'WebGL context lost (the GPU process reset or the context was reclaimed)' };
  const info: WebGLInfo = { available: true, version, vendor: String(gl.getParameter(gl.VENDOR)), renderer: String(gl.getParameter(gl.RENDERER)) };
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  if (dbg) {
    info.unmaskedVendor = String(gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL));
    info.unmaskedRenderer = String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL));
  }
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return info;
}

export interface WebGPUInfo {
  available: boolean;
  reason?: string;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

interface GPUAdapterLike {
  info?: Record<string, string>;
  requestAdapterInfo?: () => Promise<Record<string, string>>;
}

/** Asks navigator.gpu for an adapter; never throws. */
export async function probeWebGPU(): Promise<WebGPUInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<GPUAdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) {
    return { available: false, reason: 'navigator.gpu is missing: this browser or context has no WebGPU (or it is disabled, or the page is not a secure context)' };
  }
  let adapter: GPUAdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { available: false, reason: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter) return { available: false, reason: 'no WebGPU adapter: navigator.gpu.requestAdapter() returned null (no suitable GPU, or blocklisted)' };
  let info: Record<string, string> | undefined = adapter.info;
  if (!info && adapter.requestAdapterInfo) {
    try {
      info = await adapter.requestAdapterInfo();
    } catch {
      info = undefined;
    }
  }
  return { available: true, vendor: info?.vendor, architecture: info?.architecture, device: info?.device, description: info?.description };
}

/** Which backends (and wasm variants) can run here, with reasons for those that cannot. */
export async function detectBackends(): Promise<Availability[]> {
  const out: Availability[] = [];
  const add = (spec: BackendSpec, available: boolean, reason?: string, details?: Availability['details']) =>
    out.push({ id: specId(spec), spec, label: specLabel(spec), available, ...(reason ? { reason } : {}), ...(details ? { details } : {}) });
  add({ backend: 'cpu' }, true);
  const w = wasmSupport();
  add({ backend: 'wasm', simd: false, threads: false }, w.wasm, w.wasm ? undefined : 'WebAssembly is not available');
  add({ backend: 'wasm', simd: true, threads: false }, w.simd, w.simdReason);
  add({ backend: 'wasm', simd: true, threads: true }, w.threads, w.threadsReason);
  const gl = probeWebGL();
  add({ backend: 'webgl' }, gl.available, gl.reason, gl.available ? { version: gl.version ?? null, renderer: gl.unmaskedRenderer ?? gl.renderer ?? null } : undefined);
  const gpu = await probeWebGPU();
  add({ backend: 'webgpu' }, gpu.available, gpu.reason, gpu.available ? { vendor: gpu.vendor ?? null, architecture: gpu.architecture ?? null } : undefined);
  return out;
}

/** Whether a WebGL renderer string names a software rasterizer: then "GPU" timings measure the CPU. */
export function softwareRenderer(renderer: string | null | undefined): boolean {
  return !!renderer && /swiftshader|llvmpipe|softpipe|software rasterizer|basic render driver/i.test(renderer);
}
