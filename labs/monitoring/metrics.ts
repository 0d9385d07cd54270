/**
 * The service's Prometheus metrics, scraped every 15 simulated seconds into an in-page series store
 * (src/labkit/promql/evaluate.ts): counters of requests by client and status code and of predictions by class,
 * histograms of latency and confidence, sums and counts of the input features (their mean over a window is
 * rate(sum) / rate(count)), the largest pixel value seen since the last scrape, and labels received and wrong
 * (labels arrive an hour after the prediction). About 40 series (up to 44 when every client and status occurs); two days make 11,520 scrapes.
 */
import { SeriesStore, type Labels } from '../../src/labkit/promql/evaluate.ts';
import { FEATURES } from './images.ts';
import { F, NO_PREDICTION, type Served } from './pool.ts';
import { DAY, DAYS, LABEL_DELAY_S } from './scenarios.ts';
import { CLIENTS, type Events } from './stream.ts';

export const SCRAPE_S = 15;
export const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, Infinity];
export const CONFIDENCE_BUCKETS = [0.5, 0.8, 0.9, 0.99, Infinity];

const le = (b: number) => (b === Infinity ? '+Inf' : String(b));

/** Scrapes a served stream into a new store (timestamps in ms from day 1, 00:00). */
export function scrape(ev: Events, served: Served, pixelScale: (event: number) => number, until = DAYS * DAY): SeriesStore {
  const store = new SeriesStore();
  const appenders = new Map<string, (t: number, v: number) => void>();
  const requests = new Map<string, number>();
  const predictions = new Float64Array(10);
  const latency = new Float64Array(LATENCY_BUCKETS.length);
  let latencySum = 0;
  const confidence = new Float64Array(CONFIDENCE_BUCKETS.length);
  let confidenceSum = 0;
  const featureSum = new Float64Array(F);
  let featureCount = 0;
  let labels = 0;
  let wrong = 0;
  let labelCursor = 0;
  let i = 0;
  for (let t = SCRAPE_S; t <= until; t += SCRAPE_S) {
    let pixelMax = 0;
    for (; i < ev.count && ev.t[i]! <= t; i++) {
      const rejected = served.predicted[i] === NO_PREDICTION;
      const key = `${CLIENTS[ev.client[i]!]}|${rejected ? 400 : 200}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const seconds = ev.latencyMs[i]! / 1000;
      latencySum += seconds;
      LATENCY_BUCKETS.forEach((b, k) => seconds <= b && latency[k]!++);
      pixelMax = Math.max(pixelMax, pixelScale(i));
      if (rejected) continue;
      predictions[served.predicted[i]!]!++;
      const c = served.confidence[i]!;
      confidenceSum += c;
      CONFIDENCE_BUCKETS.forEach((b, k) => c <= b && confidence[k]!++);
      for (let j = 0; j < F; j++) featureSum[j]! += served.features[i * F + j]!;
      featureCount++;
    }
    for (; labelCursor < ev.count && ev.t[labelCursor]! + LABEL_DELAY_S <= t; labelCursor++) {
      if (served.predicted[labelCursor] === NO_PREDICTION) continue;
      labels++;
      if (!served.correct[labelCursor]) wrong++;
    }
    const at = t * 1000;
    const add = (name: string, extra: Labels, value: number) => {
      const key = `${name}${JSON.stringify(extra)}`;
      let append = appenders.get(key);
      if (!append) appenders.set(key, (append = store.appender({ __name__: name, job: 'digits', ...extra })));
      append(at, value);
    };
    for (const [key, n] of requests) {
      const [client, code] = key.split('|');
      add('requests_total', { client: client!, code: code! }, n);
    }
    predictions.forEach((n, k) => add('predictions_total', { class: String(k) }, n));
    LATENCY_BUCKETS.forEach((b, k) => add('request_duration_seconds_bucket', { le: le(b) }, latency[k]!));
    add('request_duration_seconds_sum', {}, latencySum);
    add('request_duration_seconds_count', {}, latency[latency.length - 1]!);
    CONFIDENCE_BUCKETS.forEach((b, k) => add('prediction_confidence_bucket', { le: le(b) }, confidence[k]!));
    add('prediction_confidence_sum', {}, confidenceSum);
    add('prediction_confidence_count', {}, confidence[confidence.length - 1]!);
    FEATURES.forEach((f, j) => add('input_feature_sum', { feature: f }, featureSum[j]!));
    add('input_feature_count', {}, featureCount);
    add('input_pixel_max', {}, pixelMax);
    add('labels_received_total', {}, labels);
    add('prediction_errors_total', {}, wrong);
  }
  return store;
}

/** The largest pixel value a request sent (×1000 from the broken firmware); 255 per unit for the others. */
export const pixelScaleOf = (ev: Events) => (i: number) => (ev.variants[ev.variant[i]!]!.kind === 'scale' ? ev.variants[ev.variant[i]!]!.level : 1);
