/**
 * A replayed scenario, summarised by the hour for the page and the report: traffic, rejections, realised accuracy
 * (known only once the labels have arrived), a label-free estimate of accuracy, mean confidence and the feature
 * means. The estimate is confidence-based (in the spirit of NannyML's CBPE): on the labelled reference, the accuracy
 * within each tenth of the confidence range (equal counts) is learnt, and a request's expected correctness is the
 * accuracy of its confidence bin. It tracks accuracy under covariate shift; under concept drift it cannot, because the
 * inputs, and so the confidences, do not change.
 */
import { FEATURES } from './images.ts';
import { F, NO_PREDICTION, type Served } from './pool.ts';
import { HOUR } from './scenarios.ts';
import type { Events } from './stream.ts';

export interface Calibration {
  /** Upper confidence edges of the bins (the last is 1). */
  edges: number[];
  accuracy: number[];
}

export function calibrate(reference: Served, bins = 10): Calibration {
  const pairs: [number, number][] = [];
  for (let i = 0; i < reference.count; i++) if (reference.predicted[i] !== NO_PREDICTION) pairs.push([reference.confidence[i]!, reference.correct[i]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const edges: number[] = [];
  const accuracy: number[] = [];
  for (let b = 0; b < bins; b++) {
    const part = pairs.slice(Math.floor((b * pairs.length) / bins), Math.floor(((b + 1) * pairs.length) / bins));
    if (!part.length) continue;
    edges.push(b === bins - 1 ? 1 : part.at(-1)![0]);
    accuracy.push(part.reduce((s, p) => s + p[1], 0) / part.length);
  }
  return { edges, accuracy };
}

export function expectedCorrect(c: Calibration, confidence: number): number {
  const k = c.edges.findIndex((e) => confidence <= e);
  return c.accuracy[k < 0 ? c.accuracy.length - 1 : k]!;
}

export interface Hour {
  hour: number;
  requests: number;
  rejected: number;
  accuracy: number | null;
  estimated: number | null;
  confidence: number | null;
  /** Mean of each input feature. */
  features: Record<string, number | null>;
}

export function hourly(ev: Events, served: Served, c: Calibration): Hour[] {
  const hours = Math.ceil((ev.t.at(-1) ?? 0) / HOUR) || 1;
  const acc = Array.from({ length: hours }, () => ({ n: 0, rejected: 0, correct: 0, estimated: 0, confidence: 0, f: new Float64Array(F) }));
  for (let i = 0; i < ev.count; i++) {
    const h = acc[Math.min(hours - 1, Math.floor(ev.t[i]! / HOUR))]!;
    if (served.predicted[i] === NO_PREDICTION) {
      h.rejected++;
      continue;
    }
    h.n++;
    h.correct += served.correct[i]!;
    h.confidence += served.confidence[i]!;
    h.estimated += expectedCorrect(c, served.confidence[i]!);
    for (let j = 0; j < F; j++) h.f[j]! += served.features[i * F + j]!;
  }
  return acc.map((h, hour) => ({
    hour,
    requests: h.n + h.rejected,
    rejected: h.rejected,
    accuracy: h.n ? h.correct / h.n : null,
    estimated: h.n ? h.estimated / h.n : null,
    confidence: h.n ? h.confidence / h.n : null,
    features: Object.fromEntries(FEATURES.map((f, j) => [f, h.n ? h.f[j]! / h.n : null])),
  }));
}
