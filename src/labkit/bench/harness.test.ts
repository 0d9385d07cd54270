import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { detectBackends, releaseBackend, setupBackend, specId, parseSpecId } from './backends.ts';
import { artifactsOf, benchmarkModel, benchmarkModels, downloadMs, NETWORKS, timeToFirstPrediction, type ModelSource } from './harness.ts';
import { captureEnvironment, environmentRows } from './environment.ts';

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
  it('captures the environment', async () => {
    const env = await captureEnvironment();
    expect(env.tfjs).toBe(tf.version.tfjs);
    expect(env.node).toMatch(/^v\d+/);
    expect(env.timer.stepMs).toBeGreaterThan(0);
    const rows = environmentRows(env);
    expect(rows.map((r) => r[0])).toContain('TensorFlow.js');
  });
});

describe('the harness on real tfjs backends', () => {
  afterAll(async () => {
    await releaseBackend('cpu');
  });

  it('cpu: first inference, steady state, sweep, no leaks', async () => {
    const started = await setupBackend({ backend: 'cpu' });
    expect(started.ok).toBe(true);
    const before = tf.memory().numTensors;
    const src = await source('dense-32', () => tinyDense(32));
    const r = await benchmarkModel(src, quick);
    expect(r.backend).toBe('cpu');
    expect(r.steady.samples.length).toBeGreaterThanOrEqual(30);
    expect(r.steady.warmupSamples).toHaveLength(2);
    expect(['converged', 'budget', 'max-runs']).toContain(r.steady.stopReason);
    expect(r.steady.summary.ci.lower).toBeLessThanOrEqual(r.steady.summary.median);
    expect(r.steady.summary.ci.upper).toBeGreaterThanOrEqual(r.steady.summary.median);
    expect(r.first.warmupMs).toBeGreaterThan(0);
    expect(r.sweep.map((p) => p.batchSize)).toEqual([1, 8, 32]);
    for (const p of r.sweep) expect(p.summary.n).toBeGreaterThanOrEqual(5);
    expect(r.tensors.leaked).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    // the same again: still no leaks after repeated runs
    const again = await benchmarkModel(src, { ...quick, sweep: [] });
    expect(again.tensors.leaked).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('wasm (SIMD, single thread in Node): a CNN and a dense model, no leaks; a second wasm variant is refused', async () => {
    const started = await setupBackend({ backend: 'wasm', simd: true, threads: false }, { wasmPaths: wasmDir });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.id).toBe('wasm-simd');
    expect(started.wasm?.simd).toBe(true);
    expect(started.wasm?.threads).toBe(false);
    const before = tf.memory().numTensors;
    for (const [name, make] of [['cnn', tinyCnn], ['dense-8', () => tinyDense(8)]] as const) {
      const r = await benchmarkModel(await source(name, make), quick);
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
    expect(rs[0].steady.samples.length).toBe(rs[1].steady.samples.length); // one run of each per round
    expect(rs[0].steady.samples.length).toBeGreaterThanOrEqual(30);
    expect(rs[0].sweep).toHaveLength(3);
    expect(rs[1].sweep).toHaveLength(0);
    expect(rs.every((r) => r.tensors.leaked === 0)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels cleanly', async () => {
    await setupBackend({ backend: 'cpu' });
    const before = tf.memory().numTensors;
    const ac = new AbortController();
    const src = await source('dense-32', () => tinyDense(32));
    const p = benchmarkModel(src, { ...quick, signal: ac.signal, onProgress: (e) => e.phase === 'steady' && ac.abort() });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('time to first prediction', () => {
  it('adds a simulated download to the measured phases', () => {
    const net = NETWORKS.find((n) => n.id === 'cable')!;
    // 500 kB at 5 Mbit/s = 0.8 s, plus 2 round trips of 28 ms
    expect(downloadMs(500_000, net)).toBeCloseTo(856, 9);
    const t = timeToFirstPrediction({ loadMs: 10, warmupMs: 20, firstPredictionMs: 1 }, 500_000, net);
    expect(t.totalMs).toBeCloseTo(887, 9);
  });
});
