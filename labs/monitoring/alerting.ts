/**
 * The student's alert rules on the simulated service: the rules (Prometheus YAML) run every minute over two days of
 * scraped metrics of a scenario, giving each alert's state over time (inactive → pending → firing → resolved), and
 * their unit tests run in promtool's format. A rule is proven when it fires on the sudden drift after the change
 * (and not before), stays silent for both days of the seasonal scenario, and its unit tests all pass.
 */
import type { SeriesStore } from '../../src/labkit/promql/evaluate.ts';
import { parseRules, RuleEvaluator, type RuleGroup } from '../../src/labkit/promql/rules.ts';
import { parseTests, runTests, type TestResult } from '../../src/labkit/promql/promtool.ts';
import { Dispatcher, type Notification } from '../../src/labkit/promql/alertmanager.ts';
import { CHANGE_AT, DAY, DAYS } from './scenarios.ts';

export const EVALUATION_S = 60;

export interface Timeline {
  /** Per alert name: for each evaluation minute, 0 inactive, 1 pending, 2 firing (any of its series). */
  states: Record<string, number[]>;
  /** First minute at which any alert fired (null: never). */
  firstFiring: number | null;
  /** What Alertmanager-like grouping (by alertname, 30 s wait, 5 min interval, 4 h repeat) would send. */
  notifications: Notification[];
}

export function timeline(groups: RuleGroup[], store: SeriesStore, until = DAYS * DAY): Timeline {
  const rules = new RuleEvaluator(groups, store);
  const names = groups.flatMap((g) => g.rules.filter((r) => r.kind === 'alert').map((r) => r.name));
  const states: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let firstFiring: number | null = null;
  const dispatcher = new Dispatcher();
  for (let t = 0; t <= until; t += EVALUATION_S) {
    rules.evaluate(t * 1000);
    const now = rules.alerts();
    dispatcher.observe(t * 1000, now.filter((a) => a.state === 'firing').map((a) => a.labels));
    for (const n of names) {
      const mine = now.filter((a) => a.rule === n);
      const s = mine.some((a) => a.state === 'firing') ? 2 : mine.some((a) => a.state === 'pending') ? 1 : 0;
      states[n]!.push(s);
      if (s === 2 && firstFiring === null) firstFiring = t / 60;
    }
  }
  return { states, firstFiring, notifications: dispatcher.notifications };
}

export interface RuleCheck {
  sudden: Timeline;
  seasonal: Timeline;
  tests: TestResult[];
}

/** Parses and runs everything; throws RuleFileError / PromQLError with the line or field for bad input. */
export function checkRules(rulesText: string, testsText: string, stores: { sudden: SeriesStore; seasonal: SeriesStore }): RuleCheck {
  const groups = parseRules(rulesText);
  if (!groups.some((g) => g.rules.some((r) => r.kind === 'alert'))) throw new RangeError('rules: write at least one alerting rule (alert: … expr: …)');
  const tests = runTests(groups, parseTests(testsText));
  return { sudden: timeline(groups, stores.sudden), seasonal: timeline(groups, stores.seasonal), tests };
}

export interface RuleVerdict {
  firesOnDrift: boolean;
  firedBeforeChange: boolean;
  silentOnSeasonal: boolean;
  checks: number;
  checksPassed: number;
}

export function verdict(c: Pick<RuleCheck, 'sudden' | 'seasonal'> & { tests: { checks: { passed: boolean }[] }[] }): RuleVerdict {
  const changeMinute = CHANGE_AT / 60;
  const firing = (t: Timeline, from: number, to: number) => Object.values(t.states).some((s) => s.slice(from, to).includes(2));
  const checks = c.tests.flatMap((t) => t.checks);
  return {
    firesOnDrift: firing(c.sudden, changeMinute, Infinity),
    firedBeforeChange: firing(c.sudden, 0, changeMinute),
    silentOnSeasonal: !firing(c.seasonal, 0, Infinity),
    checks: checks.length,
    checksPassed: checks.filter((k) => k.passed).length,
  };
}

export const STARTER_RULES = `# Prometheus alerting rules, evaluated every minute over the scenario's two days.
# Metrics: requests_total{client,code}, predictions_total{class}, request_duration_seconds_bucket{le},
# prediction_confidence_bucket{le}, input_feature_sum{feature}, input_feature_count, input_pixel_max,
# labels_received_total, prediction_errors_total (all with job="digits").
groups:
  - name: input-drift
    rules:
      - alert: BrightnessChanged
        expr: |
          rate(input_feature_sum{feature="brightness"}[1h]) / ignoring(feature) rate(input_feature_count[1h]) > 0.135
        for: 30m
        labels:
          severity: ticket
        annotations:
          summary: 'mean brightness over the last hour is {{ $value }}'
`;

export const STARTER_TESTS = `# Rule unit tests in the format of promtool test rules.
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'input_feature_sum{job="digits",feature="brightness"}'
        values: '0+13x120 1560+15x120'
      - series: 'input_feature_count{job="digits"}'
        values: '0+100x240'
    alert_rule_test:
      - eval_time: 60m
        alertname: BrightnessChanged
        exp_alerts: []
      - eval_time: 4h
        alertname: BrightnessChanged
        exp_alerts:
          - exp_labels: {severity: ticket, job: digits}
            exp_annotations: {summary: 'mean brightness over the last hour is 0.15'}
`;

/** Pending and firing stretches of each alert, in minutes [from, to) — what the state keeps of a timeline. */
export function intervalsOf(t: Timeline): Record<string, { pending: [number, number][]; firing: [number, number][] }> {
  const out: Record<string, { pending: [number, number][]; firing: [number, number][] }> = {};
  for (const [name, states] of Object.entries(t.states)) {
    const entry = { pending: [] as [number, number][], firing: [] as [number, number][] };
    let start = 0;
    for (let m = 1; m <= states.length; m++) {
      if (m < states.length && states[m] === states[start]) continue;
      const s = states[start];
      if (s === 1) entry.pending.push([start, m]);
      if (s === 2) entry.firing.push([start, m]);
      start = m;
    }
    out[name] = entry;
  }
  return out;
}
