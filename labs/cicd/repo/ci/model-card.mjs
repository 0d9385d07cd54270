// ci/model-card.mjs: write MODEL_CARD.md for the candidate model from what the pipeline measured.
// Reads reports/metrics.json, reports/gate.json and reports/data-validation.json (those that exist).
import fs from 'node:fs';
import { SPECIES } from '../lib/data.mjs';
import { CONFIGS, TEST_SHARE, readJson, percent, summary } from './common.mjs';

const read = (file) => (fs.existsSync(file) ? readJson(file) : null);
const metrics = read('reports/metrics.json');
if (!metrics) {
  console.log('::error title=Model card::reports/metrics.json is missing: run ci/evaluate.mjs first');
  process.exit(1);
}
const gate = read('reports/gate.json');
const data = read('reports/data-validation.json');
const sha = (process.env.GITHUB_SHA ?? 'local').slice(0, 7);
const card = `# Model card: iris-softmax (${metrics.best}, commit ${sha})

## Model
Softmax (multinomial logistic) regression on four measurements and two engineered features (petal area, petal
length-to-width ratio), standardised on the training rows. Trained by full-batch gradient descent
(${Object.entries(CONFIGS).map(([k, v]) => `${k}: ${v.epochs} epochs at ${v.learningRate}`).join('; ')}).

## Intended use
Teaching: a small model that a CI pipeline trains, tests and gates. Not for any decision about real plants.

## Data
Fisher's iris data (UCI, CC BY 4.0): ${data ? `${data.rows} rows, ${SPECIES.map((s) => `${data.counts[s]} ${s}`).join(', ')}` : 'not validated in this run'}.
Each model keeps ${percent(TEST_SHARE)} of each species out of training, split by its seed.

## Evaluation
Mean accuracy over ${metrics.models.length} models (one held-out split each): **${percent(metrics.accuracy)}**.
Recall: ${SPECIES.map((s) => `${s} ${percent(metrics.recall[s])}`).join(', ')}.
Size ${metrics.sizeBytes} B; ${metrics.multiplyAddsPerPrediction} multiply-adds per prediction.

## Quality gate
${gate ? `${gate.passed ? 'Passed' : 'Failed'}: ${gate.checks.map((c) => `${c.name} ${c.passed ? '✔' : '✘'}`).join(', ')}.` : 'Not run.'}

## Caveats
Thirty held-out rows per split: one misclassified row moves a split's accuracy by 3.3 points.
`;
fs.mkdirSync('reports', { recursive: true });
fs.writeFileSync('reports/MODEL_CARD.md', card);
summary(card.replace(/^# /m, '### '));
console.log(`wrote reports/MODEL_CARD.md for ${metrics.best}`);
