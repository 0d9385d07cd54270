import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkCriteria, StateError } from '../../src/labkit/lab/define.ts';
import type { Criterion } from '../../src/labkit/report/criteria.ts';
import { evaluateCriteria } from '../../src/labkit/report/criteria.ts';
import { network } from '../../src/labkit/bench/networks.ts';
import speed, { type BackendRun, type Group, type Run, type SpeedState } from './lab.ts';
import { backendName, firstRatios, repeats, structuredPairs, threadsText } from './results.ts';
import { tables } from './report.ts';
import { keptSummary } from './summary.ts';

const criteria = (parseYaml(readFileSync(new URL('./index.mdx', import.meta.url), 'utf8').split('---')[1]!) as { criteria: Criterion[] }).criteria;

/** 30 runs around `ms`, spread ±`spread` ms. */
const around = (ms: number, spread = 0.01) => Array.from({ length: 30 }, (_, i) => ms + ((i % 7) - 3) * (spread / 3));
const row = (variant: Group['rows'][number]['variant'], samples: number[]) => ({ variant, params: 100, samples, summary: keptSummary(samples), stopReason: 'converged' as const });
const group = (model: string, batch: number, rows: Group['rows'], sweep: number[] = []): Group => ({
  model,
  batch,
  rows,
  sweep: sweep.map((b) => ({ batch: b, summary: keptSummary(around(b / 10)), stopReason: 'converged' as const })),
  leaked: 0,
});
const backend = (id: string, b: Partial<BackendRun>): BackendRun => ({
  id,
  backend: id.startsWith('wasm') ? 'wasm' : (id as BackendRun['backend']),
  threads: id === 'webgl' ? null : 1,
  simd: id.startsWith('wasm') ? id.includes('simd') : null,
  first: [],
  groups: [],
  ...b,
});
const first = (variant: 'baseline' | 'uint8', warmupMs: number) => ({ model: 'dense', variant, initMs: 20, loadMs: 10, warmupMs, firstPredictionMs: 1 });
const run = (id: string, at: string, backends: BackendRun[]): Run => ({
  id,
  at,
  settings: { budgetMs: 500, batch: 1, sweep: [] },
  variants: [
    { model: 'dense', variant: 'baseline', params: 100, bytes: 440_000, gzipBytes: 400_000 },
    { model: 'dense', variant: 'uint8', params: 100, bytes: 120_000, gzipBytes: 100_000 },
  ],
  backends,
  skipped: [],
});

