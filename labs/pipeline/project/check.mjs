// check.mjs: grade your runs against the lab's acceptance criteria.  node check.mjs
import { readFileSync } from 'node:fs';
import { readRuns } from './lib/flow.mjs';
import { checkSteps } from './lib/checks.mjs';

let criteria;
try {
  criteria = JSON.parse(readFileSync('criteria.json', 'utf8'));
} catch {
  console.error('criteria.json is missing: download the project again from the lab page, which writes it.');
  process.exit(2);
}
const runs = readRuns('.');
console.log(`${runs.length} run record(s) in runs/`);
for (const c of checkSteps(runs, criteria)) {
  const mark = c.passed ? '\x1b[32m✔\x1b[0m' : '\x1b[31m✘\x1b[0m';
  console.log(`${mark} ${c.label}  (${c.quantity} = ${c.value}, needs ${c.comparison} ${c.threshold})`);
  if (!c.passed && c.hint) console.log(`    ${c.hint}`);
}
