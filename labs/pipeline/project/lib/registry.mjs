// registry.mjs: a model registry in a folder. Each registered model gets a version number and its files.

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

const ROOT = 'registry';
const INDEX = path.join(ROOT, 'models.json');

export function listModels() {
  return fs.existsSync(INDEX) ? JSON.parse(fs.readFileSync(INDEX, 'utf8')) : [];
}

/** Register a model unless the very same model is registered already. Returns its registry entry. */
export function registerModel({ name, model, metrics, runId }) {
  const text = JSON.stringify(model);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const models = listModels();
  const existing = models.find((m) => m.name === name && m.sha256 === sha256);
  if (existing) return { ...existing, alreadyRegistered: true };
  const version = models.filter((m) => m.name === name).length + 1;
  const entry = { name, version, sha256, runId, accuracy: metrics.accuracy, registeredAt: new Date().toISOString() };
  fs.mkdirSync(path.join(ROOT, name), { recursive: true });
  fs.writeFileSync(path.join(ROOT, name, `v${version}.json`), text + '\n');
  fs.writeFileSync(INDEX, JSON.stringify([...models, entry], null, 2) + '\n');
  return entry;
}
