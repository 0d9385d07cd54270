import { describe, expect, it } from 'vitest';
import { summarize } from '../../../labkit/stats/samples.ts';
import { measure, mergeRun, structuredPairs, ttfpRows, QUANTITIES } from './measure.ts';
import { latencyDistributionSvg, ttfpSvg } from './charts.ts';
import { NETWORKS } from '../../../labkit/bench/harness.ts';
import type { BackendRun, VariantResult } from './protocol.ts';

function result(backendId: string, variant: VariantResult['variant'], samples: number[], extra: Partial<VariantResult> = {}): VariantResult {
  return {
    backendId,
    model: 'dense',
    variant,
    params: 100,
    bytes: 400_000,
    gzipBytes: variant === 'uint8' ? 100_000 : 400_000,
    first: { loadMs: 5, warmupMs: 20, firstPredictionMs: 1 },
    batchSize: 1,
    summary: summarize(samples),
    stopReason: 'converged',
    samples,
    sweep: [],
    leaked: 0,
    ...extra,
  };
}

const run = (id: string, results: VariantResult[]): BackendRun => ({
  id,
  label: id,
  started: { ok: true, id, backend: id, initMs: 1 },
  results,
  tensorsBefore: 0,
  tensorsAfter: 0,
  at: '2026-11-23T00:00:00Z',
});

const thirty = (v: number) => Array.from({ length: 30 }, (_, i) => v + (i % 3) * 0.01);

describe('speed lab quantities', () => {
  it('counts backends with ≥ 30 runs (wasm variants count once), sweeps and structured pairs', () => {
    const sweep = [1, 8, 256].map((b) => ({ batchSize: b, summary: summarize([b]), stopReason: 'converged' as const }));
    const runs = [
      run('cpu', [result('cpu', 'baseline', thirty(2), { sweep }), result('cpu', 'structured50', thirty(1)), result('cpu', 'uint8', thirty(2))]),
      run('wasm-simd', [result('wasm-simd', 'baseline', thirty(1))]),
      run('wasm-simd-threads', [result('wasm-simd-threads', 'baseline', thirty(0.5))]),
      run('webgl', [result('webgl', 'baseline', [1, 2, 3])]),
    ];
    const m = measure(runs);
    expect(m[QUANTITIES.backends30]).toBe(2);
    expect(m[QUANTITIES.sweepMax]).toBe(256);
    expect(m[QUANTITIES.structuredFaster]).toBe(1);
    expect(m[QUANTITIES.structuredRatio]).toBeCloseTo(1.01 / 2.01, 9);
    // uint8 downloads 100 kB instead of 400 kB: at 3G (1.6 Mbit/s) that is 1.5 s less
    expect(m[QUANTITIES.ttfpUint8]).toBeLessThan(1);
    const pairs = structuredPairs(runs);
    expect(pairs).toEqual([{ backendId: 'cpu', model: 'dense', ratio: expect.any(Number), disjoint: true, faster: true }]);
  });
  it('overlapping intervals are not "faster"', () => {
    const runs = [run('cpu', [result('cpu', 'baseline', thirty(1)), result('cpu', 'structured50', thirty(1))])];
    expect(measure(runs)[QUANTITIES.structuredFaster]).toBe(0);
  });
  it('time to first prediction adds the simulated download', () => {
    const net = NETWORKS.find((n) => n.id === '3g')!;
    const [t] = ttfpRows([run('cpu', [result('cpu', 'baseline', thirty(1))])], net);
    expect(t.downloadMs).toBeCloseTo(2 * 300 + ((400_000 * 8) / 1.6e6) * 1000, 9);
    expect(t.totalMs).toBeCloseTo(t.downloadMs + 26, 9);
  });
  it('charts are standalone SVG with a title', () => {
    const r = result('cpu', 'baseline', thirty(1));
    const svg = latencyDistributionSvg([{ label: 'cpu · dense', result: r }]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<title>');
    const t = ttfpRows([run('cpu', [r])], NETWORKS[0]);
    expect(ttfpSvg(t.map((x) => ({ label: 'x', t: x })), 'slow')).toContain('Time to first prediction');
  });
  it('no results, no quantities', () => {
    expect(measure([])).toEqual({});
  });
});

describe('merging a repeated run', () => {
  it('replaces re-measured variants, keeps the others and an earlier sweep', () => {
    const sweep = [1, 256].map((b) => ({ batchSize: b, summary: summarize([b]), stopReason: 'converged' as const }));
    const old = run('cpu', [result('cpu', 'baseline', thirty(2), { sweep }), result('cpu', 'uint8', thirty(2))]);
    const next = run('cpu', [result('cpu', 'baseline', thirty(3))]);
    const m = mergeRun(old, next);
    expect(m.results.map((r) => r.variant).sort()).toEqual(['baseline', 'uint8']);
    const b = m.results.find((r) => r.variant === 'baseline')!;
    expect(b.summary.median).toBeCloseTo(3.01, 9);
    expect(b.sweep).toHaveLength(2);
    const refused: BackendRun = { ...next, started: { ok: false, id: 'cpu', reason: 'x' }, results: [] };
    expect(mergeRun(old, refused)).toBe(old);
    expect(mergeRun(undefined, next)).toBe(next);
  });
});
