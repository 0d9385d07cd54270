// ci/evaluate.mjs: evaluate every trained model on the rows its seed kept out, and pick the one to ship.
// Reads models/*.json; writes reports/metrics.json. Accuracy is the mean over the models (each seed is a different
// split, so the mean is steadier than one split of 30 rows); recall per class pools their confusion matrices.
import fs from 'node:fs';
import { SPECIES } from '../lib/data.mjs';
import { evaluate } from '../lib/model.mjs';
import { loadRows, prepare, readJson, writeJson, output, summary, percent, command } from './common.mjs';

const files = fs.existsSync('models') ? fs.readdirSync('models').filter((f) => f.endsWith('.json')).sort() : [];
if (!files.length) {
  command('error', { title: 'No models' }, 'models/ has no model files: did the train jobs upload them, and did this job download them?');
  process.exit(1);
}
const rows = loadRows();
const confusion = SPECIES.map(() => SPECIES.map(() => 0));
const models = files.map((file) => {
  const text = fs.readFileSync(`models/${file}`, 'utf8');
  const model = JSON.parse(text);
  const data = prepare(rows, model.seed);
  const result = evaluate(model, data.test.X, data.test.y, SPECIES.length);
  result.confusion.forEach((row, i) => row.forEach((n, j) => (confusion[i][j] += n)));
  return { name: model.name, seed: model.seed, config: model.config, accuracy: result.accuracy, n: result.n, sizeBytes: text.length };
});
const best = models.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
const bestModel = readJson(`models/${best.name}.json`);
const metrics = {
  accuracy: models.reduce((s, m) => s + m.accuracy, 0) / models.length,
  recall: Object.fromEntries(SPECIES.map((s, i) => [s, confusion[i][i] / confusion[i].reduce((a, b) => a + b, 0)])),
  sizeBytes: best.sizeBytes,
  // The model's cost per prediction, counted (not timed): one multiply-add per weight.
  multiplyAddsPerPrediction: bestModel.weights.flat().length,
  best: best.name,
  models,
};
writeJson('reports/metrics.json', metrics);
output('best', best.name);
output('accuracy', metrics.accuracy.toFixed(4));
console.log(`mean accuracy over ${models.length} models: ${percent(metrics.accuracy)}; best: ${best.name} (${percent(best.accuracy)})`);
const table = models.map((m) => `| ${m.name} | ${percent(m.accuracy)} |`).join('\n');
const recalls = SPECIES.map((s) => `${s} ${percent(metrics.recall[s])}`).join(', ');
summary(`### Evaluation\n\n| model | accuracy |\n| --- | ---: |\n${table}\n\nMean accuracy: **${percent(metrics.accuracy)}**; recall ${recalls}.\n`);
