/**
 * The study dashboard, as pure functions of a study and one filter that every chart and the trial table share
 * (Optuna Dashboard users ask for exactly that: optuna/optuna-dashboard#69): which trial states to show, the best k%
 * of the complete trials, and brushed ranges on the parallel-coordinates axes. Charts are SVG strings
 * (src/labkit/charts), the same in the page and in the report.
 */
import { barChart } from '../../src/labkit/charts/bar.ts';
import { layeredChart, type Layer } from '../../src/labkit/charts/layered.ts';
import { inBrush, parallelChart, type AxisValue, type Brush, type ParallelAxis, type ParallelOptions } from '../../src/labkit/charts/parallel.ts';
import { timelineChart } from '../../src/labkit/charts/timeline.ts';
import type { Distribution } from '../../src/labkit/tuning/distributions.ts';
import { importances, type Importance } from '../../src/labkit/tuning/importance.ts';
import type { TrialState } from '../../src/labkit/tuning/study.ts';
import { intermediateOf, valueOf, type StoredStudy, type StoredTrial } from './records.ts';

export interface DashboardFilter {
  states: TrialState[];
  /** Keep the best `topPercent` % of the complete trials (100: all of them). */
  topPercent: number;
  /** Brushed ranges by parameter name (or OBJECTIVE for the value axis). */
  brushes: Record<string, Brush>;
}

export const OBJECTIVE = 'objective';
export const NO_FILTER: DashboardFilter = { states: ['COMPLETE', 'PRUNED', 'FAIL'], topPercent: 100, brushes: {} };
export const STATE_COLORS: Record<string, string> = { COMPLETE: '#0072B2', PRUNED: '#D55E00', FAIL: '#000000', RUNNING: '#009E73', 'best so far': '#009E73' };

/** The trials the filter keeps. */
export function selected(study: StoredStudy, f: DashboardFilter): Set<number> {
  const complete = study.trials.filter((t) => t.state === 'COMPLETE' && valueOf(t) !== null).sort((a, b) => (study.direction === 'minimize' ? valueOf(a)! - valueOf(b)! : valueOf(b)! - valueOf(a)!));
  const top = f.topPercent >= 100 ? null : new Set(complete.slice(0, Math.max(1, Math.ceil((complete.length * f.topPercent) / 100))).map((t) => t.number));
  const out = new Set<number>();
  for (const t of study.trials) {
    if (!f.states.includes(t.state)) continue;
    if (top && !top.has(t.number)) continue;
    const brushed = Object.entries(f.brushes).every(([name, b]) => {
      const v: AxisValue = name === OBJECTIVE ? valueOf(t) : (t.params[name] ?? null);
      const d = study.space[name];
      return inBrush({ name, kind: d?.kind === 'categorical' ? 'categorical' : 'linear' }, b, v);
    });
    if (brushed) out.add(t.number);
  }
  return out;
}

export const paramNames = (study: StoredStudy) => Object.keys(study.space);

export function axisOf(name: string, d: Distribution): ParallelAxis {
  if (d.kind === 'categorical') return { name, kind: 'categorical', categories: d.choices };
  return { name, kind: d.log ? 'log' : 'linear' };
}

export function parallelOptions(study: StoredStudy, keep: Set<number>, width?: number): ParallelOptions {
  const names = paramNames(study);
  const axes: ParallelAxis[] = [...names.map((n) => axisOf(n, study.space[n]!)), { name: OBJECTIVE, kind: 'linear', reversed: study.direction === 'minimize' }];
  const trials = study.trials.filter((t) => t.state !== 'RUNNING');
  return {
    title: `Parameters and objective: ${study.name}`,
    ...(width ? { width } : {}),
    axes,
    lines: trials.map((t) => ({ id: String(t.number), values: [...names.map((n) => t.params[n] ?? null), t.state === 'COMPLETE' ? valueOf(t) : null], muted: !keep.has(t.number) })),
  };
}

export function parallelCoordinates(study: StoredStudy, keep: Set<number>, width?: number): string {
  return parallelChart(parallelOptions(study, keep, width));
}

export function historyChart(study: StoredStudy, keep: Set<number>): string {
  const points = (state: TrialState) => study.trials.filter((t) => t.state === state && keep.has(t.number) && valueOf(t) !== null).map((t) => ({ x: t.number, y: valueOf(t)!, label: `trial ${t.number}` }));
  const best: { x: number; y: number }[] = [];
  let b: number | undefined;
  for (const t of study.trials) {
    const v = valueOf(t);
    if (t.state !== 'COMPLETE' || v === null || !Number.isFinite(v)) continue;
    if (b === undefined || (study.direction === 'minimize' ? v < b : v > b)) b = v;
    best.push({ x: t.number, y: b });
  }
  if (best.length) best.push({ x: study.trials.length - 1, y: b! });
  const layers: Layer[] = [
    { group: 'COMPLETE', mark: 'points', points: points('COMPLETE') },
    { group: 'PRUNED', mark: 'points', points: points('PRUNED'), muted: true },
    { group: 'best so far', mark: 'step', points: best },
  ].filter((l) => l.points.length) as Layer[];
  return layeredChart({ title: `Optimisation history: ${study.name}`, xLabel: 'trial', yLabel: 'objective value', layers, colors: STATE_COLORS, empty: 'no trial has a value yet' });
}

