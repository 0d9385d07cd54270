/** The quantize-and-prune lab's charts, for the page and the report (src/labkit/charts draws them). */
import { lineChart, scatterChart } from '../../src/labkit/charts/index.ts';
import type { ReportChart } from '../../src/labkit/report/report.ts';
import { accuracyOf, models } from './compare.ts';
import type { QpState } from './lab.ts';

export function sizeAccuracyChart(state: QpState, model: string): string {
  const vs = state.variants.filter((v) => v.model === model && v.gzipBytes);
  const kinds = [...new Set(vs.map((v) => v.kind))];
  return scatterChart({
    title: `Size against accuracy: ${model.replace(/^upload:/, 'your model ')}`,
    description: `Gzipped weight bytes (x, log scale) against test accuracy with its 95% interval (y) for every exported variant of ${model}. ${vs
      .map((v) => `${v.id} ${v.name}: ${(v.gzipBytes! / 1024).toFixed(1)} KB, ${(accuracyOf(v).value * 100).toFixed(2)}%`)
      .join('; ')}.`,
    xLabel: 'gzipped weights (KiB, log scale)',
    yLabel: 'test accuracy (%)',
    xScale: 'log2',
    series: kinds.map((k) => ({
      name: k,
      points: vs
        .filter((v) => v.kind === k)
        .map((v) => {
          const a = accuracyOf(v);
          return { x: v.gzipBytes! / 1024, y: a.value * 100, yLower: a.lower! * 100, yUpper: a.upper! * 100, label: v.id };
        }),
    })),
  });
}

export function sweepChart(state: QpState, model: string): string | null {
  const sweeps = state.sweeps.filter((s) => s.model === model);
  if (!sweeps.length) return null;
  return lineChart({
    title: `Accuracy against sparsity, one-shot pruning without fine-tuning: ${model.replace(/^upload:/, 'your model ')}`,
    xLabel: 'sparsity (%)',
    yLabel: 'test accuracy (%)',
    series: sweeps.map((s) => ({ name: `${s.scope} threshold`, points: s.points.map((p) => ({ x: p.sparsity * 100, y: p.accuracy * 100 })) })),
  });
}

export function qpCharts(state: QpState): ReportChart[] {
  const out: ReportChart[] = [];
  for (const model of models(state)) {
    out.push({ title: `Size against accuracy (${model})`, svg: sizeAccuracyChart(state, model) });
    const sweep = sweepChart(state, model);
    if (sweep) out.push({ title: `Accuracy against sparsity (${model})`, svg: sweep });
  }
  return out;
}
