import { describe, expect, it } from 'vitest';
import { axis } from './frame.ts';
import { barChart, binCounts, boxChart, histogramChart, lineChart, scatterChart, stackedBarChart, stemChart } from './index.ts';

/** Checks that every tag opened is closed, in order: enough to catch broken SVG strings. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

describe('SVG charts', () => {
  it('draw a bar chart as a standalone, well-formed SVG with accessible text', () => {
    const svg = barChart({ title: 'Gzipped size <by variant>', bars: [{ label: 'float32', value: 78.3 }, { label: 'uint8 & pruned', value: 8.2 }, { label: 'broken', value: Number.NaN }], unit: 'KB', yLabel: 'KB' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>Gzipped size &lt;by variant&gt;</title>');
    expect(svg).toContain('uint8 &amp; pruned');
    expect(svg).toContain('78.3 KB');
    expect(svg).toContain('n/a');
    expect(svg).not.toContain('NaN');
    expect(wellFormed(svg)).toBe(true);
    expect((svg.match(/<rect x=/g) ?? []).length).toBe(2);
  });

  it('draw scatter and line charts, with log scales, legends and labels', () => {
    const scatter = scatterChart({
      title: 'Size against accuracy',
      xLabel: 'gzipped KB',
      yLabel: 'accuracy %',
      series: [
        { name: 'dense', points: [{ x: 78, y: 97.9, label: 'float32' }, { x: 21, y: 97.8, label: 'uint8' }] },
        { name: 'cnn', points: [{ x: 120, y: 98.9, label: 'float32' }] },
      ],
    });
    expect(wellFormed(scatter)).toBe(true);
    expect(scatter).toContain('>uint8</text>');
    expect(scatter).toContain('>cnn</text>'); // legend
    const line = lineChart({
      title: 'Batch scaling',
      xScale: 'log2',
      xLabel: 'batch size',
      yLabel: 'ms',
      series: [{ name: 'wasm', points: [256, 1, 16, 4, 64].map((b) => ({ x: b, y: b * 0.1 + 1 })) }, { name: 'bad', points: [{ x: 0, y: 1 }] }],
    });
    expect(wellFormed(line)).toBe(true);
    expect(line).toMatch(/<path d="M[\d.,L]+" fill="none"/);
    for (const t of ['>1</text>', '>256</text>']) expect(line).toContain(t);
    expect(line).not.toContain('NaN');
    expect(line).not.toContain('Infinity');
  });

  it('choose nice ticks on linear and log axes', () => {
    expect(axis([0, 97], 'linear', 0, 100).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(axis([0.2, 0.26], 'linear', 0, 100).ticks.every((t) => Number(t.toFixed(6)) === t)).toBe(true);
    expect(axis([5, 5], 'linear', 0, 100).ticks.length).toBeGreaterThanOrEqual(2);
    expect(axis([1, 256], 'log2', 0, 100).ticks).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(axis([0.3, 4000], 'log10', 0, 100).ticks).toEqual([0.1, 1, 10, 100, 1000, 10000]);
  });

  it('draw intervals, steps, histograms, stems and boxes with a text alternative', () => {
    const withCi = scatterChart({ title: 'Accuracy', series: [{ name: 'dense', points: [{ x: 1, y: 97, yLower: 96.5, yUpper: 97.4, label: 'uint8' }] }] });
    expect(wellFormed(withCi)).toBe(true);
    expect(withCi).toContain('[96.5, 97.4]');
    const step = lineChart({ title: 'Best so far', step: true, series: [{ name: 'random', points: [{ x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: 1 }] }] });
    expect(step).toMatch(/H[\d.]+V[\d.]+/);
    const { edges, counts } = binCounts([0, 0.1, 0.1, 0.9, 1, Number.NaN], 0, 1, 10);
    expect(counts).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
    const hist = histogramChart({ title: 'Weights', edges, series: [{ name: 'before', counts }] });
    expect(wellFormed(hist)).toBe(true);
    expect(hist).toMatch(/<desc>Histogram over 0 to 1 in 10 bins\. before: 5 values/);
    const stems = stemChart({ title: 'Levels', stemName: 'uint8 levels', stems: [{ at: -0.1, count: 4 }, { at: 0, count: 10 }, { at: 0.1, count: 0 }] });
    expect(stems).toContain('2 distinct values used');
    const box = boxChart({ title: 'Latency', unit: 'ms', log: true, rows: [{ label: 'wasm', min: 1, p25: 1.2, median: 1.3, p75: 1.5, high: 2, ci: { lower: 1.25, upper: 1.35 }, samples: [1, 1.3, 2] }] });
    expect(wellFormed(box)).toBe(true);
    expect(box).toContain('median 1.3 ms, 95% CI 1.25–1.35');
    const stacked = stackedBarChart({ title: 'TTFP', unit: 'ms', parts: [{ label: 'download' }, { label: 'load' }], rows: [{ label: 'uint8', values: [100, 20] }] });
    expect(stacked).toContain('uint8: 120 ms (download 100, load 20)');
  });
});

