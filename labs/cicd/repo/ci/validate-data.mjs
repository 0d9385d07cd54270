// ci/validate-data.mjs: check data/iris.csv before anything trains on it.
//   node ci/validate-data.mjs                   check against ci/reference-profile.json
//   node ci/validate-data.mjs --write-profile   make the profile from the current data (only for trusted data)
// Checks: the columns; every row (numbers in range, a known species); the class balance against the reference;
// values far outside their class's reference range (mislabelled or corrupted rows); and drift of each feature
// (two-sample Kolmogorov-Smirnov statistic against the reference, with a permutation p-value). Problems are
// reported at their line in data/iris.csv; the report goes to reports/data-validation.json.
import fs from 'node:fs';
import { parseCsv, COLUMNS, SPECIES, random } from '../lib/data.mjs';
import { arg, readJson, writeJson, summary, command } from './common.mjs';

const FILE = 'data/iris.csv';
const PROFILE = 'ci/reference-profile.json';
const PERMUTATIONS = 2000;
const ALPHA = 0.01;

const text = fs.readFileSync(FILE, 'utf8');
const header = text.split(/\r?\n/)[0].split(',');
const rows = parseCsv(text);

function profileOf(rows) {
  const bySpecies = Object.fromEntries(SPECIES.map((s) => [s, rows.filter((r) => r.species === s)]));
  const stats = (values) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) };
  };
  return {
    rows: rows.length,
    counts: Object.fromEntries(SPECIES.map((s) => [s, bySpecies[s].length])),
    classes: Object.fromEntries(
      SPECIES.map((s) => [s, Object.fromEntries(COLUMNS.map((c) => [c, stats(bySpecies[s].map((r) => Number(r[c])))]))]),
    ),
    values: Object.fromEntries(COLUMNS.map((c) => [c, rows.map((r) => Number(r[c])).sort((a, b) => a - b)])),
  };
}

if (arg('write-profile') !== undefined || process.argv.includes('--write-profile')) {
  writeJson(PROFILE, profileOf(rows));
  console.log(`wrote ${PROFILE} from ${rows.length} rows`);
  process.exit(0);
}

const reference = readJson(PROFILE);
const problems = [];
const problem = (line, message) => problems.push({ line, message });

if (header.join(',') !== [...COLUMNS, 'species'].join(',')) problem(1, `the columns are ${header.join(', ')}; expected ${[...COLUMNS, 'species'].join(', ')}`);
const valid = [];
rows.forEach((row, i) => {
  const line = i + 2;
  const values = COLUMNS.map((c) => Number(row[c]));
  const bad = COLUMNS.filter((c, j) => row[c] === undefined || row[c] === '' || !(values[j] > 0) || values[j] > 100);
  if (bad.length) return problem(line, `missing or out-of-range ${bad.join(', ')}`);
  if (!SPECIES.includes(row.species)) return problem(line, `unknown species "${row.species}"`);
  valid.push({ row, line, values });
  const ref = reference.classes[row.species];
  const far = COLUMNS.filter((c, j) => Math.abs(values[j] - ref[c].mean) > 5 * ref[c].std);
  const verb = far.length > 1 ? 'are' : 'is';
  if (far.length) problem(line, `${far.join(', ')} ${verb} more than 5 standard deviations from the reference for ${row.species}: a wrong label or a corrupted value?`);
});

const counts = Object.fromEntries(SPECIES.map((s) => [s, valid.filter((v) => v.row.species === s).length]));
for (const s of SPECIES) {
  const expected = reference.counts[s];
  if (Math.abs(counts[s] - expected) > 0.2 * expected) problem(1, `${counts[s]} rows of ${s}; the reference has ${expected} (more than 20% apart)`);
}

/** Two-sample Kolmogorov-Smirnov statistic of two sorted samples. */
function ks(a, b) {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j]);
    while (i < a.length && a[i] <= x) i += 1;
    while (j < b.length && b[j] <= x) j += 1;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

const next = random(20260901);
const drift = COLUMNS.map((c, k) => {
  const current = valid.map((v) => v.values[k]).sort((a, b) => a - b);
  const ref = reference.values[c];
  const observed = ks(current, ref);
  const pooled = [...current, ...ref];
  let atLeast = 0;
  for (let p = 0; p < PERMUTATIONS; p += 1) {
    for (let i = pooled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [pooled[i], pooled[j]] = [pooled[j], pooled[i]];
    }
    const a = pooled.slice(0, current.length).sort((x, y) => x - y);
    const b = pooled.slice(current.length).sort((x, y) => x - y);
    if (ks(a, b) >= observed - 1e-12) atLeast += 1;
  }
  const pValue = (atLeast + 1) / (PERMUTATIONS + 1);
  return { feature: c, ks: observed, pValue, drifted: pValue < ALPHA / COLUMNS.length };
});
for (const d of drift.filter((d) => d.drifted)) problem(1, `${d.feature} has drifted from the reference (KS ${d.ks.toFixed(3)}, permutation p = ${d.pValue.toFixed(4)})`);

const report = { rows: rows.length, valid: valid.length, counts, problems, drift, permutations: PERMUTATIONS };
writeJson('reports/data-validation.json', report);
for (const d of drift) console.log(`${d.feature}: KS ${d.ks.toFixed(3)}, p = ${d.pValue.toFixed(4)}${d.drifted ? ' (drifted)' : ''}`);
for (const p of problems.slice(0, 20)) command('error', { file: FILE, line: p.line, title: 'Data validation' }, p.message);
if (problems.length > 20) command('error', { file: FILE, title: 'Data validation' }, `${problems.length - 20} more problems: see reports/data-validation.json`);
const verdict = problems.length ? `${problems.length} problem${problems.length > 1 ? 's' : ''}` : 'passed';
const listed = problems.slice(0, 10).map((p) => `- line ${p.line}: ${p.message}`).join('\n');
summary(`### Data validation: ${verdict}\n\n${rows.length} rows; ${SPECIES.map((s) => `${s} ${counts[s]}`).join(', ')}.\n${listed ? `\n${listed}\n` : ''}`);
console.log(problems.length ? `${problems.length} problem(s): the data is not fit to train on.` : `data/iris.csv passed validation (${rows.length} rows).`);
if (problems.length) process.exit(1);
