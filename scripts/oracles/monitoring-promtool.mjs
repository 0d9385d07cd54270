/**
 * Golden rule tests for the monitoring lab's rule engine (src/labkit/promql/), made with Debian's promtool
 * (package prometheus 2.42), run offline by a developer:
 *
 *   apt-get download prometheus && dpkg -x prometheus_*.deb /tmp/prom
 *   PROMTOOL=/tmp/prom/usr/bin/promtool node scripts/oracles/monitoring-promtool.mjs > src/labkit/promql/fixtures/promtool.json
 *
 * Each case is a rule file and a `promtool test rules` file whose checks have placeholder expectations: promtool fails
 * them and prints what it got, which becomes the expectation. A second run with those expectations filled in must
 * pass in promtool, which proves the printed results were read back correctly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const dir = mkdtempSync(join(tmpdir(), 'promtool-golden-'));

const alertRule = (o) => `groups:\n  - name: g\n    rules:\n${o.map((r) => `      - ${Object.entries(r).map(([k, v], i) => `${i ? '        ' : ''}${k}: ${typeof v === 'object' ? JSON.stringify(v) : JSON.stringify(String(v))}`).join('\n')}`).join('\n')}\n`;

/** name, rules, series [[desc, values]], alerts [[alertname, evalTime]], exprs [[expr, evalTime]], interval, evaluation */
const cases = [
  { name: 'for 0: fires at the first evaluation', rules: [{ alert: 'Up', expr: 'x > 5' }], series: [['x', '1 6 6 1']], alerts: [['Up', '0m'], ['Up', '1m'], ['Up', '3m']] },
  { name: 'for 2m: pending, then firing exactly 2m after it became active', rules: [{ alert: 'High', expr: 'x > 5', for: '2m' }], series: [['x', '1 6 6 6 6 1']], alerts: [['High', '1m'], ['High', '2m'], ['High', '3m'], ['High', '4m'], ['High', '5m']] },
  { name: 'a gap while pending restarts the for clock', rules: [{ alert: 'High', expr: 'x > 5', for: '2m' }], series: [['x', '6 6 1 6 6 6 6']], alerts: [['High', '2m'], ['High', '4m'], ['High', '5m']] },
  { name: 'keep_firing_for holds a flapping alert', rules: [{ alert: 'High', expr: 'x > 5', for: '1m', keep_firing_for: '3m' }], series: [['x', '6 6 6 1 1 6 1 1 1 1 1 1']], alerts: [['High', '2m'], ['High', '3m'], ['High', '4m'], ['High', '5m'], ['High', '6m'], ['High', '8m'], ['High', '9m'], ['High', '10m']] },
  { name: 'keep_firing_for ends exactly its duration after the first miss', rules: [{ alert: 'High', expr: 'x > 5', keep_firing_for: '2m' }], series: [['x', '6 6 1 1 1 1']], alerts: [['High', '1m'], ['High', '2m'], ['High', '3m'], ['High', '4m'], ['High', '5m']] },
  { name: 'keep_firing_for does not hold a pending alert', rules: [{ alert: 'High', expr: 'x > 5', for: '3m', keep_firing_for: '10m' }], series: [['x', '6 6 1 1 1']], alerts: [['High', '1m'], ['High', '2m'], ['High', '4m']] },
  { name: 'one alert per series, labels and annotations templated', rules: [{ alert: 'Drift', expr: 'drift_score > 0.2', for: '1m', labels: { severity: 'ticket', feature: '{{ $labels.feature }}-x' }, annotations: { summary: '{{ $labels.feature }} drifted: {{ $value }}', human: '{{ $value | humanize }}', fixed: '{{ printf "%.2f" $value }}' } }], series: [['drift_score{feature="contrast"}', '0.1 0.3 0.35 0.4'], ['drift_score{feature="ink"}', '0.25 0.25 0.1 0.3'], ['drift_score{feature="slant"}', '0 0 0 0']], alerts: [['Drift', '2m'], ['Drift', '3m']] },
  { name: 'a templated value label makes a new alert each time the value changes', rules: [{ alert: 'High', expr: 'x > 5', for: '1m', labels: { v: '{{ $value }}' } }], series: [['x', '10 10 1500000 1500000 0.00001 0.00001 123456 123456']], alerts: [['High', '1m'], ['High', '2m'], ['High', '3m'], ['High', '5m'], ['High', '7m']] },
  { name: 'humanize on large and small values', rules: [{ alert: 'V', expr: 'x', annotations: { h: '{{ $value | humanize }}' } }], series: [['x{k="a"}', '1234567 0.0042 0 999.5']], alerts: [['V', '0m'], ['V', '1m'], ['V', '2m'], ['V', '3m']] },
  { name: 'a sample older than 5 minutes is gone (lookback)', rules: [{ alert: 'Seen', expr: 'x > 0' }], series: [['x', '1 _x7']], alerts: [['Seen', '4m'], ['Seen', '5m'], ['Seen', '6m']] },
  { name: 'a staleness marker ends a series at once', rules: [{ alert: 'Seen', expr: 'x > 0' }], series: [['x', '1 1 stale 1']], alerts: [['Seen', '1m'], ['Seen', '2m'], ['Seen', '3m']] },
  { name: 'rate over a window, with for', rules: [{ alert: 'Errors', expr: 'rate(errors_total[5m]) > 0.1', for: '2m' }], series: [['errors_total', '0+1x5 6+20x10']], alerts: [['Errors', '6m'], ['Errors', '8m'], ['Errors', '10m']] },
  { name: 'error ratio of two counters summed by job', rules: [{ alert: 'ErrorRatio', expr: 'sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m])) > 0.05', for: '2m', labels: { severity: 'page' } }], series: [['errors_total{job="api",i="1"}', '0+1x20'], ['errors_total{job="api",i="2"}', '0+1x10 10+30x10'], ['requests_total{job="api",i="1"}', '0+100x20'], ['requests_total{job="api",i="2"}', '0+100x20'], ['errors_total{job="web"}', '0+0x20'], ['requests_total{job="web"}', '0+50x20']], alerts: [['ErrorRatio', '9m'], ['ErrorRatio', '13m'], ['ErrorRatio', '16m']] },
  { name: 'p95 latency from histogram buckets', rules: [{ alert: 'Slow', expr: 'histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[5m]))) > 0.05', for: '1m', annotations: { p95: '{{ $value }}' } }], series: [['latency_seconds_bucket{le="0.01"}', '0+50x10 500+5x10'], ['latency_seconds_bucket{le="0.05"}', '0+90x10 900+30x10'], ['latency_seconds_bucket{le="0.1"}', '0+99x10 990+90x10'], ['latency_seconds_bucket{le="+Inf"}', '0+100x10 1000+100x10']], alerts: [['Slow', '8m'], ['Slow', '14m'], ['Slow', '18m']] },
  { name: 'seasonal-aware: compare with the same time a day earlier (offset)', evaluation: '1h', interval: '1h', rules: [{ alert: 'Shift', expr: 'abs(brightness - brightness offset 1d) > 0.01', for: '2h' }], series: [['brightness', '0.10 0.11 0.12 0.13 0.14 0.15 0.14 0.13 0.12 0.11 0.10 0.09 0.08 0.07 0.06 0.05 0.06 0.07 0.08 0.09 0.10 0.11 0.12 0.13 0.14 0.15 0.14 0.13 0.12 0.11 0.12 0.13 0.14 0.15 0.16 0.17 0.18 0.19 0.20 0.21']], alerts: [['Shift', '26h'], ['Shift', '32h'], ['Shift', '34h'], ['Shift', '36h']] },
  { name: 'avg_over_time of a drift p-value, min over features', rules: [{ alert: 'DriftP', expr: 'min(avg_over_time(ks_pvalue[10m])) < 0.01', for: '5m', labels: { severity: 'ticket' } }], series: [['ks_pvalue{feature="contrast"}', '0.5x10 0.001x20'], ['ks_pvalue{feature="ink"}', '0.4x30']], alerts: [['DriftP', '12m'], ['DriftP', '18m'], ['DriftP', '25m']] },
  { name: 'absent() fires when a metric stops', rules: [{ alert: 'NoScrape', expr: 'absent(up{job="model"})', for: '2m' }], series: [['up{job="model"}', '1 1 1 stale']], alerts: [['NoScrape', '2m'], ['NoScrape', '4m'], ['NoScrape', '5m']] },
  { name: 'and / unless with on()', rules: [{ alert: 'Both', expr: 'a > 1 and on(job) b > 1' }, { alert: 'OnlyA', expr: 'a > 1 unless on(job) b > 1' }], series: [['a{job="x",i="1"}', '2 2 2'], ['a{job="y",i="1"}', '2 2 0'], ['b{job="x"}', '2 0 2']], alerts: [['Both', '0m'], ['Both', '1m'], ['OnlyA', '1m'], ['OnlyA', '2m']] },
  { name: 'a recording rule feeds an alert in the same group', rules: [{ record: 'job:errors:rate1m', expr: 'sum by (job) (rate(errors_total[1m]))' }, { alert: 'Burn', expr: 'job:errors:rate1m > 0.5', for: '1m' }], series: [['errors_total{job="a",i="1"}', '0+10x10'], ['errors_total{job="a",i="2"}', '0+40x10'], ['errors_total{job="b"}', '0+1x10']], alerts: [['Burn', '2m'], ['Burn', '4m']] },
  { name: 'counter reset inside the window', rules: [{ alert: 'Inc', expr: 'increase(c[5m]) > 30', annotations: { inc: '{{ $value }}' } }], series: [['c', '0 10 20 30 5 15 25']], alerts: [['Inc', '5m'], ['Inc', '6m']] },
  { name: 'bool comparison keeps every series', rules: [{ alert: 'Flag', expr: 'x > bool 5', annotations: { v: '{{ $value }}' } }], series: [['x{a="1"}', '1 9'], ['x{a="2"}', '9 1']], alerts: [['Flag', '0m'], ['Flag', '1m']] },
  { name: 'count and max by label', rules: [{ alert: 'Many', expr: 'count by (team) (x > 5) >= 2', labels: { severity: 'page' } }, { alert: 'Peak', expr: 'max by (team) (x) > 8' }], series: [['x{team="a",i="1"}', '6 6 9'], ['x{team="a",i="2"}', '1 6 6'], ['x{team="b",i="1"}', '9 9 9']], alerts: [['Many', '0m'], ['Many', '1m'], ['Peak', '2m']] },
  { name: 'keep_firing_for with several series resolving at different times', rules: [{ alert: 'High', expr: 'x > 5', keep_firing_for: '2m' }], series: [['x{s="a"}', '6 1 1 1 1'], ['x{s="b"}', '6 6 6 1 1 1 1']], alerts: [['High', '1m'], ['High', '2m'], ['High', '3m'], ['High', '4m'], ['High', '5m']] },
  { name: 'an evaluation interval of 30s with 1m samples', evaluation: '30s', rules: [{ alert: 'High', expr: 'x > 5', for: '90s' }], series: [['x', '1 6 6 6 1']], alerts: [['High', '2m'], ['High', '150s'], ['High', '3m'], ['High', '5m']] },
];

