// ci/common.mjs: what the CI scripts share. The data and the model code are the pipeline's (lib/).
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv, validateRows, split, engineer, fitScaler, scale, SPECIES } from '../lib/data.mjs';

/** The training settings the matrix can choose by name. */
export const CONFIGS = {
  fast: { epochs: 120, learningRate: 0.5 },
  steady: { epochs: 200, learningRate: 0.3 },
};

/** The share of each species kept out of training, for evaluation. */
export const TEST_SHARE = 0.2;

/** --name=value or --name value from the command line. */
export function arg(name, fallback) {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === `--${name}`) return argv[i + 1] ?? fallback;
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return fallback;
}

export const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** The clean rows of the data set. */
export function loadRows(file = 'data/iris.csv') {
  return validateRows(parseCsv(fs.readFileSync(file, 'utf8'))).clean;
}

/** The split for a seed, with features engineered and standardised on the training rows. */
export function prepare(rows, seed) {
  const { train, test } = split(rows, TEST_SHARE, seed);
  const scaler = fitScaler(train.map((r) => engineer(r.features)));
  const encode = (part) => ({ X: scale(part.map((r) => engineer(r.features)), scaler), y: part.map((r) => SPECIES.indexOf(r.species)) });
  return { train: encode(train), test: encode(test), scaler };
}

const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A workflow command: command('error', { file, line }, 'message') prints ::error file=…,line=…::message */
export function command(name, properties, message) {
  const props = Object.entries(properties ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  console.log(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`);
}

/** Add Markdown to the job summary (when the runner gives a summary file). */
export function summary(markdown) {
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown + '\n');
}

/** Set a step output (when the runner gives an output file). */
export function output(name, value) {
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

export const percent = (x) => `${(100 * x).toFixed(1)}%`;
