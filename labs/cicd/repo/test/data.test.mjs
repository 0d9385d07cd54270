// Unit tests for lib/data.mjs. Run them with:  node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseCsv, validateRows, split, engineer, fitScaler, SPECIES } from '../lib/data.mjs';

const rows = validateRows(parseCsv(fs.readFileSync('data/iris.csv', 'utf8'))).clean;

test('the data set has 150 valid rows, 50 of each species', () => {
  assert.equal(rows.length, 150);
  for (const s of SPECIES) assert.equal(rows.filter((r) => r.species === s).length, 50);
});

test('validateRows reports a row with a missing value', () => {
  const { clean, report } = validateRows([{ sepal_length_cm: '5.1', sepal_width_cm: '', petal_length_cm: '1.4', petal_width_cm: '0.2', species: 'setosa' }]);
  assert.equal(clean.length, 0);
  assert.match(report.problems[0].problem, /sepal_width_cm/);
});

test('split keeps 20% of each species out, the same way for the same seed', () => {
  const a = split(rows, 0.2, 7);
  const b = split(rows, 0.2, 7);
  assert.equal(a.test.length, 30);
  for (const s of SPECIES) assert.equal(a.test.filter((r) => r.species === s).length, 10);
  assert.deepEqual(a.test, b.test);
});

test('engineer adds petal area and the length-to-width ratio', () => {
  assert.deepEqual(engineer([5, 3, 4, 2]), [5, 3, 4, 2, 8, 2]);
});

test('fitScaler gives each feature a positive spread', () => {
  const { std } = fitScaler(rows.map((r) => engineer(r.features)));
  assert.equal(std.length, 6);
  for (const s of std) assert.ok(s > 0);
});