describe('the speed lab’s definition', () => {
  it('measures what each criterion in index.mdx names, in the same unit', () => {
    expect(criteria.length).toBe(4);
    expect(checkCriteria(speed, criteria)).toEqual([]);
  });

  it('measures nothing for an empty state', () => {
    expect(speed.measure(speed.empty())).toEqual({});
  });

  it('counts backend families with 30 runs, the sweep, structured pairs and the worst time-to-first-prediction ratio', () => {
    const state: SpeedState = {
      runs: [
        run('a', '2026-12-01T10:00:00Z', [
          backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2)), row('structured50', around(1))], [1, 8, 256])], first: [first('baseline', 80), first('uint8', 70)] }),
          backend('wasm-simd', { groups: [group('dense', 1, [row('baseline', around(0.5))])] }),
          backend('wasm-simd-threads', { groups: [group('dense', 1, [row('baseline', around(0.4))])], first: [first('baseline', 5), first('uint8', 5)] }),
          backend('webgl', { groups: [group('dense', 1, [row('baseline', around(3).slice(0, 20))])] }),
        ]),
      ],
    };
    const m = speed.measure(state);
    expect(m['backends.with30Runs']).toEqual({ value: 2 }); // cpu and wasm (counted once); webgl has only 20 runs
    expect(m['sweep.maxBatch']).toEqual({ value: 256 });
    expect(m['structured.fasterDisjoint']).toEqual({ value: 1 });
    expect(m['structured.bestMedianRatio']!.value).toBeCloseTo(0.5, 9);
    // 3G: 400 kB vs 100 kB of download (2 s vs 0.5 s) plus 600 ms of round trips; cpu's slower start makes it the worst.
    const ratios = firstRatios(state, 'uint8', network('3g')).map((r) => r.ratio);
    expect(ratios).toHaveLength(2);
    expect(m['ttfp.uint8Ratio']!.value).toBe(Math.max(...ratios));
    expect(m['ttfp.uint8Ratio']!.value).toBeCloseTo((600 + 500 + 20 + 10 + 70 + 1) / (600 + 2000 + 20 + 10 + 80 + 1), 9);
    expect(evaluateCriteria(criteria, m).map((e) => e.status)).toEqual(['met', 'met', 'met', 'met']);
  });

  it('compares structured pruning with its baseline only inside one interleaved group', () => {
    // The baseline of run a and the structured model of run b were never timed together: no pair.
    const state: SpeedState = {
      runs: [
        run('a', '2026-12-01T10:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2))])] })]),
        run('b', '2026-12-01T11:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('structured50', around(1))])] })]),
      ],
    };
    expect(structuredPairs(state)).toEqual([]);
    expect(speed.measure(state)['structured.fasterDisjoint']).toBeUndefined();
    // Overlapping intervals are not "faster".
    const close: SpeedState = { runs: [run('c', '2026-12-01T12:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(1, 0.3)), row('structured50', around(0.95, 0.3))])] })])] };
    expect(structuredPairs(close)[0]).toMatchObject({ faster: false, disjoint: false });
  });

  it('shows a configuration measured again, and whether its median falls inside the earlier interval', () => {
    const state: SpeedState = {
      runs: [
        run('a', '2026-12-01T10:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2))])] })]),
        run('b', '2026-12-01T11:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2.3))]), group('dense', 8, [row('baseline', around(9))])] })]),
      ],
    };
    const again = repeats(state);
    expect(again).toHaveLength(1); // batch 8 was not measured before
    expect(again[0]).toMatchObject({ inside: false, overlap: false });
    expect(again[0]!.ratio).toBeCloseTo(2.3 / 2, 9);
    expect(again[0]!.configuration).toContain('batch 1');
  });

  it('says on every row what it measured: a threaded build on one thread, software WebGL, the batch', () => {
    expect(backendName(backend('wasm-simd-threads', { threads: 1 }))).toBe('wasm (SIMD, threaded build) on 1 thread');
    expect(backendName(backend('webgl', { renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', software: true }))).toMatch(/SwiftShader \(software/);
    expect(threadsText({ threads: 1, threadsRequested: 2 })).toBe('1 (asked 2)');
    const state: SpeedState = {
      runs: [
        run('a', '2026-12-01T10:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2))]), group('cnn', 32, [row('baseline', around(20))])] })]),
      ],
    };
    const steady = tables(state).find((t) => t.title?.startsWith('Steady state'))!;
    expect(steady.title).not.toMatch(/batch \d/); // no table titled with one batch size
    const batch = steady.columns.indexOf('batch');
    expect(steady.rows.map((r) => r[batch])).toEqual([1, 32]);
    for (const c of ['backend', 'threads', 'SIMD', 'model', 'variant']) expect(steady.columns).toContain(c);
  });

  it('refuses state that does not fit, naming the field', () => {
    const bad = { runs: [{ ...run('a', '2026-12-01T10:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2))])] })]) }] };
    (bad.runs[0]!.backends[0]!.groups[0]!.rows[0]!.summary as { median: number }).median = -1;
    expect(() => speed.parse(bad, 1)).toThrow(StateError);
    expect(() => speed.parse(bad, 1)).toThrow(/runs\[0\]\.backends\[0\]\.groups\[0\]\.rows\[0\]\.summary\.median/);
    expect(() => speed.parse({ runs: [{ ...bad.runs[0], backends: [backend('gpu9000', {})] }] }, 1)).toThrow(/backends\[0\]\.id: is not a backend this lab knows/);
  });

  it('merges two tabs’ runs and marks imported ones', () => {
    const a = run('a', '2026-12-01T10:00:00Z', []);
    const b = run('b', '2026-12-01T11:00:00Z', []);
    expect(speed.merge!({ runs: [b] }, { runs: [a] }).runs.map((r) => r.id)).toEqual(['a', 'b']);
    expect(speed.markRestored!({ runs: [a] }, '2026-12-02').runs[0]!.restoredAt).toBe('2026-12-02');
  });
});

describe('verifying a report', () => {
  it('confirms summaries that follow from their runs and flags one edited by hand', async () => {
    const { verifySpeed } = await import('./verify.ts');
    const state: SpeedState = { runs: [run('a', '2026-12-01T10:00:00Z', [backend('cpu', { groups: [group('dense', 1, [row('baseline', around(2)), row('uint8', around(2.1))])] })])] };
    const claims = await verifySpeed(state, {}, {} as never);
    expect(claims.map((c) => c.status)).toEqual(['confirmed', 'confirmed', 'not-checkable']);
    state.runs[0]!.backends[0]!.groups[0]!.rows[1]!.summary.median = 1.5;
    const edited = await verifySpeed(state, {}, {} as never);
    expect(edited[1]).toMatchObject({ status: 'contradicted', detail: expect.stringContaining('median 2.1') });
  });
});
