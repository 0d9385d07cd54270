// check.mjs: grade your runs.  node check.mjs
import { readRuns } from './lib/flow.mjs';
import { checkSteps } from './lib/checks.mjs';

const runs = readRuns('.');
console.log(`${runs.length} run record(s) in runs/`);
for (const s of checkSteps(runs)) {
  const mark = s.passed ? '\x1b[32m✔\x1b[0m' : '\x1b[31m✘\x1b[0m';
  console.log(`${mark} step ${s.step}: ${s.title}  (${s.quantity} = ${s.value}, needs ${s.atLeast} or more)`);
  if (!s.passed) console.log(`    ${s.hint}`);
}
