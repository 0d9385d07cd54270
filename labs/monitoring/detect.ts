/**
 * Drift detectors as the student configures them, and the experiments that measure them on the stream:
 *
 * - a window detector compares the last `window` served requests with a reference sample, feature by feature, with
 *   a two-sample test (KS for numbers, chi-square for the predicted class; a p-value per feature, corrected for
 *   testing many features) or a distance with a threshold (PSI, Jensen–Shannon, normed Wasserstein); it raises an
 *   alarm when any feature is flagged;
 * - its false-alarm rate is the share of no-drift windows that alarm, its power the share of drifted windows that do;
 * - Page-Hinkley runs on the 0/1 error stream (labels arrive late) and is measured by its false alarms over 20,000
 *   stable events and its delay after the error rate jumps.
 */
import { ks2samp } from '../../src/labkit/stats/ks.ts';
import { chi2Contingency } from '../../src/labkit/stats/chi2.ts';
import { jensenShannon, normedWasserstein } from '../../src/labkit/stats/distances.ts';
import { binCountsAt, psi, psiEdges } from '../../src/labkit/stats/psi.mjs';
import { pageHinkley } from '../../src/labkit/stats/page-hinkley.mjs';
import { rejections, type Correction } from '../../src/labkit/stats/multiple.ts';
import { FEATURES } from './images.ts';
import { CLASSES, F, NO_PREDICTION, type Served } from './pool.ts';

/** What a detector can watch: the six input features, the model's confidence, and its predicted class. */
export const MONITORED = [...FEATURES, 'confidence', 'predicted_class'] as const;
export type Monitored = (typeof MONITORED)[number];

export type TestKind = 'ks' | 'psi' | 'js' | 'wasserstein';
export const TESTS: Record<TestKind, { label: string; pvalue: boolean; help: string }> = {
  ks: { label: 'KS test (chi-square for the class)', pvalue: true, help: 'alarm when the corrected p-value is at most α' },
  psi: { label: 'PSI', pvalue: false, help: 'alarm when PSI on 10 reference-decile bins exceeds the threshold' },
  js: { label: 'Jensen–Shannon distance', pvalue: false, help: 'alarm when the distance on 10 reference-decile bins (classes for the class) exceeds the threshold' },
  wasserstein: { label: 'normed Wasserstein', pvalue: false, help: 'alarm when the distance divided by the reference’s standard deviation exceeds the threshold (the class uses Jensen–Shannon)' },
};

export interface DetectorConfig {
  test: TestKind;
  /** Events per window. */
  window: number;
  /** α for p-value tests (family-wise, after the correction); the distance above which a feature is flagged otherwise. */
  threshold: number;
  correction: Correction;
  features: Monitored[];
}

export const DEFAULT_DETECTOR: DetectorConfig = { test: 'psi', window: 100, threshold: 0.1, correction: 'none', features: [...MONITORED] };

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

/** Checks a detector before any work starts; each message names its field. */
export function checkDetector(c: DetectorConfig): FieldErrors<DetectorConfig> {
  const e: FieldErrors<DetectorConfig> = {};
  if (!(c.test in TESTS)) e.test = `test: "${String(c.test)}" is not one of ${Object.keys(TESTS).join(', ')}`;
  if (!Number.isInteger(c.window) || c.window < 20 || c.window > 5000) e.window = `window: ${String(c.window)} is not a whole number of events from 20 to 5,000 (a window of 0 has nothing to compare)`;
  if (typeof c.threshold !== 'number' || !Number.isFinite(c.threshold)) e.threshold = `threshold: "${String(c.threshold)}" is not a number`;
  else if (TESTS[c.test]?.pvalue && !(c.threshold > 0 && c.threshold < 1)) e.threshold = `threshold: α must lie between 0 and 1 (0.05 is usual), got ${c.threshold}`;
  else if (!TESTS[c.test]?.pvalue && !(c.threshold > 0)) e.threshold = `threshold: a distance threshold must be above 0, got ${c.threshold}`;
  if (!c.features.length) e.features = 'features: watch at least one feature';
  else {
    const unknown = c.features.find((f) => !MONITORED.includes(f));
    if (unknown) e.features = `features: "${unknown}" is not a monitored feature`;
  }
  return e;
}

export function firstError(errors: Record<string, string | undefined>): void {
  const message = Object.values(errors).find(Boolean);
  if (message) throw new RangeError(message);
}

/** A feature's values for the served, valid requests. */
export function column(s: Served, feature: Monitored): Float64Array {
  const out: number[] = [];
  const j = FEATURES.indexOf(feature as (typeof FEATURES)[number]);
  for (let i = 0; i < s.count; i++) {
    if (s.predicted[i] === NO_PREDICTION) continue;
    out.push(feature === 'confidence' ? s.confidence[i]! : feature === 'predicted_class' ? s.predicted[i]! : s.features[i * F + j]!);
  }
  return Float64Array.from(out);
}

