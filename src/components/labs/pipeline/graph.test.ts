import { describe, expect, it } from 'vitest';
import { taskGraph, timeline } from './graph.ts';
import type { RunRecord } from '../../../../labs/pipeline/lab.ts';

const record: RunRecord = {
  runId: 'run-001',
  flow: 'iris-training',
  state: 'failed',
  params: {},
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 50,
  artifacts: [],
  error: 'x',
  tasks: [
    { name: 'ingest', state: 'completed', attempts: 3, upstream: [], startedAt: '2026-01-01T00:00:00.010Z', durationMs: 30, error: null, artifacts: [] },
    { name: 'validate "x"', state: 'failed', attempts: 1, upstream: ['ingest'], startedAt: '2026-01-01T00:00:00.040Z', durationMs: 5, error: 'bad', artifacts: [] },
    { name: 'train', state: 'pending', attempts: 0, upstream: [], startedAt: null, durationMs: null, error: null, artifacts: [] },
  ],
};

describe('run pictures', () => {
  it('draws tasks coloured by state, data edges solid and the planned order dashed', () => {
    const text = taskGraph(record);
    expect(text).toContain('t0["ingest<br/>completed · 3 attempts · 30 ms"]:::completed');
    expect(text).toContain('t1["validate #quot;x#quot;<br/>failed · 5 ms"]:::failed');
    expect(text).toContain('t2["train<br/>pending"]:::pending');
    expect(text).toContain('t0 --> t1');
    expect(text).toContain('t1 -.-> t2');
    expect(text).toMatch(/classDef failed fill:#dc262633,stroke:#dc2626/);
  });

  it('lays tasks out on a timeline from the start of the run', () => {
    expect(timeline(record)).toEqual({
      bars: [
        { name: 'ingest', state: 'completed', startMs: 10, durationMs: 30 },
        { name: 'validate "x"', state: 'failed', startMs: 40, durationMs: 5 },
      ],
      totalMs: 50,
    });
  });
});
