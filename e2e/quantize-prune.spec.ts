/**
 * The quantize-and-prune lab used end to end as a student would, on the wasm backend: load the dense baseline,
 * quantize, prune with fine-tuning (plus uint8), watch the criteria turn green, download a variant and load it back
 * with an unmodified tf.loadLayersModel (in Node, here) to the same accuracy, download the report with its charts,
 * and reload the page to find the results kept. Bad uploads get a clear message.
 */
import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './support';

const LAB = '/labs/quantize-prune/';
const criterion = (page: Page, id: string) => page.locator(`[data-criterion="${id}"]`);
const row = (page: Page, name: string) => page.locator(`[data-testid="results"] tr[data-variant="${name}"]`);

async function ready(page: Page) {
  await page.goto(LAB);
  await expect(page.getByRole('status')).toContainText('on wasm', { timeout: 60_000 });
}

async function idle(page: Page, timeout = 60_000) {
  await expect(page.getByTestId('job')).toHaveCount(0, { timeout });
}

/** Accuracy of tfjs artifacts on the packed test split, computed here in Node with the stock loader. */
async function nodeAccuracy(modelJson: string, weights: Uint8Array): Promise<number> {
  await tf.setBackend('cpu');
  const json = JSON.parse(modelJson);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.slice().buffer }));
  const images = new Uint8Array(await readFile('public/data/mnist/test-images.bin'));
  const labels = new Uint8Array(await readFile('public/data/mnist/test-labels.bin'));
  const n = labels.length;
  const pred = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(images, (v) => v / 255), [n, 784]);
    return (model.predict(x) as tf.Tensor).argMax(-1);
  });
  const p = await pred.data();
  pred.dispose();
  model.dispose();
  let ok = 0;
  for (let i = 0; i < n; i++) if (p[i] === labels[i]) ok++;
  return ok / n;
}