function classCounts(values: ArrayLike<number>): number[] {
  const c = new Array<number>(CLASSES).fill(0);
  for (let i = 0; i < values.length; i++) c[values[i]!]!++;
  return c;
}

/** Student-replaceable statistics: the lab's references, or the student's own functions once their tests pass. */
export interface Statistics {
  ksStatistic?: (a: ArrayLike<number>, b: ArrayLike<number>) => number;
  psi?: (reference: ArrayLike<number>, current: ArrayLike<number>, bins?: number) => number;
  pageHinkley?: (values: ArrayLike<number>, options?: { delta?: number; threshold?: number; minInstances?: number; alpha?: number }) => number[];
}

export interface FeatureScore {
  feature: Monitored;
  /** The p-value (p-value tests) or the distance. */
  score: number;
  flagged: boolean;
}

/** A reference prepared once: each feature's values, and its decile bins. */
export interface Reference {
  values: Map<Monitored, Float64Array>;
  edges: Map<Monitored, number[]>;
}

export function prepareReference(s: Served): Reference {
  const values = new Map<Monitored, Float64Array>();
  const edges = new Map<Monitored, number[]>();
  for (const f of MONITORED) {
    const v = column(s, f);
    values.set(f, v);
    if (f !== 'predicted_class') edges.set(f, psiEdges(v, 10));
  }
  return { values, edges };
}

/** Scores one window against the reference and decides. */
export function scoreWindow(config: DetectorConfig, ref: Reference, window: Served, stats: Statistics = {}): { alarm: boolean; scores: FeatureScore[] } {
  const scores: FeatureScore[] = [];
  const pvalueTest = TESTS[config.test].pvalue;
  for (const f of config.features) {
    const r = ref.values.get(f)!;
    const w = column(window, f);
    if (!w.length) continue;
    let score: number;
    if (f === 'predicted_class') {
      const rc = classCounts(r);
      const wc = classCounts(w);
      const keep = rc.map((_, k) => k).filter((k) => rc[k]! + wc[k]! > 0);
      if (pvalueTest) score = chi2Contingency([keep.map((k) => rc[k]!), keep.map((k) => wc[k]!)]).pvalue;
      else if (config.test === 'psi') score = psiOfCounts(rc, wc);
      else score = jensenShannon(rc, wc);
    } else if (config.test === 'ks') score = ks2samp(r, w, stats.ksStatistic).pvalue;
    else if (config.test === 'psi') score = (stats.psi ?? psi)(r, w, 10);
    else if (config.test === 'js') {
      const edges = ref.edges.get(f)!;
      score = jensenShannon(binCountsAt(r, edges), binCountsAt(w, edges));
    } else score = normedWasserstein(r, w);
    scores.push({ feature: f, score, flagged: false });
  }
  const flags = pvalueTest ? rejections(scores.map((s) => s.score), config.threshold, config.correction) : scores.map((s) => s.score > config.threshold);
  scores.forEach((s, i) => (s.flagged = flags[i]!));
  return { alarm: flags.some(Boolean), scores };
}

/** PSI of two count vectors (the class), with the same 0.0001 convention as psi.mjs. */
function psiOfCounts(rc: number[], wc: number[]): number {
  const rn = rc.reduce((a, b) => a + b, 0);
  const wn = wc.reduce((a, b) => a + b, 0);
  let total = 0;
  for (let k = 0; k < rc.length; k++) {
    const a = rc[k]! / rn || 0.0001;
    const b = wc[k]! / wn || 0.0001;
    total += (b - a) * Math.log(b / a);
  }
  return total;
}

export interface PhConfig {
  delta: number;
  threshold: number;
}
export const DEFAULT_PH: PhConfig = { delta: 0.005, threshold: 50 };

export function checkPh(c: PhConfig): FieldErrors<PhConfig> {
  const e: FieldErrors<PhConfig> = {};
  if (typeof c.delta !== 'number' || !Number.isFinite(c.delta) || c.delta < 0 || c.delta > 1) e.delta = `delta: "${String(c.delta)}" is not a number from 0 to 1`;
  if (typeof c.threshold !== 'number' || !Number.isFinite(c.threshold) || c.threshold <= 0 || c.threshold > 10_000) e.threshold = `threshold: λ "${String(c.threshold)}" is not a number above 0 (up to 10,000)`;
  return e;
}

/** Alarm positions of Page-Hinkley on an error stream (1 = wrong). */
export function phAlarms(errors: ArrayLike<number>, c: PhConfig, stats: Statistics = {}): number[] {
  return (stats.pageHinkley ?? pageHinkley)(errors, { delta: c.delta, threshold: c.threshold });
}

/** The 0/1 error stream of the valid requests, in arrival order. */
export function errorStream(s: Served): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.count; i++) if (s.predicted[i] !== NO_PREDICTION) out.push(1 - s.correct[i]!);
  return Uint8Array.from(out);
}
