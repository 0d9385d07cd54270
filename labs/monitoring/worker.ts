/// <reference lib="webworker" />
/**
 * The monitoring lab's Web Worker: the model serving the stream (tfjs), the cache of what it saw and answered, and the
 * experiments, one job at a time through the shared worker protocol. The page holds the results (lab.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { serveWorker, type JobContext, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { mnist, siteUrl, startTfjs, type TfjsSetup } from '../../src/labkit/ml/worker-env.ts';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { PoolCache } from './pool.ts';
import { poolIndex, scenarioStream, windowAt, type PoolIndex } from './stream.ts';
import { checkDetector, checkPh, column, firstError, type DetectorConfig, type PhConfig, type Statistics } from './detect.ts';
import { concept, falseAlarms, power, reference, sweep, REFERENCE_SIZE, type Env } from './experiments.ts';
import { calibrate, hourly, type Hour } from './replay.ts';
import { DAY, DAYS, SCENARIOS, type ScenarioId } from './scenarios.ts';
import { FEATURES } from './images.ts';
import { pixelScaleOf, scrape } from './metrics.ts';
import { checkRules, intervalsOf, verdict } from './alerting.ts';
import { incidentScore, logRecords, parseLogQuery, runLogQuery, type LogRecord } from './logs.ts';
import { evaluate as evaluatePromQL, labelsKey, type SeriesStore } from '../../src/labkit/promql/evaluate.ts';
import { parsePromQL, PromQLError } from '../../src/labkit/promql/parse.ts';
import { populationStd } from '../../src/labkit/stats/distances.ts';

export type ModelName = 'dense' | 'cnn';
export type StudentCode = { ksStatistic?: string; psi?: string; pageHinkley?: string };

let loaded: { name: ModelName; model: tf.LayersModel; pool: PoolCache; index: PoolIndex; accuracy: number } | null = null;
let stats: Statistics = {};

function need() {
  if (!loaded) throw new Error('load the model first');
  return loaded;
}

const env = (ctx: JobContext): Env => ({ pool: need().pool, index: need().index, stats, signal: ctx.signal, progress: ctx.progress });
const usedCode = (...names: (keyof Statistics)[]) => names.filter((n) => stats[n]);

async function load(name: ModelName, { progress, signal }: JobContext) {
  if (name !== 'dense' && name !== 'cnn') throw new RangeError(`model: "${String(name)}" is not dense or cnn`);
  if (loaded?.name === name) return { model: name, params: loaded.model.countParams(), accuracy: loaded.accuracy };
  progress(0.1, `loading the ${name} baseline`);
  const model = await tf.loadLayersModel(siteUrl(`models/${name}/model.json`));
  const test = await mnist('test');
  const shape = model.inputs[0]!.shape;
  const scorer = async (pixels: Float32Array, count: number) => {
    const out = tf.tidy(() => model.predict(shape.length === 4 ? tf.tensor4d(pixels, [count, 28, 28, 1]) : tf.tensor2d(pixels, [count, 784])) as tf.Tensor);
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  };
  loaded?.model.dispose();
  const pool = new PoolCache(test.images, scorer);
  const index = poolIndex(test.labels);
  loaded = { name, model, pool, index, accuracy: 0 };
  progress(0.3, 'scoring the reference sample');
  const ref = await pool.serve(windowAt('stable', DAY / 2, REFERENCE_SIZE, index, 1), signal, (d, n) => progress(0.3 + (0.7 * d) / n, `scoring the reference sample: ${d} of ${n} images`));
  loaded.accuracy = ref.correct.reduce((s, x) => s + x, 0) / ref.count;
  return { model: name, params: model.countParams(), accuracy: loaded.accuracy };
}

async function code(sources: StudentCode) {
  const next: Statistics = {};
  for (const [name, source] of Object.entries(sources) as [keyof Statistics, string | undefined][]) {
    if (!source) continue;
    const fn = (await importSource(source))[name];
    if (typeof fn !== 'function') throw new Error(`your module does not export ${name}`);
    (next as Record<string, unknown>)[name] = fn;
  }
  stats = next;
  return Object.keys(next);
}

export interface ReplayResult {
  scenario: ScenarioId;
  seed: number;
  requests: number;
  hours: Hour[];
  /** Each input feature's mean and standard deviation over the reference (one request each). */
  reference: Record<string, { mean: number; sd: number }>;
}

async function replay(p: { scenario: ScenarioId; seed: number }, ctx: JobContext): Promise<ReplayResult> {
  if (!(p.scenario in SCENARIOS)) throw new RangeError(`scenario: "${String(p.scenario)}" is not a scenario of this lab`);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 2 ** 31) throw new RangeError(`seed: "${String(p.seed)}" is not a whole number from 0 to 2,147,483,648`);
  const { pool, index } = need();
  ctx.progress(0.02, 'drawing two days of requests');
  const ev = scenarioStream(p.scenario, index, p.seed);
  const served = await pool.serve(ev, ctx.signal, (d, n) => ctx.progress(0.05 + (0.9 * d) / n, `serving new inputs: ${d} of ${n}`));
  const ref = await pool.serve(windowAt('stable', DAY / 2, REFERENCE_SIZE, index, 1), ctx.signal);
  const reference = Object.fromEntries(
    FEATURES.map((f) => {
      const v = column(ref, f);
      let mean = 0;
      for (const x of v) mean += x / v.length;
      return [f, { mean, sd: populationStd(v) }];
    }),
  );
  return { scenario: p.scenario, seed: p.seed, requests: ev.count, hours: hourly(ev, served, calibrate(ref)), reference };
}

