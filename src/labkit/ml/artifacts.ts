/**
 * Reading and writing tfjs LayersModel artifacts (model.json + weight files).
 *
 * `exportModel` writes what tensorflowjs_converter writes for --quantize_uint8/--quantize_uint16/--quantize_float16:
 * weightsManifest entries with `dtype: 'float32'` plus `quantization: {dtype, scale, min}` (or `{dtype: 'float16'}`),
 * and the quantized bytes (little-endian). `model.save()` cannot do this, so the specs and bytes are built here; an
 * unmodified `tf.loadLayersModel(tf.io.fromMemory(...))` loads the result and dequantizes it.
 *
 * `readUserModel` validates a student's upload before tfjs sees it, so each problem gets a message a student can act on.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeFloat16 } from './float16.ts';
import { BYTES_PER_VALUE, quantizeAffine, type AffineQuantizer, type WeightDtype } from './quantize.ts';
import { inputLayoutFor, NUM_CLASSES } from './data.ts';

export interface NamedWeight {
  /** The name in the weights manifest, e.g. "dense_1/kernel". */
  name: string;
  /** The layer that owns it. */
  layer: string;
  /** 'kernel', 'bias', … (the part after the last slash). */
  role: string;
  shape: number[];
  values: Float32Array;
}

/** The model's weights with their manifest names, in the order model.save() writes them. */
export function namedWeights(model: tf.LayersModel): NamedWeight[] {
  const out: NamedWeight[] = [];
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const name = w.originalName;
      out.push({ name, layer: layer.name, role: name.slice(name.lastIndexOf('/') + 1), shape: w.shape.slice() as number[], values: w.read().dataSync() as Float32Array });
    }
  }
  return out;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8' | 'uint16'; scale: number; min: number } | { dtype: 'float16' };
}

export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export interface ExportedModel {
  modelJson: ModelJson;
  /** The bytes of the single weight file named in the manifest. */
  weightData: Uint8Array;
  weightsFile: string;
  specs: WeightSpec[];
}

/** Chooses a dtype per weight: a single dtype for all, or a function of the weight (per-layer selection). */
export type DtypePlan = WeightDtype | ((w: NamedWeight) => WeightDtype);

/** Only float32 weights are stored at all dtypes; a plan that picks layers: `planForLayers({dense_1: 'uint8'})`. */
export function planForLayers(byLayer: Record<string, WeightDtype>, otherwise: WeightDtype = 'float32'): DtypePlan {
  return (w) => byLayer[w.layer] ?? otherwise;
}

export interface ExportOptions {
  weightsFile?: string;
  /** The uint8/uint16 quantizer (default: the converter's, affine.mjs); the coding track passes the student's. */
  quantizer?: AffineQuantizer;
}

export function exportModel(model: tf.LayersModel, plan: DtypePlan = 'float32', { weightsFile = 'weights.bin', quantizer }: ExportOptions = {}): ExportedModel {
  const weights = namedWeights(model);
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const w of weights) {
    const dtype = typeof plan === 'function' ? plan(w) : plan;
    const spec: WeightSpec = { name: w.name, shape: w.shape, dtype: 'float32' };
    let bytes: Uint8Array;
    if (dtype === 'float32') {
      bytes = new Uint8Array(Float32Array.from(w.values).buffer);
    } else if (dtype === 'float16') {
      spec.quantization = { dtype: 'float16' };
      bytes = new Uint8Array(encodeFloat16(w.values).buffer);
    } else {
      const a = quantizeAffine(w.values, dtype, quantizer);
      if (a.q.length !== w.values.length || !(Number.isFinite(a.scale) && Number.isFinite(a.min))) {
        throw new Error(`the quantizer returned ${a.q.length} levels for ${w.values.length} weights of ${w.name} (scale ${a.scale}, min ${a.min})`);
      }
      spec.quantization = { dtype, scale: a.scale, min: a.min };
      bytes = new Uint8Array(a.q.buffer, a.q.byteOffset, a.q.byteLength);
    }
    specs.push(spec);
    chunks.push(bytes);
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    weightData.set(c, o);
    o += c.length;
  }
  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'mlops-course labkit (tensorflowjs_converter-compatible quantization)',
    modelTopology: model.toJSON(null, false) as object,
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
  };
  return { modelJson, weightData, weightsFile, specs };
}

