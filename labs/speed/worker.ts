/// <reference lib="webworker" />
/**
 * The speed lab's Web Worker, on the shared worker protocol. The page starts a fresh one for every measurement that
 * must not inherit a warm backend: one per backend and variant for the first inference, one per backend for the
 * steady state (a wasm build can only be chosen in a fresh realm, too), and one on the cpu backend to detect the
 * environment and build the variants. Each is terminated afterwards, so Cancel simply ends it.
 */
import * as tf from '@tensorflow/tfjs';
import { serveWorker, transfer, type JobContext, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { captureEnvironment } from '../../src/labkit/bench/environment.ts';
import { setupBackend } from '../../src/labkit/bench/setup.ts';
import type { BackendSpec } from '../../src/labkit/bench/backends.ts';
import { benchmarkModels, loadAndFirstInference } from '../../src/labkit/bench/harness.ts';
import { readUserModel, type UploadedFile } from '../../src/labkit/ml/artifacts.ts';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { REFERENCE_ORDER, type OrderStatistics } from '../../src/labkit/stats/samples.ts';
import { prepareVariants, sourceOf } from './variants.ts';
import { keep, keptSummary, roundMs } from './summary.ts';
import { STEADY, sweepOptions, type ModelChoice, type Prepared, type PreparedVariant, type StudentCode, type VariantKind, type WorkerSetup } from './protocol.ts';
import type { FirstRow, Group } from './lab.ts';

let setup: WorkerSetup = { base: '/', wasm: {} };
/** The order statistics of the summaries: the reference, or the student's own functions from the coding track. */
let order: OrderStatistics = REFERENCE_ORDER;
let studentNames: string[] = [];

async function files(choice: ModelChoice, signal: AbortSignal): Promise<UploadedFile[]> {
  if ('files' in choice) return choice.files;
  return Promise.all(
    ['model.json', 'weights.bin'].map(async (name) => {
      const res = await fetch(`${setup.base}models/${choice.key}/${name}`, { signal });
      if (!res.ok) throw new Error(`could not fetch models/${choice.key}/${name}: HTTP ${res.status}`);
      return { name, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
}

const api = {
  /** Starts tfjs on one backend; every other method runs on it. */
  async start(p: { spec: BackendSpec } & WorkerSetup) {
    setup = { base: p.base, wasm: p.wasm };
    return setupBackend(p.spec, { wasmPaths: p.wasm });
  },

  /** What this browser offers: backends (with reasons), timer resolution, isolation. */
  detect: () => captureEnvironment(tf.version.tfjs),

  /** The student's own order statistics, once their tests pass and they switch them on; {} for the reference. */
  async code(p: StudentCode) {
    const next: OrderStatistics = { ...REFERENCE_ORDER };
    const names: string[] = [];
    if (p.quantileSorted) {
      next.quantileSorted = (await importSource(p.quantileSorted)).quantileSorted as OrderStatistics['quantileSorted'];
      names.push('quantileSorted');
    }
    if (p.medianCISorted) {
      next.medianCISorted = (await importSource(p.medianCISorted)).medianCISorted as OrderStatistics['medianCISorted'];
      names.push('medianCISorted');
    }
    order = next;
    studentNames = names;
    return names;
  },

  /** Checks the student's model files: what it is, or why it cannot be used. */
  async check(p: { files: UploadedFile[] }) {
    const { model } = await readUserModel(p.files);
    try {
      return { params: model.countParams(), layers: model.layers.map((l) => `${l.name} (${l.getClassName()})`) };
    } finally {
      model.dispose();
    }
  },

  /** Builds the variants of one model (on the cpu backend); their weights travel back as transferred buffers. */
  async prepare(p: { choice: ModelChoice; kinds: VariantKind[] }, { signal }: JobContext): Promise<Prepared> {
    const prepared = await prepareVariants(p.choice.key, await files(p.choice, signal), p.kinds);
    return transfer(prepared, prepared.variants.map((v) => v.weights.buffer as ArrayBuffer));
  },

  /** Load, warm-up and first prediction of one variant: call it on a fresh worker, right after `start`. */
  async first(p: { variant: PreparedVariant }): Promise<Omit<FirstRow, 'initMs'>> {
    const before = tf.memory().numTensors;
    const { model, first } = await loadAndFirstInference(sourceOf(p.variant));
    model.dispose();
    if (tf.memory().numTensors !== before) throw new Error(`${tf.memory().numTensors - before} tensors were left in memory after the first inference`);
    return { model: p.variant.model, variant: p.variant.kind, loadMs: first.loadMs, warmupMs: first.warmupMs, firstPredictionMs: first.firstPredictionMs };
  },

  /** The variants of one model, timed interleaved at one batch size; the baseline's batch sweep after them. */
  async steady(p: { variants: PreparedVariant[]; batch: number; budgetMs: number; sweep: number[] }, { progress, signal }: JobContext): Promise<{ group: Group; studentCode: string[] }> {
    const sources = p.variants.map(sourceOf);
    const baseline = sources[p.variants.findIndex((v) => v.kind === 'baseline')]?.name;
    const results = await benchmarkModels(sources, {
      ...STEADY,
      batchSize: p.batch,
      budgetMs: p.budgetMs,
      sweep: p.sweep,
      sweepFor: (name) => name === baseline,
      sweepOptions: sweepOptions(p.budgetMs),
      order,
      signal,
      onProgress: (e) => progress(e.fraction, e.detail),
    });
    const group: Group = {
      model: p.variants[0]!.model,
      batch: p.batch,
      rows: results.map((r, i) => {
        const samples = r.steady.samples.map(roundMs);
        return { variant: p.variants[i]!.kind, params: r.params, samples, summary: keptSummary(samples, order), stopReason: r.steady.stopReason };
      }),
      sweep: results.flatMap((r) => r.sweep.map((s) => ({ batch: s.batchSize, summary: keep(s.summary), stopReason: s.stopReason }))),
      leaked: results[0]?.tensors.leaked ?? 0,
    };
    return { group, studentCode: studentNames };
  },
};

export type SpeedApi = typeof api;

serveWorker(self as unknown as WorkerScope, api, { stats: () => ({ numTensors: tf.memory().numTensors }) });
