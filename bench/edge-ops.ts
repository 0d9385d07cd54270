/**
 * Browser side of bench/edge-chromium.mjs (bundled with esbuild): times the lab's quantization and pruning
 * primitives on real weight tensors, each as a ratio to a plain copy of the same weight bytes.
 */
import { quantizeAffine } from '../src/labkit/ml/quantize.ts';
import { encodeFloat16 } from '../src/labkit/ml/float16.ts';
import { magnitudeMask, magnitudeMasks, keepCount } from '../src/labkit/ml/prune.ts';

type Op = (tensors: Float32Array[]) => unknown;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median time of one call, in ms. Browsers coarsen performance.now() (0.1 ms without cross-origin isolation), so each
 * sample times as many repetitions as fill at least 20 ms.
 */
function time(op: Op, tensors: Float32Array[], runs: number): number {
  for (let i = 0; i < 3; i++) op(tensors); // warm-up (JIT)
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) op(tensors);
    if (performance.now() - t0 >= 20) break;
    reps *= 2;
  }
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) op(tensors);
    t.push((performance.now() - t0) / reps);
  }
  return median(t);
}

export function run(weights: Record<string, Float32Array[]>, runs = 15) {
  const ops: Record<string, Op> = {
    'plain copy of the weight bytes': (ts) => ts.map((t) => new Uint8Array(t.buffer.slice(t.byteOffset, t.byteOffset + t.byteLength))),
    'quantize uint8': (ts) => ts.map((t) => quantizeAffine(t, 'uint8')),
    'quantize uint16': (ts) => ts.map((t) => quantizeAffine(t, 'uint16')),
    'encode float16': (ts) => ts.map((t) => encodeFloat16(t)),
    'prune 80% per tensor (quickselect)': (ts) => ts.map((t) => magnitudeMask(t, 0.8)),
    'prune 80% global (quickselect)': (ts) => magnitudeMasks(ts, keepCount(ts.reduce((n, t) => n + t.length, 0), 0.8)),
    'for comparison: full sort of all magnitudes': (ts) => ts.map((t) => Float32Array.from(t, Math.abs).sort()),
  };
  const out: Record<string, { ms: number; ratio: number; weights: number }> = {};
  for (const [model, tensors] of Object.entries(weights)) {
    const n = tensors.reduce((s, t) => s + t.length, 0);
    const copy = time(ops['plain copy of the weight bytes'], tensors, runs);
    for (const [name, op] of Object.entries(ops)) {
      const ms = time(op, tensors, runs);
      out[`${model} | ${name}`] = { ms, ratio: ms / copy, weights: n };
    }
  }
  return out;
}