async function calibrateDetector(p: { config: DetectorConfig; sizes: number[] }, ctx: JobContext) {
  if (!Array.isArray(p.sizes) || !p.sizes.length || p.sizes.length > 8) throw new RangeError('window sizes: give from 1 to 8 sizes');
  for (const window of p.sizes) firstError(checkDetector({ ...p.config, window }));
  await reference(env(ctx));
  const rows = await sweep(env(ctx), p.config, p.sizes);
  return { rows, studentCode: usedCode('ksStatistic', 'psi') };
}

async function evaluate(config: DetectorConfig, ctx: JobContext) {
  firstError(checkDetector(config));
  const e = env(ctx);
  const fa = await falseAlarms({ ...e, progress: (f, m) => ctx.progress(f / 2, m) }, config);
  const pw = await power({ ...e, progress: (f, m) => ctx.progress(0.5 + f / 2, m) }, config);
  return { falseAlarms: fa, power: pw, studentCode: usedCode('ksStatistic', 'psi') };
}

async function runConcept(ph: PhConfig, ctx: JobContext) {
  firstError(checkPh(ph));
  return { ...(await concept(env(ctx), ph)), studentCode: usedCode('pageHinkley') };
}

/** Scraped metrics of a scenario's two days (seed 1), per model. */
const metricStores = new Map<string, SeriesStore>();
async function metricsOf(scenario: ScenarioId, ctx: JobContext, from: number, to: number): Promise<SeriesStore> {
  const { pool, index, name } = need();
  const key = `${name}:${scenario}`;
  let store = metricStores.get(key);
  if (!store) {
    const ev = scenarioStream(scenario, index, 1);
    const served = await pool.serve(ev, ctx.signal, (d, n) => ctx.progress(from + ((to - from) * d) / n, `${SCENARIOS[scenario].title}: serving new inputs, ${d} of ${n}`));
    store = scrape(ev, served, pixelScaleOf(ev));
    metricStores.set(key, store);
  }
  return store;
}

async function alerts(p: { rules: string; tests: string }, ctx: JobContext) {
  const sudden = await metricsOf('sudden', ctx, 0, 0.4);
  const seasonal = await metricsOf('seasonal', ctx, 0.4, 0.8);
  ctx.progress(0.85, 'evaluating the rules every minute over both scenarios');
  const c = checkRules(p.rules, p.tests, { sudden, seasonal });
  return { verdict: verdict(c), sudden: intervalsOf(c.sudden), seasonal: intervalsOf(c.seasonal), tests: c.tests, notifications: { sudden: c.sudden.notifications.length, seasonal: c.seasonal.notifications.length }, firstNotifications: c.sudden.notifications.slice(0, 5) };
}

/** A PromQL range query over a scenario's two days, every 5 minutes (at most 12 series). */
async function query(p: { scenario: ScenarioId; expr: string }, ctx: JobContext) {
  if (!(p.scenario in SCENARIOS)) throw new RangeError(`scenario: "${String(p.scenario)}" is not a scenario of this lab`);
  const expr = parsePromQL(p.expr);
  const store = await metricsOf(p.scenario, ctx, 0, 0.9);
  const series = new Map<string, { labels: Record<string, string>; points: { x: number; y: number }[] }>();
  for (let t = 0; t <= DAYS * DAY; t += 300) {
    const v = evaluatePromQL(expr, store, t * 1000);
    const samples = v.type === 'vector' ? v.samples : v.type === 'scalar' ? [{ labels: {}, value: v.value }] : [];
    if (v.type === 'matrix' || v.type === 'string') throw new PromQLError('expr: a range query needs an expression that gives an instant vector or a number (not x[5m] alone)');
    for (const s of samples) {
      const key = labelsKey(s.labels);
      if (!series.has(key)) {
        if (series.size >= 12) continue;
        series.set(key, { labels: { ...s.labels }, points: [] });
      }
      if (Number.isFinite(s.value)) series.get(key)!.points.push({ x: t / 3600, y: s.value });
    }
  }
  return { series: [...series.values()] };
}

/** Log records of a scenario's two days (seed 1), per model. */
const logStores = new Map<string, LogRecord[]>();

async function logs(p: { scenario: ScenarioId; query: string }, ctx: JobContext) {
  if (!(p.scenario in SCENARIOS)) throw new RangeError(`scenario: "${String(p.scenario)}" is not a scenario of this lab`);
  const query = parseLogQuery(p.query);
  const { pool, index, name } = need();
  const key = `${name}:${p.scenario}`;
  let records = logStores.get(key);
  if (!records) {
    const ev = scenarioStream(p.scenario, index, 1);
    const served = await pool.serve(ev, ctx.signal, (d, n) => ctx.progress((0.9 * d) / n, `serving new inputs: ${d} of ${n}`));
    records = logRecords(ev, served, pixelScaleOf(ev));
    logStores.set(key, records);
  }
  const result = runLogQuery(records, query);
  const { indexes, ...rest } = result;
  return { ...rest, total: records.length, incident: p.scenario === 'quality' ? incidentScore(records, indexes) : null };
}

const api = {
  init: (setup: TfjsSetup) => startTfjs(setup),
  load: (name: ModelName, ctx: JobContext) => load(name, ctx),
  code,
  replay,
  calibrate: calibrateDetector,
  evaluate,
  concept: runConcept,
  alerts,
  logs,
  query,
};
export type MonitoringApi = typeof api;

serveWorker(self as unknown as WorkerScope, api, { stats: () => ({ numTensors: tf.memory().numTensors }) });
