/**
 * What the benchmark ran on, for the report: browser, cores, isolation, timer resolution, tfjs version, and the
 * wasm/WebGL/WebGPU details where the browser exposes them. Works in a page, a worker and Node; never throws. Free of
 * tfjs (the caller passes its version), so a page can format an environment without loading tfjs.
 */
import { detectBackends, isNode, probeWebGL, probeWebGPU, softwareRenderer, wasmSupport, type Availability, type WebGLInfo, type WebGPUInfo } from './backends.ts';
import { measureTimerResolution, type TimerResolution } from './timer.ts';

export interface Environment {
  capturedAt: string;
  userAgent: string;
  /** navigator.userAgentData (Chromium), with high-entropy values where granted. */
  userAgentData?: Record<string, unknown>;
  node?: string;
  hardwareConcurrency: number | null;
  crossOriginIsolated: boolean | null;
  sharedArrayBuffer: boolean;
  timer: TimerResolution;
  tfjs: string;
  wasm: { simd: boolean; threads: boolean; threadsReason?: string };
  webgl: WebGLInfo;
  webgpu: WebGPUInfo;
  backends: Availability[];
}

interface NavigatorLike {
  userAgent?: string;
  hardwareConcurrency?: number;
  userAgentData?: {
    brands?: { brand: string; version: string }[];
    mobile?: boolean;
    platform?: string;
    getHighEntropyValues?: (hints: string[]) => Promise<Record<string, unknown>>;
  };
}

/** `tfjs`: the version of TensorFlow.js that will run the benchmarks (`tf.version.tfjs`). */
export async function captureEnvironment(tfjs: string): Promise<Environment> {
  const nav = (globalThis as { navigator?: NavigatorLike }).navigator;
  let userAgentData: Record<string, unknown> | undefined;
  if (nav?.userAgentData) {
    userAgentData = { brands: nav.userAgentData.brands, mobile: nav.userAgentData.mobile, platform: nav.userAgentData.platform };
    try {
      const high = await nav.userAgentData.getHighEntropyValues?.(['architecture', 'platformVersion', 'fullVersionList', 'model']);
      if (high) userAgentData = { ...userAgentData, ...high };
    } catch {
      /* not granted */
    }
  }
  const node = isNode() ? (process as { version: string }).version : undefined;
  const w = wasmSupport();
  return {
    capturedAt: new Date().toISOString(),
    userAgent: nav?.userAgent ?? (node ? `Node.js ${node}` : 'unknown'),
    ...(userAgentData ? { userAgentData } : {}),
    ...(node ? { node } : {}),
    hardwareConcurrency: nav?.hardwareConcurrency ?? null,
    crossOriginIsolated: typeof (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === 'boolean' ? (globalThis as { crossOriginIsolated: boolean }).crossOriginIsolated : null,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    timer: measureTimerResolution(),
    tfjs,
    wasm: { simd: w.simd, threads: w.threads, ...(w.threadsReason ? { threadsReason: w.threadsReason } : {}) },
    webgl: probeWebGL(),
    webgpu: await probeWebGPU(),
    backends: await detectBackends(),
  };
}

/** Flat key → value rows for a report table. */
export function environmentRows(env: Environment, extra: Record<string, string | number | boolean | null> = {}): [string, string][] {
  const ua = env.userAgentData as { fullVersionList?: { brand: string; version: string }[]; platform?: string; platformVersion?: string; architecture?: string } | undefined;
  const rows: [string, string][] = [
    ['Browser', ua?.fullVersionList ? ua.fullVersionList.filter((b) => !/Not.?A.?Brand/i.test(b.brand)).map((b) => `${b.brand} ${b.version}`).join(', ') : env.userAgent],
    ['User agent', env.userAgent],
    ['Platform', ua?.platform ? [ua.platform, ua.platformVersion, ua.architecture].filter(Boolean).join(' ') : '—'],
    ['Logical cores (hardwareConcurrency)', String(env.hardwareConcurrency ?? '—')],
    ['crossOriginIsolated', String(env.crossOriginIsolated ?? '—')],
    ['SharedArrayBuffer', String(env.sharedArrayBuffer)],
    ['Timer resolution (smallest step of performance.now())', `${formatMs(env.timer.stepMs)}`],
    ['TensorFlow.js', env.tfjs],
    ['wasm SIMD', String(env.wasm.simd)],
    ['wasm threads', env.wasm.threads ? 'yes' : `no — ${env.wasm.threadsReason ?? ''}`],
    ['WebGL', env.webgl.available ? `WebGL ${env.webgl.version}: ${webglRenderer(env.webgl)} (${env.webgl.unmaskedVendor ?? env.webgl.vendor})${softwareRenderer(webglRenderer(env.webgl)) ? ' — software rendering: WebGL timings here measure the CPU, not a GPU' : ''}` : `unavailable — ${env.webgl.reason}`],
    ['WebGPU', env.webgpu.available ? [env.webgpu.vendor, env.webgpu.architecture, env.webgpu.description].filter(Boolean).join(' ') || 'adapter (no info exposed)' : `unavailable — ${env.webgpu.reason}`],
  ];
  for (const [k, v] of Object.entries(extra)) rows.push([k, String(v ?? '—')]);
  return rows;
}

const webglRenderer = (gl: WebGLInfo) => gl.unmaskedRenderer ?? gl.renderer ?? '';

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  return ms < 1 ? `${Number((ms * 1000).toPrecision(3))} µs` : `${Number(ms.toPrecision(3))} ms`;
}