export function intermediateChart(study: StoredStudy, keep: Set<number>): string {
  const layers: Layer[] = study.trials
    .filter((t) => keep.has(t.number) && t.intermediate.length)
    .map((t) => ({ group: t.state, mark: 'line', muted: t.state !== 'COMPLETE', points: intermediateOf(t).filter(([, v]) => Number.isFinite(v)).map(([s, v]) => ({ x: s, y: v })) }));
  return layeredChart({ title: `Intermediate values (learning curves): ${study.name}`, xLabel: 'step (epoch)', yLabel: 'reported value', layers, colors: STATE_COLORS, empty: 'no trial has reported a value yet' });
}

export function importanceOf(study: StoredStudy, keep: Set<number>): Importance[] {
  const trials = study.trials.filter((t) => t.state === 'COMPLETE' && keep.has(t.number) && valueOf(t) !== null && Number.isFinite(valueOf(t)!)).map((t) => ({ params: t.params, value: valueOf(t)! }));
  return importances(trials, paramNames(study));
}

/** Importance needs this many complete trials among those kept. */
export const MIN_IMPORTANCE_TRIALS = 3;

export function importanceChart(study: StoredStudy, keep: Set<number>): string {
  const imp = importanceOf(study, keep);
  return barChart({
    title: `Parameter importance (ω², 95% bootstrap interval): ${study.name}`,
    yLabel: 'share of the variance',
    bars: imp.map((i) => ({ label: i.param, value: i.value, ...(Number.isFinite(i.lower) && Number.isFinite(i.upper) ? { lower: i.lower, upper: i.upper } : {}) })),
    description: `Share of the objective's variance each parameter explains alone, over ${imp[0]?.n ?? 0} complete trials: ${imp.map((i) => `${i.param} ${i.value.toFixed(2)} (${i.lower.toFixed(2)} to ${i.upper.toFixed(2)})`).join('; ')}.`,
  });
}

export function sliceChart(study: StoredStudy, keep: Set<number>, param: string): string {
  const d = study.space[param];
  const categorical = d?.kind === 'categorical';
  const cats = categorical ? d.choices : [];
  const trials = study.trials.filter((t) => t.state === 'COMPLETE' && keep.has(t.number) && Object.hasOwn(t.params, param) && valueOf(t) !== null);
  const x = (t: StoredTrial) => (categorical ? cats.indexOf(t.params[param]!) : (t.params[param] as number));
  return layeredChart({
    title: `Slice: ${param}${categorical ? ` (0–${cats.length - 1} = ${cats.join(', ')})` : ''}`,
    width: 420,
    height: 280,
    xLabel: param,
    yLabel: 'objective value',
    xScale: d && d.kind !== 'categorical' && d.log ? 'log10' : 'linear',
    layers: [{ group: 'COMPLETE', mark: 'points', points: trials.map((t) => ({ x: x(t), y: valueOf(t)!, label: `trial ${t.number}` })) }],
    colors: STATE_COLORS,
    empty: 'no complete trial',
  });
}

/** The empirical distribution (ECDF) of values, one step line per named sample. */
export function edfChart(title: string, samples: { name: string; values: number[] }[], xLabel: string): string {
  const layers: Layer[] = samples.map((s) => {
    const v = s.values.filter(Number.isFinite).sort((a, b) => a - b);
    return { group: s.name, mark: 'step', points: v.flatMap((x, i) => [{ x, y: i / v.length }, { x, y: (i + 1) / v.length }]) };
  });
  return layeredChart({ title, xLabel, yLabel: 'share of results at or below', layers, empty: 'no results' });
}

export function timeline(study: StoredStudy, keep: Set<number>): string {
  const spans = study.trials
    .filter((t) => keep.has(t.number) && t.end !== null)
    .map((t) => ({ row: t.worker, start: t.start / 1000, end: t.end! / 1000, kind: t.state, label: String(t.number) }));
  return timelineChart({
    title: `Workers over time${study.mode === 'replay' ? ' (simulated from measured epoch times)' : ''}: ${study.name}`,
    xLabel: 'seconds since the study started',
    rows: study.strategy.workers,
    rowLabel: (r) => `worker ${r + 1}`,
    spans,
    colors: STATE_COLORS,
  });
}
