/**
 * The quantize-and-prune lab as a student uses it, on the wasm backend: load the dense baseline, quantize, prune with
 * fine-tuning against its control, watch the criteria turn green, download a variant and load its folder with an
 * unmodified tf.loadLayersModel in Node to the same answers, upload that zip back, reload the page and find the
 * results kept. Uploads that are damaged, or that declare more than they hold, get a clear message.
 * (The shell itself — Cancel, reports, reset, storage — is tested once, on the tour lab: lab-shell.spec.ts.)
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync, strFromU8, unzipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './support';

const LAB = '/labs/quantize-prune/';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const row = (page: Page, kind: string) => page.locator(`[data-testid="results"] tr[data-kind="${kind}"]`);

async function ready(page: Page) {
  await page.goto(LAB);
  await expect(page.getByTestId('tfjs-status')).toContainText('on wasm', { timeout: 60_000 });
}

async function idle(page: Page, timeout = 60_000) {
  await expect(page.getByTestId('job')).toHaveCount(0, { timeout });
}

/** Which test images a model gets right, computed here in Node with the stock loader. */
async function nodeOutcomes(modelJson: string, weights: Uint8Array): Promise<number[]> {
  await tf.setBackend('cpu');
  const json = JSON.parse(modelJson);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.slice().buffer }));
  const images = gunzipSync(new Uint8Array(await readFile('public/data/mnist/test-images.bin.gz')));
  const labels = gunzipSync(new Uint8Array(await readFile('public/data/mnist/test-labels.bin.gz')));
  const pred = tf.tidy(() => (model.predict(tf.tensor2d(Float32Array.from(images, (v) => v / 255), [labels.length, 784])) as tf.Tensor).argMax(-1));
  const p = await pred.data();
  pred.dispose();
  model.dispose();
  return Array.from(labels, (label, i) => Number(p[i] === label));
}

test('a student quantizes, prunes against a control, exports, re-uploads and reloads (dense baseline, wasm)', async ({ page }) => {
  test.setTimeout(240_000);
  await ready(page);
  await page.getByRole('button', { name: 'Load dense baseline' }).click();
  await expect(page.getByTestId('model-summary')).toContainText('109,386 parameters', { timeout: 60_000 });
  await idle(page);

  for (const dtype of ['uint8', 'float16']) {
    await page.getByRole('button', { name: `Quantize ${dtype}` }).click();
    await expect(page.locator(`[data-testid="results"] tr[data-variant="${dtype} weights"]`)).toBeVisible({ timeout: 60_000 });
    await idle(page);
  }
  for (const id of ['uint8-size', 'uint8-accuracy', 'float16-accuracy']) await expect(criterion(page, id)).toHaveAttribute('data-status', 'met');
  // Every accuracy has its interval, every drop its paired interval and McNemar p.
  await expect(page.locator('tr[data-variant="uint8 weights"]')).toContainText(/97\.\d+% \(97\.\d+ to 98\.\d+\)/);

  // Input is checked before anything runs, naming the field.
  await page.getByLabel('Epochs', { exact: true }).fill('0');
  await expect(page.getByText('Fine-tuning needs from 1 to 20 whole epochs')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Prune and fine-tune' })).toBeDisabled();

  // 80% sparsity, one quick epoch, then uint8: the control is fine-tuned the same way without pruning.
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Training images', { exact: true }).fill('3000');
  await page.getByRole('button', { name: 'Prune and fine-tune' }).click();
  await expect(page.getByTestId('job')).toContainText('the control', { timeout: 60_000 });
  await idle(page, 180_000);
  await expect(row(page, 'control')).toHaveCount(1);
  await expect(row(page, 'pruned')).toContainText('pruned to 80%');
  for (const id of ['pruned80-accuracy', 'pruned80-gzip', 'pruned-uint8-accuracy']) await expect(criterion(page, id)).toHaveAttribute('data-status', 'met');

  // Download the pruned + uint8 variant: a folder with model.json and weights.bin that the stock loader reads.
  const [download] = await Promise.all([page.waitForEvent('download'), row(page, 'pruned+quantized').getByRole('button', { name: /Download/ }).click()]);
  const zipBytes = new Uint8Array(await readFile((await download.path())!));
  const zip = unzipSync(zipBytes);
  const names = Object.keys(zip);
  expect(names).toHaveLength(2);
  expect(names.every((n) => /^dense-[a-z0-9]+\/(model\.json|weights\.bin)$/.test(n))).toBe(true);
  const json = strFromU8(zip[names.find((n) => n.endsWith('model.json'))!]!);
  expect(JSON.parse(json).weightsManifest[0].weights.every((w: { quantization?: { dtype: string } }) => w.quantization?.dtype === 'uint8')).toBe(true);
  const outcomes = await nodeOutcomes(json, zip[names.find((n) => n.endsWith('weights.bin'))!]!);
  const inPage = Number((await row(page, 'pruned+quantized').locator('td').nth(4).innerText()).split('%')[0]) / 100;
  expect(outcomes.reduce((a, b) => a + b, 0) / outcomes.length).toBeCloseTo(inPage, 4);

  await row(page, 'pruned+quantized').getByRole('button', { name: /Reload/ }).click();
  await expect(page.getByTestId('verify')).toContainText('the same answer on every one of the 5,000 test images', { timeout: 60_000 });
  await idle(page);
  await expectAccessible(page, { exclude: ['button[data-open-modal]'] });

  // A reload keeps every result and criterion; the exported zip goes back in as the student's own model.
  await page.reload();
  await expect(page.getByTestId('tfjs-status')).toContainText('on wasm', { timeout: 60_000 });
  await expect(criterion(page, 'pruned80-gzip')).toHaveAttribute('data-status', 'met');
  await expect(row(page, 'pruned+quantized')).toHaveCount(1);
  await page.locator('input[type="file"]').setInputFiles({ name: 'exported.zip', mimeType: 'application/zip', buffer: Buffer.from(zipBytes) });
  await expect(page.getByTestId('model-summary')).toContainText('your model model.json', { timeout: 60_000 });
});

test('uploads that are damaged or declare more than they hold get a clear message', async ({ page }) => {
  test.setTimeout(90_000);
  await ready(page);
  const json = await readFile('public/models/dense/model.json');
  const bin = await readFile('public/models/dense/weights.bin');
  const input = page.locator('input[type="file"]');
  const alert = page.getByTestId('lab-alert');
  await input.setInputFiles([{ name: 'model.json', mimeType: 'application/json', buffer: json }]);
  await expect(alert).toContainText('missing weight file "weights.bin"', { timeout: 30_000 });
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: json },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin.subarray(0, 1000) },
  ]);
  await expect(alert).toContainText('1000 bytes, but the manifest describes 437544 bytes');
  const bomb = JSON.parse(json.toString('utf8'));
  bomb.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'Dense').config.units = 1_000_000;
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bomb)) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin },
  ]);
  await expect(alert).toContainText('declares units: 1000000');
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: json },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin },
  ]);
  await expect(page.getByTestId('model-summary')).toContainText('your model model.json', { timeout: 60_000 });
  await expect(alert).toHaveCount(0);
});