const exprCases = [
  { name: 'rate and increase extrapolate to the window edges', series: [['c{a="1"}', '0+10x10'], ['c{a="2"}', '5 _ 20 _ _ 50 60'], ['c{a="3"}', '100+7x10']], exprs: ['rate(c[5m])', 'increase(c[3m])', 'rate(c[90s])', 'delta(c[4m])', 'increase(c[10m])'], at: ['5m', '7m', '10m'] },
  { name: 'a counter near zero does not extrapolate below zero', series: [['c', '_ _ 1 3 5 7']], exprs: ['increase(c[5m])', 'rate(c[5m])'], at: ['5m', '6m'] },
  { name: 'functions over time', series: [['g{f="a"}', '1 5 2 8 3 9 4'], ['g{f="b"}', '0.5 0.25 0.125 _ 1']], exprs: ['avg_over_time(g[3m])', 'min_over_time(g[5m])', 'max_over_time(g[2m])', 'sum_over_time(g[4m])', 'count_over_time(g[10m])', 'quantile_over_time(0.9, g[6m])', 'quantile_over_time(0.5, g[3m])'], at: ['4m', '6m'] },
  { name: 'histogram_quantile, including buckets that are not monotonic', series: [['h_bucket{le="0.1",k="a"}', '0+1x5'], ['h_bucket{le="0.5",k="a"}', '0+3x5'], ['h_bucket{le="1",k="a"}', '0+3x5'], ['h_bucket{le="+Inf",k="a"}', '0+4x5'], ['h_bucket{le="0.2",k="c"}', '10+1x5'], ['h_bucket{le="0.5",k="c"}', '5+2x5'], ['h_bucket{le="+Inf",k="c"}', '20+3x5']], exprs: ['histogram_quantile(0.5, h_bucket)', 'histogram_quantile(0.99, h_bucket)', 'histogram_quantile(0.25, rate(h_bucket[5m]))', 'histogram_quantile(0, h_bucket)'], at: ['5m'] },
  { name: 'aggregations by and without', series: [['x{job="a",i="1",z="q"}', '1 2 3'], ['x{job="a",i="2",z="q"}', '4 5 6'], ['x{job="b",i="1",z="r"}', '7 8 9']], exprs: ['sum by (job) (x)', 'avg without (i) (x)', 'max(x)', 'min by (z, job) (x)', 'count without (i, z) (x)', 'sum(x) / count(x)'], at: ['2m'] },
  { name: 'binary operators and matching', series: [['a{job="x",i="1"}', '2 4'], ['a{job="y",i="1"}', '3 0'], ['b{job="x",i="1"}', '5 5'], ['b{job="y",i="2"}', '7 7']], exprs: ['a + b', 'a * on(job) b', 'b - ignoring(i) a', 'a > 2', 'a >= bool 3', '2 ^ a', 'a % 2', '-a', 'a or b', 'b unless on(job) a > 2', '1 + 2 * 3 - 4 / 2', '(a + 1) < bool 4'], at: ['0m', '1m'] },
  { name: 'offset and clamp', series: [['g', '1 2 3 4 5 6 7 8 9 10']], exprs: ['g offset 3m', 'g - g offset 5m', 'clamp_min(g, 5)', 'clamp_max(g offset 2m, 4)', 'rate(g[2m] offset 2m)'], at: ['6m', '9m'] },
  { name: 'lookback, missing samples and staleness', series: [['s', '1 _ _ _ _ _ _ 2 stale _ 3']], exprs: ['s', 'count_over_time(s[10m])', 'last_seen_placeholder'], at: ['4m', '5m', '6m', '7m', '8m', '9m', '10m'] },
  { name: 'regex and negative matchers', series: [['m{f="contrast"}', '1'], ['m{f="centre_x"}', '2'], ['m{f="centre_y"}', '3'], ['m', '4']], exprs: ['m{f=~"centre_.*"}', 'm{f!~"centre_.*"}', 'm{f!="contrast"}', 'sum(m{f=""})'], at: ['0m'] },
  { name: 'time, vector and absent', series: [['up{job="m"}', '1 1']], exprs: ['time()', 'vector(3) + 1', 'absent(up{job="m"})', 'absent(up{job="n",region="eu"})', 'time() - 60 > bool 0'], at: ['1m', '3m'] },
];

