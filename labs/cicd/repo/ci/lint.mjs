// ci/lint.mjs: a small linter for the project's JavaScript. Each problem is an annotation at its file and line.
//   node ci/lint.mjs
import fs from 'node:fs';
import path from 'node:path';
import { command } from './common.mjs';

const MAX_LINE = 180;
const FOLDERS = ['.', 'lib', 'ci', 'test'];
const RULES = [
  { id: 'no-var', test: (line) => /(^|[;{(\s])var\s/.test(line), message: 'use let or const instead of var' },
  { id: 'no-debugger', test: (line) => /(^|[;{\s])debugger\s*;/.test(line), message: 'remove the debugger statement' },
  { id: 'no-only', test: (line) => /\b(test|it|describe)\.only\(/.test(line), message: '.only would skip every other test in CI' },
  { id: 'no-trailing-space', test: (line) => /[ \t]+$/.test(line), message: 'trailing whitespace' },
  { id: 'no-tabs', test: (line) => /^\t/.test(line), message: 'indent with spaces' },
  { id: 'max-len', test: (line) => line.length > MAX_LINE, message: `line longer than ${MAX_LINE} characters` },
];

const files = FOLDERS.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).map((f) => path.join(dir, f)) : [])).sort();
let problems = 0;
for (const file of files) {
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    for (const rule of RULES) {
      if (!rule.test(line)) continue;
      problems += 1;
      command('error', { file, line: i + 1, title: `lint: ${rule.id}` }, rule.message);
    }
  });
}
console.log(`${files.length} files checked, ${problems} problem${problems === 1 ? '' : 's'}`);
if (problems) process.exit(1);
