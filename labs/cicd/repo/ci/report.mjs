// ci/report.mjs: the pull-request report, as CML and DVC post it: the candidate's metrics against the champion's,
// with the change, the gate's verdict and a chart. Writes reports/pr-report.md and reports/pr-chart.svg, and adds
// the report to the job summary.
import fs from 'node:fs';
import { SPECIES } from '../lib/data.mjs';
import { readJson, percent, summary } from './common.mjs';

const read = (file) => (fs.existsSync(file) ? readJson(file) : null);
const champion = readJson('champion/metrics.json');
const candidate = read('reports/metrics.json');
const gate = read('reports/gate.json');

const rows = [
  ['accuracy (mean)', champion.accuracy, candidate?.accuracy],
  ...SPECIES.map((s) => [`recall ${s}`, champion.recall[s], candidate?.recall[s]]),
];
const change = (a, b) => (b === undefined ? 'n/a' : `${b - a >= 0 ? '+' : '−'}${Math.abs(100 * (b - a)).toFixed(1)} pp`);
const table = [
  '| metric | champion | this pull request | change |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map(([name, a, b]) => `| ${name} | ${percent(a)} | ${b === undefined ? 'n/a' : percent(b)} | ${change(a, b)} |`),
  `| size | ${champion.sizeBytes} B | ${candidate ? `${candidate.sizeBytes} B` : 'n/a'} | ${candidate ? `${candidate.sizeBytes - champion.sizeBytes} B` : 'n/a'} |`,
].join('\n');

/** Two bars per metric (champion, candidate), 0-100%. */
function chart() {
  const width = 560;
  const rowHeight = 34;
  const left = 150;
  const scale = (x) => (x * (width - left - 60));
  const bars = rows
    .map(([name, a, b], i) => {
      const y = 30 + i * rowHeight;
      const bar = (value, dy, fill, label) =>
        value === undefined
          ? ''
          : `<rect x="${left}" y="${y + dy}" width="${scale(value).toFixed(1)}" height="12" fill="${fill}"><title>${label} ${percent(value)}</title></rect>` +
            `<text x="${left + scale(value) + 4}" y="${y + dy + 10}" font-size="11">${percent(value)}</text>`;
      return `<text x="${left - 8}" y="${y + 16}" font-size="12" text-anchor="end">${name}</text>${bar(a, 0, '#8c8c8c', 'champion')}${bar(b, 14, '#1f6feb', 'this pull request')}`;
    })
    .join('');
  const height = 40 + rows.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Champion and pull request metrics">` +
    `<rect x="${left}" y="8" width="12" height="10" fill="#8c8c8c"/><text x="${left + 16}" y="17" font-size="11">champion</text>` +
    `<rect x="${left + 90}" y="8" width="12" height="10" fill="#1f6feb"/><text x="${left + 106}" y="17" font-size="11">this pull request</text>${bars}</svg>\n`;
}

const bar = (x) => `${'█'.repeat(Math.round(x * 20)).padEnd(20)} ${percent(x)}`;
const textChart = rows.map(([name, a, b]) => `${name.padEnd(18)} champion ${bar(a)}\n${''.padEnd(18)} this PR  ${b === undefined ? 'n/a' : bar(b)}`).join('\n');
const failedChecks = gate ? gate.checks.filter((c) => !c.passed).map((c) => `${c.name} ${c.detail}`).join('; ') : '';
const verdict = !gate ? 'The quality gate did not run.' : gate.passed ? '✅ The quality gate passed.' : `❌ The quality gate failed: ${failedChecks}.`;
const report = `## Model report\n\n${verdict}\n\n${table}\n\n\`\`\`text\n${textChart}\n\`\`\`\n\nChart: reports/pr-chart.svg (in the pr-report artifact).\n`;
fs.mkdirSync('reports', { recursive: true });
fs.writeFileSync('reports/pr-report.md', report);
fs.writeFileSync('reports/pr-chart.svg', chart());
summary(report);
console.log(verdict);
