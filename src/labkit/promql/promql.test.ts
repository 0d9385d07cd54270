/** The rule engine and the PromQL subset against promtool (fixtures/promtool.json, made offline by scripts/oracles/monitoring-promtool.mjs). */
import { describe, expect, it } from 'vitest';
import golden from './fixtures/promtool.json';
import { parseRules, RuleFileError, formatGo, humanize } from './rules.ts';
import { expandValues, parseTests, runTests } from './promtool.ts';
import { parsePromQL, PromQLError } from './parse.ts';
import { query, SeriesStore } from './evaluate.ts';

describe('rule engine and PromQL equal promtool test rules (Prometheus 2.42)', () => {
  const alertCases = golden.cases.filter((c) => c.firing !== null);
  const exprCases = golden.cases.filter((c) => c.firing === null);

  it(`has at least 20 golden rule tests, among them for and keep_firing_for edge cases`, () => {
    expect(alertCases.length).toBeGreaterThanOrEqual(20);
    expect(alertCases.filter((c) => c.rules.includes('keep_firing_for')).length).toBeGreaterThanOrEqual(4);
    expect(alertCases.reduce((s, c) => s + (c.firing ?? 0), 0)).toBeGreaterThan(30);
  });

  for (const c of golden.cases) {
    it(`${c.firing === null ? 'PromQL' : 'alerts'}: ${c.name}`, () => {
      const results = runTests(parseRules(c.rules), parseTests(c.tests));
      const failed = results.flatMap((r) => r.checks.filter((k) => !k.passed));
      expect(failed, JSON.stringify(failed.slice(0, 2), null, 1)).toEqual([]);
      expect(results.flatMap((r) => r.checks).length).toBeGreaterThan(0);
    });
  }

  it(`${exprCases.length} PromQL golden cases cover the subset's functions`, () => {
    const text = exprCases.map((c) => c.tests).join('\n');
    for (const f of ['rate(', 'increase(', 'delta(', 'avg_over_time', 'quantile_over_time', 'histogram_quantile', 'sum by', 'without', 'offset', 'unless', 'bool']) expect(text).toContain(f);
  });
});

describe('PromQL subset: bad input names the place', () => {
  it('a typo gives the line and column', () => {
    expect(() => parsePromQL('rate(x[5m) > 1')).toThrow(/syntax error at line 1, column 10/);
    expect(() => parsePromQL('sum(rate(x[5m]))\n  > > 1')).toThrow(/line 2/);
    expect(() => parsePromQL('')).toThrow(/empty/);
  });
  it('valid PromQL outside the subset says so', () => {
    expect(() => parsePromQL('x[1h:5m]')).toThrow(/subquery.*not part of this lab's subset/);
    expect(() => parsePromQL('predict_linear(x[1h], 3600)')).toThrow(/predict_linear\(\).*subset/);
    expect(() => parsePromQL('rate(x)')).toThrow(/range vector/);
  });
  it('a comparison of two numbers needs bool, and vector matching refuses duplicates', () => {
    const store = new SeriesStore();
    store.add({ __name__: 'a', i: '1' }, 0, 1);
    store.add({ __name__: 'a', i: '2' }, 0, 2);
    store.add({ __name__: 'b' }, 0, 3);
    expect(() => query(store, '1 > 2', 0)).toThrow(PromQLError);
    expect(() => query(store, 'a + on() b', 0)).toThrow(/many-to-one/);
  });
});

describe('rule files and test files: bad input names the line or field', () => {
  it('YAML that does not parse, a missing expr, an unknown field, a bad duration', () => {
    expect(() => parseRules('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: [x')).toThrow(/line \d+/);
    expect(() => parseRules('groups:\n  - name: g\n    rules:\n      - alert: A\n')).toThrow(/rule 1 \(line 4\): "expr" is missing/);
    expect(() => parseRules('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n        fro: 5m\n')).toThrow(/line 6\): unknown field "fro"/);
    expect(() => parseRules('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n        for: 5 minutes\n')).toThrow(/for \(line 6\).*not a duration/);
    expect(() => parseRules('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m) > 1\n')).toThrow(/expr \(line 5\): syntax error/);
    expect(() => parseRules('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n        annotations: {s: "{{ .Value }}"}\n')).toThrow(RuleFileError);
  });
  it('expands promtool value notation', () => {
    expect(expandValues('-2+4x3 1 _x2 stale 5x2 1-1x2')).toEqual([-2, 2, 6, 10, 1, null, null, 'stale', 5, 5, 5, 1, 0, -1]);
    expect(() => expandValues('1 two')).toThrow(/"two" is not a value/);
  });
  it('formats values as Go templates do', () => {
    expect([formatGo(0.35, -1), formatGo(1_500_000, -1), formatGo(123456, -1), formatGo(0.00001, -1), formatGo(0.07777777777777774, -1)]).toEqual(['0.35', '1.5e+06', '123456', '1e-05', '0.07777777777777774']);
    expect([humanize(1234567), humanize(0.0042), humanize(0), humanize(999.5)]).toEqual(['1.235M', '4.2m', '0', '999.5']);
  });
});

describe('Alertmanager-like grouping', () => {
  it('waits, groups, notifies changes and resolutions at the group interval, and repeats', async () => {
    const { Dispatcher } = await import('./alertmanager.ts');
    const d = new Dispatcher({ groupBy: ['alertname'], groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 3_600_000 });
    const a = (n: string, i: string) => ({ alertname: n, instance: i });
    for (let m = 0; m <= 130; m++) {
      const firing = m < 2 ? [] : m < 20 ? [a('X', '1'), a('X', '2')] : m < 40 ? [a('X', '1')] : m < 120 ? [a('X', '1'), a('Y', '1')] : [];
      d.observe(m * 60_000, firing);
    }
    expect(d.notifications.map((n) => [n.at / 60_000, n.group.alertname, n.firing, n.resolved])).toEqual([
      [3, 'X', 2, 0],
      [23, 'X', 1, 1],
      [41, 'Y', 1, 0],
      [83, 'X', 1, 0],
      [101, 'Y', 1, 0],
      [121, 'Y', 0, 1],
      [123, 'X', 0, 1],
    ]);
  });
});
