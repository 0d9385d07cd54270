import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { exportModel, planForLayers, readUserModel, ModelUploadError, type ModelJson } from './artifacts.ts';
import { evaluate } from './evaluate.ts';
import { decodeFloat16 } from './float16.ts';
import { dequantizeAffine, quantizeAffine } from './quantize.ts';
import { baselineFiles, loadBaseline, testSplit, useWasm } from './test-helpers.ts';
import type { MnistSplit } from './data.ts';

/** Loads exported artifacts exactly as a user would: an unmodified tf.loadLayersModel over tf.io.fromMemory. */
function stockLoad(modelJson: ModelJson, weightData: Uint8Array) {
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weightData.slice().buffer }));
}

let test: MnistSplit;
beforeAll(async () => {
  await useWasm();
  test = await testSplit();
});

describe.each(['dense', 'cnn'] as const)('export → stock tf.loadLayersModel → same accuracy (%s baseline)', (name) => {
  it('float32 export reproduces the model exactly', async () => {
    const model = await loadBaseline(name);
    const base = tf.memory().numTensors;
    const e = exportModel(model, 'float32');
    const loaded = await stockLoad(e.modelJson, e.weightData);
    const a = await evaluate(model, test);
    const b = await evaluate(loaded, test);
    expect(b.accuracy).toBe(a.accuracy);
    expect(Array.from(b.logits)).toEqual(Array.from(a.logits));
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });

  it.each(['uint8', 'uint16', 'float16'] as const)('%s: manifest, byte size, dequantized values and accuracy', async (dtype) => {
    const model = await loadBaseline(name);
    const base = tf.memory().numTensors;
    const ref = await evaluate(model, test);
    const e = exportModel(model, dtype);
    const n = model.countParams();
    expect(e.weightData.length).toBe(n * (dtype === 'uint8' ? 1 : 2));
    for (const s of e.specs) {
      expect(s.dtype).toBe('float32');
      expect(s.quantization?.dtype).toBe(dtype);
      if (dtype !== 'float16') expect(Object.keys(s.quantization!).sort()).toEqual(['dtype', 'min', 'scale']);
    }
    const loaded = await stockLoad(e.modelJson, e.weightData);
    // What tfjs decoded is exactly what our arithmetic predicts.
    model.weights.forEach((w, i) => {
      const orig = w.read().dataSync() as Float32Array;
      const got = loaded.weights[i].read().dataSync() as Float32Array;
      let expected: Float32Array;
      if (dtype === 'float16') expected = decodeFloat16(new Uint16Array(e.weightData.slice(offsetOf(e, i), offsetOf(e, i) + 2 * orig.length).buffer));
      else {
        const a = quantizeAffine(orig, dtype);
        expected = dequantizeAffine(a.q, a.scale, a.min);
      }
      expect(Array.from(got)).toEqual(Array.from(expected));
    });
    const ev = await evaluate(loaded, test);
    const dropPp = (ref.accuracy - ev.accuracy) * 100;
    if (dtype === 'uint8') expect(dropPp).toBeLessThanOrEqual(0.5);
    else expect(dropPp).toBeLessThanOrEqual(0.1);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });
});

function offsetOf(e: ReturnType<typeof exportModel>, index: number): number {
  let o = 0;
  for (let i = 0; i < index; i++) {
    const s = e.specs[i];
    o += s.shape.reduce((a, b) => a * b, 1) * (s.quantization?.dtype === 'uint8' ? 1 : s.quantization ? 2 : 4);
  }
  return o;
}

describe('per-layer selection', () => {
  it('quantizes only the chosen layers', async () => {
    const model = await loadBaseline('dense');
    const e = exportModel(model, planForLayers({ dense_1: 'uint8' }));
    const q = Object.fromEntries(e.specs.map((s) => [s.name, s.quantization?.dtype ?? 'float32']));
    expect(q).toEqual({ 'dense_1/kernel': 'uint8', 'dense_1/bias': 'uint8', 'dense_2/kernel': 'float32', 'dense_2/bias': 'float32', 'logits/kernel': 'float32', 'logits/bias': 'float32' });
    const loaded = await stockLoad(e.modelJson, e.weightData);
    expect(loaded.countParams()).toBe(model.countParams());
    loaded.dispose();
    model.dispose();
  });
});

