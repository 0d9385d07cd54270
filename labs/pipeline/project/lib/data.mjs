// data.mjs: reading, checking and preparing the iris table. Plain functions; the tasks in pipeline.mjs call them.

export const COLUMNS = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'];
export const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** CSV text -> array of row objects (the first line names the columns). */
export function parseCsv(text) {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  });
}

/** Check every row; returns the clean rows (numbers parsed) and a report of what was wrong. */
export function validateRows(rows) {
  const problems = [];
  const clean = [];
  rows.forEach((row, i) => {
    const values = COLUMNS.map((column) => Number(row[column]));
    const bad = COLUMNS.filter((column, j) => row[column] === undefined || row[column] === '' || !(values[j] > 0) || values[j] > 100);
    if (bad.length) problems.push({ row: i + 1, problem: `missing or out-of-range ${bad.join(', ')}` });
    else if (!SPECIES.includes(row.species)) problems.push({ row: i + 1, problem: `unknown species "${row.species}"` });
    else clean.push({ features: values, species: row.species });
  });
  const counts = Object.fromEntries(SPECIES.map((s) => [s, clean.filter((r) => r.species === s).length]));
  return { clean, report: { rows: rows.length, valid: clean.length, problems, counts } };
}

/** A small seeded random number generator (mulberry32), so that every run splits the data the same way. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Split each species apart (stratified), a fixed share to the test set. */
export function split(rows, testShare, seed) {
  const next = random(seed);
  const train = [];
  const test = [];
  for (const species of SPECIES) {
    const group = rows.filter((r) => r.species === species);
    for (let i = group.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [group[i], group[j]] = [group[j], group[i]];
    }
    const nTest = Math.round(group.length * testShare);
    test.push(...group.slice(0, nTest));
    train.push(...group.slice(nTest));
  }
  return { train, test };
}

/** Add engineered features: petal area and the petal length-to-width ratio. */
export function engineer(features) {
  const [, , petalLength, petalWidth] = features;
  return [...features, petalLength * petalWidth, petalLength / petalWidth];
}

export const FEATURE_NAMES = [...COLUMNS, 'petal_area_cm2', 'petal_length_to_width'];

/** Standardise: subtract the training mean, divide by the training standard deviation. */
export function fitScaler(matrix) {
  const n = matrix.length;
  const mean = matrix[0].map((_, j) => matrix.reduce((s, row) => s + row[j], 0) / n);
  const std = matrix[0].map((_, j) => Math.sqrt(matrix.reduce((s, row) => s + (row[j] - mean[j]) ** 2, 0) / n) || 1);
  return { mean, std };
}

export function scale(matrix, { mean, std }) {
  return matrix.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));
}
