import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { criterionSchema, labSchema } from '../../schemas';
import { barChart } from '../charts/index.ts';
import {
  base64Utf8,
  cell,
  compare,
  describeRule,
  evaluateCriteria,
  formatNumber,
  labReportFiles,
  labReportMarkdown,
  labReportZip,
  metMap,
  reportFileName,
  summarize,
  type Criterion,
} from './index';

const criteria: Criterion[] = [
  { id: 'uint8-size', label: 'uint8 weights at most 26% of float32', quantity: 'uint8 size ratio', comparison: '<=', threshold: 0.26 },
  { id: 'uint8-accuracy', label: 'uint8 accuracy drop at most 0.5 pp', quantity: 'uint8 accuracy drop', comparison: '<=', threshold: 0.5, unit: 'pp' },
  { id: 'runs', label: 'At least 30 timed runs', quantity: 'timed runs', comparison: '>=', threshold: 30 },
  { id: 'faster', label: 'Pruned model faster', quantity: 'speed-up', comparison: '>', threshold: 1 },
  { id: 'exact', label: 'Exactly three backends', quantity: 'backends', comparison: '==', threshold: 0.3 },
];

describe('acceptance criteria', () => {
  it('are valid against the schema labs use', () => {
    for (const c of criteria) expect(criterionSchema.parse(c)).toEqual(c);
    expect(() => labSchema.parse({ title: 'x', description: 'y', module: 'edge', minutes: 60, criteria })).not.toThrow();
  });

  it('compare with every operator, including the edges', () => {
    expect(compare(0.26, '<=', 0.26)).toBe(true);
    expect(compare(0.26, '<', 0.26)).toBe(false);
    expect(compare(30, '>=', 30)).toBe(true);
    expect(compare(30, '>', 30)).toBe(false);
    expect(compare(0.1 + 0.2, '==', 0.3)).toBe(true);
    expect(compare(0.31, '==', 0.3)).toBe(false);
    expect(compare(0, '==', 0)).toBe(true);
  });

  it('evaluate to met, not met and not measured yet', () => {
    const evaluations = evaluateCriteria(criteria, {
      'uint8 size ratio': 0.2512,
      'uint8 accuracy drop': 0.7,
      'timed runs': Number.NaN,
      'speed-up': undefined,
      backends: 0.1 + 0.2,
    });
    expect(evaluations.map((e) => e.status)).toEqual(['met', 'not-met', 'not-measured', 'not-measured', 'met']);
    expect(evaluations[0]!.value).toBe(0.2512);
    expect(evaluations[2]!.value).toBeUndefined();
    expect(metMap(evaluations)).toEqual({ 'uint8-size': true, 'uint8-accuracy': false, exact: true });
    expect(summarize(evaluations)).toEqual({ met: 2, notMet: 1, notMeasured: 2, total: 5 });
  });

  it('describe their rule and format numbers for people', () => {
    expect(describeRule(criteria[1]!)).toBe('uint8 accuracy drop ≤ 0.5 pp');
    expect(describeRule(criteria[2]!)).toBe('timed runs ≥ 30');
    expect(formatNumber(0.25123456)).toBe('0.2512');
    expect(formatNumber(78269)).toBe('78269');
    expect(formatNumber(12.3456)).toBe('12.35');
    expect(formatNumber(1.5e-6)).toBe('1.5e-6');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('lab report', () => {
  const at = new Date('2026-11-23T10:00:00.000Z');
  const input = {
    lab: { id: 'quantize-prune', title: 'Quantize and prune', url: 'https://example.org/labs/quantize-prune/' },
    environment: { browser: 'Chromium 142', cores: 8, crossOriginIsolated: true, 'tfjs backend': 'wasm', gpu: null },
    criteria: evaluateCriteria(criteria, { 'uint8 size ratio': 0.2512, 'uint8 accuracy drop': 0.7 }),
    measured: { 'uint8 size ratio': 0.2512, 'uint8 accuracy drop': 0.7 },
    units: { 'uint8 accuracy drop': 'pp' },
    tables: [
      {
        title: 'Variants',
        columns: ['Variant', 'Gzipped bytes', 'Accuracy %'],
        rows: [
          ['float32', 78269, 97.91],
          ['uint8 | pruned', 8219, 97.4],
        ],
      },
    ],
    charts: [
      { title: 'Size by variant', svg: barChart({ title: 'Size by variant', bars: [{ label: 'float32', value: 78.3 }, { label: 'uint8', value: 8.2 }], unit: 'KB' }) },
      { title: 'Size by variant', svg: '<svg xmlns="http://www.w3.org/2000/svg"><title>µ – second</title></svg>', alt: 'A chart with [brackets]' },
    ],
    notes: 'Quantized models download faster but do not run faster in tfjs.',
    generatedAt: at,
  };

  it('holds the environment, the results, the criteria with their status, and inline SVG charts', () => {
    const md = labReportMarkdown(input);
    expect(md).toMatch(/^# Lab report: Quantize and prune\n/);
    expect(md).toContain('Generated 2026-11-23T10:00:00Z');
    expect(md).toContain('**Acceptance criteria: 1 of 5 met**, 3 not measured yet.');
    expect(md).toContain('| uint8 weights at most 26% of float32 | uint8 size ratio ≤ 0.26 | 0.2512 | ✅ met |');
    expect(md).toContain('| uint8 accuracy drop at most 0.5 pp | uint8 accuracy drop ≤ 0.5 pp | 0.7 pp | ❌ not met |');
    expect(md).toContain('| At least 30 timed runs | timed runs ≥ 30 | – | ⏳ not measured yet |');
    expect(md).toContain('## Variants');
    expect(md).toContain('| uint8 \\| pruned | 8219 | 97.4 |');
    expect(md).toContain('| crossOriginIsolated | yes |');
    expect(md).toContain('| gpu | – |');
    expect(md).toContain('| uint8 accuracy drop | 0.7 pp |');
    expect(md).toContain('## Notes from the lab\n\nQuantized models download faster');
    const images = [...md.matchAll(/!\[([^\]]*)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)];
    expect(images).toHaveLength(2);
    expect(images[1]![1]).toBe('A chart with  brackets ');
    // The embedded bytes decode to the exact SVG, non-ASCII included.
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(images[1]![2]!), (c) => c.charCodeAt(0)));
    expect(decoded).toBe(input.charts[1]!.svg);
    expect(new TextDecoder().decode(Uint8Array.from(atob(images[0]![2]!), (c) => c.charCodeAt(0)))).toBe(input.charts[0]!.svg);
  });

  it('as files: report.md links charts/*.svg with unique names', () => {
    const { files } = labReportFiles(input);
    expect(Object.keys(files).sort()).toEqual(['charts/size-by-variant-2.svg', 'charts/size-by-variant.svg', 'report.md']);
    expect(files['report.md']).toContain('](charts/size-by-variant.svg)');
    expect(files['report.md']).toContain('](charts/size-by-variant-2.svg)');
    expect(files['report.md']).not.toContain('data:image');
    expect(files['charts/size-by-variant.svg']).toBe(input.charts[0]!.svg);
  });

  it('as a zip that unpacks to the same files, reproducibly', () => {
    const zip = labReportZip(input);
    const unpacked = unzipSync(zip);
    expect(Object.keys(unpacked).sort()).toEqual([
      'lab-report-quantize-prune/charts/size-by-variant-2.svg',
      'lab-report-quantize-prune/charts/size-by-variant.svg',
      'lab-report-quantize-prune/report.md',
    ]);
    expect(strFromU8(unpacked['lab-report-quantize-prune/report.md']!)).toBe(labReportFiles(input).files['report.md']);
    expect(labReportZip(input)).toEqual(zip);
  });

  it('escapes table cells and names files', () => {
    expect(cell('a|b\nc')).toBe('a\\|b c');
    expect(cell('<script>')).toBe('&lt;script>');
    expect(cell(true)).toBe('yes');
    expect(cell(undefined)).toBe('–');
    expect(reportFileName('quantize-prune', 'md', at)).toBe('lab-report-quantize-prune-2026-11-23.md');
    expect(base64Utf8('µ')).toBe('wrU=');
  });
});