/** Loads exported artifacts with the stock tfjs loader. */
export function loadExported(e: { modelJson: ModelJson; weightData: Uint8Array }): Promise<tf.LayersModel> {
  const data = e.weightData.slice().buffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: e.modelJson.modelTopology, weightSpecs: e.modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[], weightData: data }),
  );
}

/** Bytes a weight occupies on disk according to its spec. */
export function specBytes(spec: { shape: number[]; dtype?: string; quantization?: { dtype: string } }): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const dt = (spec.quantization?.dtype ?? spec.dtype ?? 'float32') as WeightDtype | 'int32' | 'bool';
  const per = dt === 'int32' ? 4 : dt === 'bool' ? 1 : BYTES_PER_VALUE[dt as WeightDtype];
  if (per === undefined) throw new Error(`weight "${(spec as { name?: string }).name}" has dtype "${dt}", which the lab cannot read`);
  return n * per;
}

// ---------------------------------------------------------------------------------------------------------------
// Uploads

/** Layers the lab's tools understand (quantization works on any; pruning needs Dense/Conv2D kernels). */
export const SUPPORTED_LAYERS = new Set([
  'InputLayer', 'Dense', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D',
  'Flatten', 'Reshape', 'Dropout', 'Activation', 'ReLU', 'Softmax', 'BatchNormalization',
]);

export class ModelUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelUploadError';
  }
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

function layerList(topology: Record<string, unknown>): { class_name: string; config: Record<string, unknown> }[] {
  const cfg = (topology.model_config ?? topology) as { class_name?: string; config?: unknown };
  const inner = cfg.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(inner) ? inner : (inner as { layers?: unknown })?.layers;
  if (!Array.isArray(layers)) throw new ModelUploadError('model.json has no layer list in modelTopology: is this a tfjs LayersModel (not a graph model)?');
  return layers as { class_name: string; config: Record<string, unknown> }[];
}

/** The most weights an uploaded model may have (256 MB as float32): more would exhaust a browser tab. */
export const MAX_UPLOAD_WEIGHTS = 64 * 2 ** 20;

const shapeOf = (specs: Map<string, number[]>, name: string) => specs.get(name);

/**
 * Compares what the topology declares with the weights the manifest describes, before tfjs builds anything: a
 * model.json of a few kilobytes that declares a million units would otherwise make tfjs allocate gigabytes for its
 * initial weights before it notices that they do not match.
 */
export function checkDeclaredShapes(layers: { class_name: string; config: Record<string, unknown> }[], manifest: ModelJson['weightsManifest']): void {
  const specs = new Map<string, number[]>();
  let total = 0;
  for (const group of manifest) {
    if (!Array.isArray(group?.weights) || !Array.isArray(group.paths)) throw new ModelUploadError('the weightsManifest has a group without "weights" or "paths": the model.json is damaged');
    for (const spec of group.weights) {
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d > 0)) {
        throw new ModelUploadError(`weight "${String(spec.name)}" has the shape ${JSON.stringify(spec.shape)}: every dimension must be a whole number above 0`);
      }
      total += spec.shape.reduce((a, b) => a * b, 1);
      specs.set(spec.name, spec.shape);
    }
  }
  if (total > MAX_UPLOAD_WEIGHTS) throw new ModelUploadError(`the model has ${total.toLocaleString('en')} weights; the lab handles at most ${MAX_UPLOAD_WEIGHTS.toLocaleString('en')}`);
  const number = (v: unknown) => (typeof v === 'number' ? v : NaN);
  for (const { class_name: kind, config } of layers) {
    const name = String(config.name);
    if (kind !== 'Dense' && kind !== 'Conv2D') continue;
    const kernel = shapeOf(specs, `${name}/kernel`);
    if (!kernel) throw new ModelUploadError(`layer ${name} (${kind}) has no kernel in the weightsManifest: the model.json and its weights do not belong together`);
    const out = kind === 'Dense' ? number(config.units) : number(config.filters);
    if (out !== kernel.at(-1)) {
      throw new ModelUploadError(`layer ${name} declares ${kind === 'Dense' ? 'units' : 'filters'}: ${String(kind === 'Dense' ? config.units : config.filters)}, but its kernel in the weightsManifest has shape [${kernel.join(', ')}]`);
    }
    const size = config.kernel_size ?? config.kernelSize;
    if (kind === 'Conv2D' && (!Array.isArray(size) || size[0] !== kernel[0] || size[1] !== kernel[1])) {
      throw new ModelUploadError(`layer ${name} declares kernel_size ${JSON.stringify(size)}, but its kernel has shape [${kernel.join(', ')}]`);
    }
    const bias = shapeOf(specs, `${name}/bias`);
    if (bias && bias[0] !== out) throw new ModelUploadError(`layer ${name}: its bias has shape [${bias.join(', ')}] for ${out} outputs`);
  }
}

