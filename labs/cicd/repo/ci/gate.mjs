// ci/gate.mjs: the quality gate. Compares reports/metrics.json with the champion (champion/metrics.json) under the
// rules in ci/gate.json, writes reports/gate.json, and fails the step when a rule is broken.
//   node ci/gate.mjs [--changes changes.diff]
// With --changes (the output of `git diff --unified=0 <base>...HEAD`), a failing gate also marks each line the
// pull request changed, so the review shows where to look.
import fs from 'node:fs';
import { gateDecision } from './gate-rules.mjs';
import { arg, readJson, writeJson, summary, command } from './common.mjs';

const candidate = readJson('reports/metrics.json');
const champion = readJson('champion/metrics.json');
const rules = readJson('ci/gate.json');
const decision = gateDecision(candidate, champion, rules);
writeJson('reports/gate.json', { ...decision, candidate: candidate.best, champion: champion.best });

for (const check of decision.checks) console.log(`${check.passed ? '✔' : '✘'} ${check.name}: ${check.detail}`);
const rowsMd = decision.checks.map((c) => `| ${c.name} | ${c.passed ? 'pass' : '**fail**'} | ${c.detail} |`).join('\n');
summary(`### Quality gate: ${decision.passed ? 'passed' : 'failed'}\n\n| check | result | detail |\n| --- | --- | --- |\n${rowsMd}\n`);

/** Lines added or changed by a unified diff: { file: [line, …] }. */
function changedLines(diff) {
  const out = {};
  let file = null;
  let line = 0;
  for (const text of diff.split('\n')) {
    if (text.startsWith('+++ ')) file = text.slice(4).replace(/^b\//, '');
    else if (text.startsWith('@@')) line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0);
    else if (file && text.startsWith('+')) (out[file] ??= []).push(line++);
    else if (file && !text.startsWith('-') && !text.startsWith('\\')) line += 1;
  }
  return out;
}

if (!decision.passed) {
  const failed = decision.checks.filter((c) => !c.passed);
  command('error', { title: 'Quality gate' }, `The candidate model fails the gate: ${failed.map((c) => `${c.name} ${c.detail}`).join('; ')}`);
  const changes = arg('changes');
  if (changes && fs.existsSync(changes)) {
    const changed = changedLines(fs.readFileSync(changes, 'utf8'));
    const lines = Object.entries(changed).flatMap(([file, ls]) => ls.map((line) => ({ file, line })));
    for (const { file, line } of lines.slice(0, 10)) {
      const why = `${failed[0].name}: ${failed[0].detail}`;
      const message = `This pull request changed this line, and the model trained with it fails the quality gate (${why}).`;
      command('error', { file, line, title: 'Changed in this pull request' }, message);
    }
  }
  process.exit(1);
}
