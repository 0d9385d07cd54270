/** Shared set-up for the labkit ML tests (Node): wasm backend, packed MNIST, committed baselines. */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.ts';
import { loadMnist, type MnistSplit } from './data.ts';
import { mnistDir, nodeWasmPath, ROOT } from './node.ts';

export { ROOT };

let ready: Promise<string> | null = null;
export function useWasm(): Promise<string> {
  ready ??= (async () => {
    return initBackend('wasm', { wasmPath: nodeWasmPath() });
  })();
  return ready;
}

export function testSplit(limit?: number): Promise<MnistSplit> {
  return loadMnist(mnistDir(), 'test', limit);
}

export function trainSplit(limit?: number): Promise<MnistSplit> {
  return loadMnist(mnistDir(), 'train', limit);
}

/** The committed baseline's files, as a student would upload them. */
export async function baselineFiles(name: 'dense' | 'cnn'): Promise<{ name: string; bytes: Uint8Array }[]> {
  const dir = `${ROOT}public/models/${name}/`;
  const [json, bin] = await Promise.all([readFile(`${dir}model.json`), readFile(`${dir}weights.bin`)]);
  return [
    { name: 'model.json', bytes: new Uint8Array(json) },
    { name: 'weights.bin', bytes: new Uint8Array(bin) },
  ];
}

export async function loadBaseline(name: 'dense' | 'cnn'): Promise<tf.LayersModel> {
  const [json, bin] = await baselineFiles(name);
  const mj = JSON.parse(new TextDecoder().decode(json.bytes));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0].weights, weightData: bin.bytes.slice().buffer }));
}