/**
 * Validates and loads a student's model from its files (model.json and the .bin files it names). Throws a
 * ModelUploadError with a specific message for: no/invalid model.json, a graph model, unsupported layers, a missing
 * weight file, a weight file of the wrong length, non-finite weights, an input shape that does not fit MNIST, or an
 * output that is not 10 classes.
 */
export async function readUserModel(files: UploadedFile[]): Promise<{ model: tf.LayersModel; modelJson: ModelJson; weightData: Uint8Array }> {
  const jsonFile = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!jsonFile) throw new ModelUploadError('no model.json among the files: choose the model.json and its .bin weight files together');
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonFile.bytes));
  } catch (e) {
    throw new ModelUploadError(`${jsonFile.name} is not valid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new ModelUploadError(`${jsonFile.name} has no modelTopology: it is not a tfjs model.json`);
  if ((json.format as string) === 'graph-model' || 'node' in (json.modelTopology as object)) {
    throw new ModelUploadError(`${jsonFile.name} is a tfjs graph model; the lab needs a LayersModel (saved with model.save() or converted with --output_format tfjs_layers_model)`);
  }
  const layers = layerList(json.modelTopology as Record<string, unknown>);
  const unsupported = [...new Set(layers.map((l) => l.class_name).filter((c) => !SUPPORTED_LAYERS.has(c)))];
  if (unsupported.length) {
    throw new ModelUploadError(`unsupported layer type${unsupported.length > 1 ? 's' : ''}: ${unsupported.join(', ')}. The lab supports ${[...SUPPORTED_LAYERS].join(', ')}`);
  }
  const declared = layers.map((l) => l.config?.batch_input_shape ?? l.config?.batchInputShape).find((s) => Array.isArray(s)) as (number | null)[] | undefined;
  if (declared) {
    try {
      inputLayoutFor(declared);
    } catch (e) {
      throw new ModelUploadError((e as Error).message);
    }
  }
  if (!Array.isArray(json.weightsManifest) || json.weightsManifest.length === 0) throw new ModelUploadError(`${jsonFile.name} has no weightsManifest`);
  checkDeclaredShapes(layers, json.weightsManifest);
  const byName = new Map(files.map((f) => [f.name.split('/').pop()!, f]));
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const expected = group.weights.reduce((n, s) => n + specBytes(s), 0);
    let got = 0;
    const groupParts: Uint8Array[] = [];
    for (const p of group.paths) {
      const base = p.split('/').pop()!;
      const f = byName.get(base);
      if (!f) throw new ModelUploadError(`missing weight file "${base}" named in ${jsonFile.name}: select it together with the model.json`);
      groupParts.push(f.bytes);
      got += f.bytes.length;
    }
    if (got !== expected) {
      throw new ModelUploadError(
        `weight file${group.paths.length > 1 ? 's' : ''} ${group.paths.join(', ')}: ${got} bytes, but the manifest describes ${expected} bytes. The file is truncated, corrupt, or from another model`,
      );
    }
    parts.push(...groupParts);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    weightData.set(p, o);
    o += p.length;
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[], weightData: weightData.slice().buffer }),
    );
  } catch (e) {
    throw new ModelUploadError(`tfjs could not build the model: ${(e as Error).message}`);
  }
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new ModelUploadError('the model must have exactly one input and one output');
    try {
      inputLayoutFor(model.inputs[0].shape);
    } catch (e) {
      throw new ModelUploadError((e as Error).message);
    }
    const out = model.outputs[0].shape;
    if (out.length !== 2 || out[1] !== NUM_CLASSES) throw new ModelUploadError(`the model outputs shape [${out.map(String).join(', ')}]; the lab needs [null, 10], one value per digit`);
    for (const w of model.weights) {
      const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(w.read())).any().dataSync()[0]);
      if (bad) throw new ModelUploadError(`weight "${w.originalName}" contains NaN or Infinity: the weight file is corrupt`);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, modelJson: json, weightData };
}