describe('student uploads', () => {
  const text = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  async function files(mutate: (json: ModelJson, bin: Uint8Array) => { json?: ModelJson; bin?: Uint8Array | null } | void) {
    const [j, b] = await baselineFiles('dense');
    const json = JSON.parse(new TextDecoder().decode(j.bytes)) as ModelJson;
    const r = mutate(json, b.bytes) ?? {};
    const out: { name: string; bytes: Uint8Array }[] = [{ name: 'model.json', bytes: text(r.json ?? json) }];
    if (r.bin !== null) out.push({ name: 'weights.bin', bytes: r.bin ?? b.bytes });
    return out;
  }
  const rejects = async (f: Parameters<typeof files>[0], message: RegExp) => {
    const before = tf.memory().numTensors;
    await expect(readUserModel(await files(f))).rejects.toThrow(message);
    await expect(readUserModel(await files(f))).rejects.toBeInstanceOf(ModelUploadError);
    expect(tf.memory().numTensors).toBe(before);
  };

  it('refuses a topology that declares more than its weights hold, before building it (the memory bomb)', async () => {
    type Layer = { class_name: string; config: Record<string, unknown> };
    const layersOf = (json: ModelJson) => (json.modelTopology as { config: { layers: Layer[] } }).config.layers;
    await rejects((json) => {
      layersOf(json).find((l) => l.class_name === 'Dense')!.config.units = 1_000_000;
    }, /declares units: 1000000, but its kernel in the weightsManifest has shape \[784, 128\]/);
    await rejects((json) => {
      json.weightsManifest[0]!.weights[0]!.shape = [-784, -128];
    }, /shape \[-784,-128\]: every dimension must be a whole number above 0/);
    await rejects((json) => {
      json.weightsManifest[0]!.weights[0]!.shape = [784, 100_000_000];
    }, /handles at most/);
    await rejects((json) => {
      delete (json.weightsManifest[0] as { weights?: unknown }).weights;
    }, /without "weights"/);
  });

  it('accepts a valid LayersModel', async () => {
    const { model } = await readUserModel(await files(() => {}));
    expect(model.countParams()).toBe(109386);
    model.dispose();
  });

  it('rejects a missing model.json, invalid JSON and graph models', async () => {
    await expect(readUserModel([{ name: 'weights.bin', bytes: new Uint8Array(4) }])).rejects.toThrow(/no model.json/);
    await expect(readUserModel([{ name: 'model.json', bytes: new TextEncoder().encode('{oops') }])).rejects.toThrow(/not valid JSON/);
    await rejects((json) => ({ json: { ...json, format: 'graph-model' as 'layers-model' } }), /graph model/);
  });

  it('rejects unsupported layers by name', async () => {
    await rejects((json) => {
      const layers = (json.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers;
      layers[1].class_name = 'LSTM';
    }, /unsupported layer type: LSTM/);
  });

  it('rejects a missing weight file', async () => {
    await rejects(() => ({ bin: null }), /missing weight file "weights.bin"/);
  });

  it('rejects a weight file of the wrong length (truncated or corrupt)', async () => {
    await rejects((_, bin) => ({ bin: bin.subarray(0, bin.length - 10) }), /437534 bytes, but the manifest describes 437544 bytes/);
  });

  it('rejects NaN weights', async () => {
    await rejects((_, bin) => {
      const copy = bin.slice();
      new DataView(copy.buffer).setFloat32(8, NaN, true);
      return { bin: copy };
    }, /contains NaN or Infinity/);
  });

  it('rejects an input shape that does not fit 28×28×1 / 784', async () => {
    await rejects((json) => {
      const layers = (json.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
      layers[0].config.batch_input_shape = [null, 28, 28];
    }, /\[null, 28, 28, 1\] \(add a channel axis\)/);
  });

  it('rejects a model built for other images (32×32×3)', async () => {
    const other = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 10 })] });
    const e = exportModel(other);
    other.dispose();
    await expect(readUserModel([{ name: 'model.json', bytes: text(e.modelJson) }, { name: 'weights.bin', bytes: e.weightData }])).rejects.toThrow(
      /input shape is \[null, 32, 32, 3\], which does not fit 28×28 grey-scale MNIST/,
    );
  });

  it('rejects an output that is not 10 classes', async () => {
    const small = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 3 })] });
    const e = exportModel(small);
    small.dispose();
    await expect(readUserModel([{ name: 'model.json', bytes: text(e.modelJson) }, { name: 'weights.bin', bytes: e.weightData }])).rejects.toThrow(/one value per digit/);
  });
});