function testYaml(c, fill) {
  const lines = [`evaluation_interval: ${c.evaluation ?? '1m'}`, 'tests:', `  - interval: ${c.interval ?? '1m'}`, '    input_series:'];
  for (const [s, v] of c.series) lines.push(`      - series: '${s}'`, `        values: '${v}'`);
  if (c.alerts) {
    lines.push('    alert_rule_test:');
    c.alerts.forEach(([name, at], i) => {
      lines.push(`      - eval_time: ${at}`, `        alertname: ${name}`);
      const exp = fill ? fill[i] : [{ labels: { golden_placeholder: 'x' }, annotations: {} }];
      lines.push(`        exp_alerts: ${JSON.stringify(exp.map((a) => ({ exp_labels: Object.fromEntries(Object.entries(a.labels).filter(([k]) => k !== 'alertname')), exp_annotations: a.annotations })))}`);
    });
  }
  if (c.exprs) {
    lines.push('    promql_expr_test:');
    let i = 0;
    for (const at of c.at) {
      for (const e of c.exprs) {
        lines.push(`      - expr: ${JSON.stringify(e)}`, `        eval_time: ${at}`);
        const exp = fill ? fill[i] : [{ labels: 'golden_placeholder', value: 0 }];
        lines.push(`        exp_samples: [${exp.map((s) => `{labels: ${JSON.stringify(typeof s.labels === 'string' ? s.labels : promLabels(s.labels))}, value: ${yamlNumber(s.value)}}`).join(', ')}]`);
        i++;
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A float in YAML: NaN and the infinities have their own spelling. */
const yamlNumber = (v) => (Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v));

const promLabels = (l) => {
  const name = l.__name__ ?? '';
  const rest = Object.entries(l).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${rest.join(',')}}`;
};

function run(rules, tests) {
  writeFileSync(join(dir, 'rules.yml'), rules);
  writeFileSync(join(dir, 'test.yml'), `rule_files: [rules.yml]\n${tests}`);
  try {
    return { ok: true, out: execFileSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' }) };
  } catch (e) {
    return { ok: false, out: `${e.stdout}${e.stderr}` };
  }
}

/** Labels printed by promtool: {a="b", c="d"} (Go-quoted values). */
function parseLabelSet(text) {
  const out = {};
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = JSON.parse(`"${m[2]}"`);
  return out;
}

function parseAlertFailures(out) {
  const blocks = out.split(/\n\s*alertname: /).slice(1);
  return blocks.map((b) => {
    const [, name, time] = /^(\S+), time: (\S+?),/.exec(b);
    const got = b.slice(b.indexOf('got:[') + 5);
    const alerts = [...got.matchAll(/Labels:(\{.*?\})\n\s*Annotations:(\{.*?\}),?\n/g)].map((m) => ({ labels: parseLabelSet(m[1]), annotations: parseLabelSet(m[2]) }));
    return { name, time, alerts };
  });
}

function parseExprFailures(out) {
  return [...out.matchAll(/expr: "((?:[^"\\]|\\.)*)", time: (\S+),\n\s*exp: .*\n\s*got: (.*)/g)].map((m) => ({
    expr: JSON.parse(`"${m[1]}"`),
    time: m[2],
    samples: m[3] === 'nil' ? [] : m[3].split(/, (?=[a-zA-Z_:]*\{)/).map((s) => {
      const at = s.lastIndexOf('} ');
      const head = s.slice(0, at + 1);
      const name = head.slice(0, head.indexOf('{'));
      return { labels: { ...(name ? { __name__: name } : {}), ...parseLabelSet(head.slice(head.indexOf('{'))) }, value: Number(s.slice(at + 2).replace('+Inf', 'Infinity').replace('-Inf', '-Infinity')) };
    }),
  }));
}

const version = execFileSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).split('\n')[0];
const golden = [];
for (const c of cases) {
  const rules = alertRule(c.rules);
  const first = run(rules, testYaml(c));
  const failures = parseAlertFailures(first.out);
  if (failures.length !== c.alerts.length) throw new Error(`${c.name}: expected ${c.alerts.length} failures, promtool said:\n${first.out}`);
  const got = failures.map((f) => f.alerts);
  const tests = testYaml(c, got);
  const check = run(rules, tests);
  if (!check.ok) throw new Error(`${c.name}: promtool does not accept what it printed:\n${check.out}\n${tests}`);
  golden.push({ name: c.name, rules, tests, firing: got.reduce((s, a) => s + a.length, 0) });
}
for (const c of exprCases) {
  c.exprs = c.exprs.filter((e) => e !== 'last_seen_placeholder');
  const first = run('groups: []\n', testYaml(c));
  const failures = parseExprFailures(first.out);
  if (failures.length !== c.exprs.length * c.at.length) throw new Error(`${c.name}: expected ${c.exprs.length * c.at.length} failures, promtool said:\n${first.out}`);
  const tests = testYaml(c, failures.map((f) => f.samples));
  const check = run('groups: []\n', tests);
  if (!check.ok) throw new Error(`${c.name}: promtool does not accept what it printed:\n${check.out}\n${tests}`);
  golden.push({ name: c.name, rules: 'groups: []\n', tests, firing: null });
}
process.stdout.write(`${JSON.stringify({ generator: version, cases: golden }, null, 1)}\n`);
