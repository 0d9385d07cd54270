// ci/register.mjs: register the model that passed the gate: registry/models.json gets an entry with the commit,
// the run and the metrics, and registry/<name>/v<version>.json the model itself. Run it only on the main branch.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { readJson, writeJson, summary, percent } from './common.mjs';

const gate = readJson('reports/gate.json');
if (!gate.passed) {
  console.log('::error title=Register::refusing to register a model that did not pass the quality gate');
  process.exit(1);
}
const metrics = readJson('reports/metrics.json');
const text = fs.readFileSync(`models/${metrics.best}.json`, 'utf8');
const index = fs.existsSync('registry/models.json') ? readJson('registry/models.json') : [];
const version = index.length + 1;
const entry = {
  name: 'iris-softmax',
  version,
  model: metrics.best,
  sha256: createHash('sha256').update(text).digest('hex'),
  commit: process.env.GITHUB_SHA ?? 'local',
  run: Number(process.env.GITHUB_RUN_NUMBER ?? 0),
  accuracy: metrics.accuracy,
};
fs.mkdirSync('registry/iris-softmax', { recursive: true });
fs.writeFileSync(`registry/iris-softmax/v${version}.json`, text);
writeJson('registry/models.json', [...index, entry]);
console.log(`registered iris-softmax v${version} (${metrics.best}, ${percent(metrics.accuracy)})`);
summary(`### Registered iris-softmax v${version}\n\n${metrics.best} from commit ${entry.commit.slice(0, 7)}, mean accuracy ${percent(metrics.accuracy)}.\n`);
