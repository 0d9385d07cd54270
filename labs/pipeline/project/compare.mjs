// compare.mjs: set two runs side by side.  node compare.mjs run-001 run-002   (no names: the last two runs)
import fs from 'node:fs';
import path from 'node:path';
import { readRuns } from './lib/flow.mjs';

const runs = readRuns('.');
const ids = process.argv.slice(2);
const picked = ids.length === 2 ? ids.map((id) => runs.find((r) => r.runId === id)) : runs.slice(-2);
if (picked.length < 2 || picked.some((r) => !r)) {
  console.log('Need two runs: node compare.mjs run-001 run-002');
  process.exit(1);
}
const metrics = (run) => {
  const file = path.join('runs', run.runId, 'artifacts', 'metrics.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
};
const rows = [['', ...picked.map((r) => r.runId)], ['state', ...picked.map((r) => r.state)], ['duration ms', ...picked.map((r) => r.durationMs)]];
const keys = [...new Set(picked.flatMap((r) => Object.keys(r.params ?? {})))];
for (const key of keys) rows.push([`param ${key}`, ...picked.map((r) => r.params?.[key] ?? '-')]);
rows.push(['accuracy', ...picked.map((r) => metrics(r).accuracy ?? '-')]);
for (const t of picked[0].tasks) rows.push([`task ${t.name}`, ...picked.map((r) => r.tasks.find((x) => x.name === t.name)?.state ?? '-')]);
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
for (const row of rows) {
  const line = row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  const differs = row.slice(1).some((cell) => String(cell) !== String(row[1]));
  console.log(differs && row[0] ? `\x1b[33m${line}\x1b[0m` : line);
}
