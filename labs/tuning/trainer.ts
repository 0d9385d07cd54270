/// <reference lib="webworker" />
/**
 * A live study's training worker: one per spare core, each with tfjs on a single-threaded backend, training one
 * trial's network at a time (labs/tuning/mlp.ts, the code that made the replay benchmark). The study's coordinator
 * (worker.ts) starts these workers and calls them through the shared worker protocol; a crash fails only the trial
 * it was training, and the protocol starts a fresh worker for the next one.
 */
import * as tf from '@tensorflow/tfjs';
import { serveWorker, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { mnist, startTfjs, type TfjsSetup } from '../../src/labkit/ml/worker-env.ts';
import { VALIDATION_IMAGES, type MlpConfig } from './config.ts';
import { MlpLearner, tuningData, type TuningData } from './mlp.ts';

let data: TuningData | null = null;
let learner: MlpLearner | null = null;

async function need(): Promise<TuningData> {
  data ??= tuningData(await mnist('train'));
  return data;
}

function drop() {
  learner?.dispose();
  learner = null;
}

const api = {
  init: async (setup: TfjsSetup) => {
    const info = await startTfjs(setup);
    await need();
    return info;
  },
  /** Starts training a configuration from the seed (the previous network is dropped). */
  start: async (p: { config: MlpConfig; seed: number }) => {
    drop();
    learner = new MlpLearner(p.config, await need(), p.seed);
    return { ok: true };
  },
  /** One more epoch; the validation error and how long the epoch took. */
  epoch: async (_: unknown, { signal }: { signal: AbortSignal }) => {
    if (!learner) throw new Error('no trial is training on this worker');
    const t0 = performance.now();
    const r = await learner.epoch(signal);
    return { ...r, error: r.wrong / VALIDATION_IMAGES, ms: performance.now() - t0 };
  },
  /**
   * The honest test: trains the chosen configuration again from its seed for the same epochs (on the same backend
   * the result is the trial's own network again), checks its validation errors, and scores the test images once.
   */
  test: async (p: { config: MlpConfig; seed: number; epochs: number }, { signal, progress }: { signal: AbortSignal; progress: (f: number, m?: string) => void }) => {
    drop();
    const again = new MlpLearner(p.config, await need(), p.seed);
    try {
      const validation: number[] = [];
      for (let e = 0; e < p.epochs; e++) {
        validation.push((await again.epoch(signal)).wrong);
        progress((e + 1) / (p.epochs + 1), `retraining the chosen configuration: epoch ${e + 1} of ${p.epochs}`);
      }
      const test = await mnist('test');
      return { validationWrong: validation, wrong: await again.wrong(test), images: test.count };
    } finally {
      again.dispose();
    }
  },
  stop: () => {
    drop();
    return { ok: true };
  },
};
export type TrainerApi = typeof api;

serveWorker(self as unknown as WorkerScope, api, { stats: () => ({ numTensors: tf.memory().numTensors }) });
