import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { detectBackends, parseSpecId, softwareRenderer, specId } from './backends.ts';
import { setupBackend } from './setup.ts';
import { artifactsOf, benchmarkModels, loadAndFirstInference, type ModelSource } from './harness.ts';
import { downloadMs, network, timeToFirstPrediction } from './networks.ts';
import { captureEnvironment, environmentRows } from './environment.ts';
import { REFERENCE_ORDER, type OrderStatistics } from '../stats/samples.ts';

const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';

function tinyDense(hidden: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [64], units: hidden, activation: 'relu', kernelInitializer: 'glorotUniform' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function tinyCnn(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

async function source(name: string, make: () => tf.LayersModel): Promise<ModelSource> {
  const m = make();
  const { artifacts, bytes } = await artifactsOf(m);
  m.dispose();
  return { name, artifacts, bytes };
}

const quick = { warmup: 2, minRuns: 30, maxRuns: 60, budgetMs: 300, sweep: [1, 8, 32], sweepOptions: { minRuns: 5, maxRuns: 20, budgetMs: 100 } };

describe('backends in Node', () => {
  it('reports what is unavailable, with reasons, and never throws', async () => {
    const all = await detectBackends();
    const by = Object.fromEntries(all.map((a) => [a.id, a]));
    expect(by.cpu.available).toBe(true);
    expect(by.wasm.available).toBe(true);
    expect(by['wasm-simd-threads'].available).toBe(false);
    expect(by['wasm-simd-threads'].reason).toMatch(/Node/);
    expect(by.webgl.available).toBe(false);
    expect(by.webgl.reason).toMatch(/canvas/);
    expect(by.webgpu.available).toBe(false);
    expect(by.webgpu.reason).toMatch(/navigator\.gpu|adapter/);
    const gpu = await setupBackend({ backend: 'webgpu' });
    expect(gpu.ok).toBe(false);
    const gl = await setupBackend({ backend: 'webgl' });
    expect(gl.ok).toBe(false);
    if (!gl.ok) expect(gl.reason).toMatch(/WebGL|canvas/);
  });
  it('spec ids round-trip', () => {
    for (const id of ['cpu', 'wasm', 'wasm-simd', 'wasm-simd-threads', 'webgl', 'webgpu']) expect(specId(parseSpecId(id))).toBe(id);
  });
  it('software rasterizers are recognised by their renderer string', () => {
    expect(softwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(softwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(softwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(softwareRenderer(undefined)).toBe(false);
  });
  it('captures the environment', async () => {
    const env = await captureEnvironment(tf.version.tfjs);
    expect(env.tfjs).toBe(tf.version.tfjs);
    expect(env.node).toMatch(/^v\d+/);
    expect(env.timer.stepMs).toBeGreaterThan(0);
    const rows = environmentRows(env);
    expect(rows.map((r) => r[0])).toContain('TensorFlow.js');
  });
});

describe('the harness on real tfjs backends', () => {
  it('cpu: steady state, sweep, first inference on its own, no leaks', async () => {
    const started = await setupBackend({ backend: 'cpu' });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.threads).toBe(1);
    expect(started.simd).toBeNull();
    const before = tf.memory().numTensors;
    const src = await source('dense-32', () => tinyDense(32));
    const [r] = await benchmarkModels([src], quick);
    expect(r!.backend).toBe('cpu');
    expect(r!.steady.samples.length).toBeGreaterThanOrEqual(30);
    expect(r!.steady.warmupSamples).toHaveLength(2);
    expect(['converged', 'budget', 'max-runs']).toContain(r!.steady.stopReason);
    expect(r!.steady.summary.ci.lower).toBeLessThanOrEqual(r!.steady.summary.median);
    expect(r!.steady.summary.ci.upper).toBeGreaterThanOrEqual(r!.steady.summary.median);
    expect(r!.sweep.map((p) => p.batchSize)).toEqual([1, 8, 32]);
    for (const p of r!.sweep) expect(p.summary.n).toBeGreaterThanOrEqual(5);
    expect(r!.tensors.leaked).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const { model, first } = await loadAndFirstInference(src);
    model.dispose();
    expect(first.warmupMs).toBeGreaterThan(0);
    expect(first.loadMs).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('summaries use the order statistics they are given (a student\'s own functions)', async () => {
    await setupBackend({ backend: 'cpu' });
    const calls: string[] = [];
    const spy: OrderStatistics = {
      quantileSorted: (s, p) => (calls.push(`q${p}`), REFERENCE_ORDER.quantileSorted(s, p)),
      medianCISorted: (s, level) => (calls.push('ci'), REFERENCE_ORDER.medianCISorted(s, level)),
    };
    const [r] = await benchmarkModels([await source('dense-8', () => tinyDense(8))], { ...quick, sweep: [4], order: spy });
    expect(calls.filter((c) => c === 'ci')).toHaveLength(2); // the steady state and the one sweep point
    expect(calls).toContain('q0.5');
    expect(r!.steady.summary.n).toBe(r!.steady.samples.length);
  });

  it('wasm (SIMD, single thread in Node): a CNN and a dense model, no leaks; a second wasm variant is refused', async () => {
    const started = await setupBackend({ backend: 'wasm', simd: true, threads: false }, { wasmPaths: wasmDir });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.id).toBe('wasm-simd');
    expect(started.simd).toBe(true);
    expect(started.threads).toBe(1); // read from tfjs (getThreadsCount), not assumed
    const before = tf.memory().numTensors;
    const rs = await benchmarkModels([await source('cnn', tinyCnn), await source('dense-8', () => tinyDense(8))], { ...quick, sweep: [] });
    for (const r of rs) {
      expect(r.backend).toBe('wasm');
      expect(r.steady.samples.length).toBeGreaterThanOrEqual(30);
      expect(r.tensors.leaked).toBe(0);
    }
    expect(tf.memory().numTensors).toBe(before);
    const other = await setupBackend({ backend: 'wasm', simd: false, threads: false }, { wasmPaths: wasmDir });
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.reason).toMatch(/fresh/);
    const threads = await setupBackend({ backend: 'wasm', simd: true, threads: true }, { wasmPaths: wasmDir });
    expect(threads.ok).toBe(false);
  });

  it('interleaves several models on one backend, sweeps only where asked, no leaks', async () => {
    await setupBackend({ backend: 'cpu' });
    const before = tf.memory().numTensors;
    const rs = await benchmarkModels([await source('big', () => tinyDense(64)), await source('small', () => tinyDense(8))], { ...quick, sweepFor: (n) => n === 'big' });
    expect(rs.map((r) => r.model)).toEqual(['big', 'small']);
    expect(rs[0]!.steady.samples.length).toBe(rs[1]!.steady.samples.length); // one run of each per round
    expect(rs[0]!.steady.samples.length).toBeGreaterThanOrEqual(30);
    expect(rs[0]!.sweep).toHaveLength(3);
    expect(rs[1]!.sweep).toHaveLength(0);
    expect(rs.every((r) => r.tensors.leaked === 0)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels cleanly', async () => {
    await setupBackend({ backend: 'cpu' });
    const before = tf.memory().numTensors;
    const ac = new AbortController();
    const src = await source('dense-32', () => tinyDense(32));
    const p = benchmarkModels([src], { ...quick, signal: ac.signal, onProgress: (e) => e.phase === 'steady' && e.detail.startsWith('3 ') && ac.abort() });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('time to first prediction', () => {
  it('adds a simulated download to the measured phases', () => {
    const net = network('cable');
    // 500 kB at 5 Mbit/s = 0.8 s, plus 2 round trips of 28 ms
    expect(downloadMs(500_000, net)).toBeCloseTo(856, 9);
    const t = timeToFirstPrediction({ initMs: 5, loadMs: 10, warmupMs: 20, firstPredictionMs: 1 }, 500_000, net);
    expect(t.totalMs).toBeCloseTo(892, 9);
    expect(() => network('dial-up')).toThrow(/unknown network profile "dial-up"/);
  });
});
