// Times quantization and pruning of both baselines in Chromium, as a ratio to a plain copy of the same weight bytes.
// Usage: node bench/edge-chromium.mjs [--runs 25]   (uses the machine's Chromium via Playwright; no download)
// Pruning finds its threshold with quickselect; a full sort of |w| is timed beside it for comparison.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { chromiumPath } from '../e2e/chromium.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 15;

const bundle = await build({ entryPoints: [join(root, 'bench/edge-ops.ts')], bundle: true, write: false, format: 'iife', globalName: 'edgeOps', platform: 'browser', target: 'es2022', external: ['node:*'] });
const code = bundle.outputFiles[0].text;

/** Kernels and biases of a committed baseline, as arrays of numbers (float32 values) per weight. */
function weightsOf(name) {
  const dir = join(root, 'public/models', name);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(dir, 'weights.bin'));
  const f = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  let o = 0;
  return json.weightsManifest[0].weights.map((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const arr = Array.from(f.subarray(o, o + n));
    o += n;
    return arr;
  });
}

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>edge bench</title>');
  await page.addScriptTag({ content: code });
  const weights = { dense: weightsOf('dense'), cnn: weightsOf('cnn') };
  const result = await page.evaluate(
    ({ weights, runs }) => {
      const typed = Object.fromEntries(Object.entries(weights).map(([k, ts]) => [k, ts.map((t) => Float32Array.from(t))]));
      return globalThis.edgeOps.run(typed, runs);
    },
    { weights, runs },
  );
  const version = browser.version();
  console.log(`Chromium ${version}, median of ${runs} samples (each ≥ 20 ms of repetitions) after 3 warm-ups\n`);
  console.log('| Model | Operation | Weights | Median (ms) | × plain copy |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const [key, r] of Object.entries(result)) {
    const [model, op] = key.split(' | ');
    console.log(`| ${model} | ${op} | ${r.weights.toLocaleString('en')} | ${r.ms.toFixed(4)} | ${r.ratio.toFixed(1)} |`);
  }
} finally {
  await browser.close();
}
