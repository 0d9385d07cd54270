/** The charts the tuning dashboard added: parallel coordinates (layout, brushes, SVG), layered x–y, timeline. */
import { describe, expect, it } from 'vitest';
import { inBrush, keptLine, parallelChart, parallelLayout, type ParallelOptions } from './parallel.ts';
import { layeredChart } from './layered.ts';
import { timelineChart } from './timeline.ts';

const wellFormed = (xml: string) => {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
};

const options: ParallelOptions = {
  title: 'Trials <brushed>',
  axes: [
    { name: 'lr', kind: 'log' },
    { name: 'hidden', kind: 'categorical', categories: [16, 32, 64] },
    { name: 'error', kind: 'linear', reversed: true },
  ],
  lines: [
    { id: 'a', values: [0.001, 16, 0.3] },
    { id: 'b', values: [0.01, 64, 0.1] },
    { id: 'c', values: [0.1, 32, null] },
    { id: 'd', values: [0.01, 64, 0.12], muted: true },
  ],
};

describe('parallel coordinates', () => {
  it('lays out log, categorical and reversed axes; a missing value breaks the line', () => {
    const layout = parallelLayout(options);
    const [lr, hidden, error] = layout.axes;
    expect(lr!.y(0.01)! - lr!.y(0.1)!).toBeCloseTo(lr!.y(0.001)! - lr!.y(0.01)!, 6); // equal decades
    expect(hidden!.ticks.map((t) => t.label)).toEqual(['16', '32', '64']);
    expect(error!.y(0.1)!).toBeLessThan(error!.y(0.3)!); // lower errors higher up
    const c = layout.lines.find((l) => l.id === 'c')!;
    expect(Number.isNaN(c.xy[5]!)).toBe(true);
    expect(layout.lines.at(-1)!.kept).toBe(true); // kept lines drawn last
    expect(layout.lines[0]!.id).toBe('d');
  });
  it('keeps the lines inside every brush, and marks the others', () => {
    expect(inBrush(options.axes[0]!, { min: 0.005, max: 0.05 }, 0.01)).toBe(true);
    expect(inBrush(options.axes[1]!, { categories: [64] }, 32)).toBe(false);
    const kept = options.lines.filter((l) => keptLine(options.axes, { 1: { categories: [64] }, 2: { min: 0, max: 0.2 } }, l)).map((l) => l.id);
    expect(kept).toEqual(['b']);
    const svg = parallelChart({ ...options, brushes: { 2: { min: 0, max: 0.2 } } });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('Trials &lt;brushed&gt;');
    expect(svg).toMatch(/4 lines, 1 kept/);
    expect(svg).not.toContain('NaN');
  });
});

describe('layered x–y chart and timeline', () => {
  it('shares one legend entry among many layers and draws steps', () => {
    const svg = layeredChart({
      title: 'curves',
      layers: [
        ...Array.from({ length: 50 }, (_, i) => ({ group: 'COMPLETE', mark: 'line' as const, points: [{ x: 1, y: i }, { x: 2, y: i / 2 }] })),
        { group: 'best so far', mark: 'step', points: [{ x: 1, y: 3 }, { x: 2, y: 1 }] },
      ],
    });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/>COMPLETE<\/text>/g)?.length).toBe(1);
    expect(svg).toMatch(/H[\d.]+V[\d.]+/);
  });
  it('says so when there is nothing to draw', () => {
    expect(layeredChart({ title: 't', layers: [], empty: 'no trial yet' })).toContain('no trial yet');
  });
  it('draws one row per worker and tells how busy each was', () => {
    const svg = timelineChart({ title: 'workers', rows: 2, rowLabel: (r) => `worker ${r + 1}`, spans: [{ row: 0, start: 0, end: 10, kind: 'COMPLETE', label: '0' }, { row: 1, start: 0, end: 5, kind: 'PRUNED', label: '1' }] });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('worker 1 busy 100%, worker 2 busy 50%');
  });
});