test('a student quantizes, prunes, exports, reports and reloads (dense baseline, wasm)', async ({ page }) => {
  test.setTimeout(420_000);
  await ready(page);
  await page.getByRole('button', { name: 'Load dense baseline' }).click();
  await expect(page.getByTestId('model-summary')).toContainText('109,386 parameters', { timeout: 60_000 });
  await idle(page);

  for (const dt of ['uint8', 'float16']) {
    await page.getByRole('button', { name: `Quantize ${dt}` }).click();
    await expect(row(page, dt)).toBeVisible({ timeout: 60_000 });
    await idle(page);
  }
  await expect(criterion(page, 'uint8-size')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'uint8-accuracy')).toHaveAttribute('data-status', 'met');
  await expect(criterion(page, 'float16-accuracy')).toHaveAttribute('data-status', 'met');

  // The weight histogram with the uint8 grid.
  await page.getByLabel('Variant').selectOption({ label: 'v2: uint8' });
  await page.getByRole('button', { name: 'Show weight histogram' }).click();
  await expect(page.locator('.qp-chart svg title').first()).toContainText('after uint8', { timeout: 30_000 });
  await idle(page);

  // Structured pruning builds a smaller model and times it against the baseline.
  await page.getByLabel('Fine-tuning epochs').fill('1');
  await page.getByRole('button', { name: 'Build the smaller model' }).click();
  await expect(row(page, 'structured −50% units/filters')).toBeVisible({ timeout: 120_000 });
  await expect(row(page, 'structured −50% units/filters')).toContainText('ms per 100 images');
  await idle(page);

  // Prune to 80% with the default schedule (polynomial decay, global threshold, 3 epochs) and quantize after.
  await page.getByRole('button', { name: 'Prune and fine-tune' }).click();
  await expect(page.getByTestId('job')).toContainText('fine-tuning with the mask held', { timeout: 60_000 });
  await idle(page, 300_000);
  for (const id of ['pruned80-accuracy', 'pruned80-gzip']) await expect(criterion(page, id)).toHaveAttribute('data-status', 'met');
  await expect(row(page, 'pruned 80% global (3 epochs) + uint8')).toBeVisible();

  // 80% + uint8 lands just short of 1/12 on the dense net; 90% gets there.
  await page.getByLabel('Target sparsity').fill('0.9');
  await page.getByRole('button', { name: 'Prune and fine-tune' }).click();
  await expect(page.getByTestId('job')).toContainText('fine-tuning with the mask held', { timeout: 60_000 });
  await idle(page, 300_000);
  for (const id of ['pruned-uint8-gzip', 'pruned-uint8-accuracy']) await expect(criterion(page, id)).toHaveAttribute('data-status', 'met');
  const name = 'pruned 90% global (3 epochs) + uint8';
  await expect(row(page, name)).toBeVisible();
  const inPage = Number((await row(page, name).locator('td').nth(5).innerText()).replace('%', '')) / 100;

  // Download the pruned + uint8 variant and load it with an unmodified tf.loadLayersModel.
  const [download] = await Promise.all([page.waitForEvent('download'), row(page, name).getByRole('button', { name: /Download/ }).click()]);
  const zip = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const files = Object.keys(zip);
  const jsonName = files.find((f) => f.endsWith('model.json'))!;
  const binName = files.find((f) => f.endsWith('.bin'))!;
  const manifest = JSON.parse(strFromU8(zip[jsonName]));
  expect(manifest.weightsManifest[0].weights.every((w: { quantization?: { dtype: string } }) => w.quantization?.dtype === 'uint8')).toBe(true);
  expect(await nodeAccuracy(strFromU8(zip[jsonName]), zip[binName])).toBeCloseTo(inPage, 4);
  await idle(page);

  // Reload it in the page too.
  await row(page, name).getByRole('button', { name: /Reload/ }).click();
  await expect(page.getByTestId('verify')).toContainText('identical', { timeout: 60_000 });
  await idle(page);

  await expect(page.getByRole('heading', { name: /Acceptance criteria \(7 of 7 met\)/ })).toBeVisible();

  // The report, with the criteria and the charts inside.
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download lab report (Markdown)' }).click()]);
  expect(report.suggestedFilename()).toMatch(/^lab-report-quantize-prune-\d{4}-\d{2}-\d{2}\.md$/);
  const md = await readFile((await report.path())!, 'utf8');
  expect(md).toContain('Acceptance criteria: 7 of 7 met');
  expect(md).toContain('| uint8 |');
  expect(md).toMatch(/!\[Size against accuracy\]\(data:image\/svg\+xml;base64,/);
  expect(md).toContain('tfjs backend | wasm');
  expect(md).toContain('no sparse kernels');

  // No tensors leaked: the count after all of this is the count right after loading the model.
  const tensors = await page.getByTestId('num-tensors').innerText();
  const [, now, base] = /Tensors in memory: (\d+) \(baseline (\d+)\)/.exec(tensors)!;
  expect(Number(now)).toBe(Number(base));

  // The site-wide search button belongs to the site chrome (src/components/Search.astro), not to this lab.
  await expectAccessible(page, { exclude: ['button[data-open-modal]'] });

  // A reload keeps the results and the criteria.
  await page.reload();
  await expect(page.getByRole('heading', { name: /Acceptance criteria \(7 of 7 met\)/ })).toBeVisible({ timeout: 30_000 });
  await expect(row(page, name)).toBeVisible();
  await expect(criterion(page, 'pruned-uint8-gzip')).toHaveAttribute('data-status', 'met');
});

test('bad uploads get a clear message', async ({ page }) => {
  await ready(page);
  const json = await readFile('public/models/dense/model.json');
  const bin = await readFile('public/models/dense/weights.bin');
  const input = page.locator('input[type="file"]');
  await input.setInputFiles([{ name: 'model.json', mimeType: 'application/json', buffer: json }]);
  await expect(page.getByRole('alert')).toContainText('missing weight file "weights.bin"', { timeout: 30_000 });
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: json },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin.subarray(0, 1000) },
  ]);
  await expect(page.getByRole('alert')).toContainText('1000 bytes, but the manifest describes 437544 bytes');
  const lstm = JSON.parse(json.toString('utf8'));
  lstm.modelTopology.config.layers[1].class_name = 'LSTM';
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lstm)) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin },
  ]);
  await expect(page.getByRole('alert')).toContainText('unsupported layer type: LSTM');
  // A good upload works.
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: json },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: bin },
  ]);
  await expect(page.getByTestId('model-summary')).toContainText('your model (model.json)', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
});
