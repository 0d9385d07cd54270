/**
 * The monitoring lab without a model: its criteria against its quantities, `measure` and `parse`, the stream's
 * determinism, the corruptions and features, and the detectors on a served stream from a stand-in scorer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { gunzipSync } from 'fflate';
import { checkCriteria } from '../../src/labkit/lab/define.ts';
import { labSchema } from '../../src/schemas.ts';
import { ROOT } from '../../src/labkit/lab/node.ts';
import monitoring, { bestDetector, medianDelay, type MonitoringState } from './lab.ts';
import { corrupt, features, FEATURES, PIXELS } from './images.ts';
import { arrivals, poolIndex, scenarioStream, windowAt } from './stream.ts';
import { DAY, DAYS, SCENARIO_IDS, CHANGE_AT } from './scenarios.ts';
import { PoolCache, type Scorer } from './pool.ts';
import { checkDetector, checkPh, DEFAULT_DETECTOR, errorStream, prepareReference, scoreWindow } from './detect.ts';
import { falseAlarms, power, type Env } from './experiments.ts';
import { monitoringCharts } from './charts.ts';

const frontmatter = labSchema.parse(parseYaml(readFileSync(`${ROOT}labs/monitoring/index.mdx`, 'utf8').split('---')[1]!));
const test = {
  images: gunzipSync(readFileSync(`${ROOT}public/data/mnist/test-images.bin.gz`)).subarray(0, 1000 * PIXELS),
  labels: gunzipSync(readFileSync(`${ROOT}public/data/mnist/test-labels.bin.gz`)).subarray(0, 1000),
};
/** A stand-in model that follows the total ink: enough to exercise the plumbing, with confidences that vary. */
const scorer: Scorer = async (pixels, count) => {
  const logits = new Float32Array(count * 10);
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let i = 0; i < PIXELS; i++) s += pixels[k * PIXELS + i]!;
    const digit = Math.floor(s) % 10;
    logits[k * 10 + digit] = 2 + 3 * (s % 1);
  }
  return logits;
};
const index = poolIndex(test.labels);

describe('monitoring lab: definition', () => {
  it('its criteria read quantities it measures, in their units', () => {
    expect(checkCriteria(monitoring, frontmatter.criteria)).toEqual([]);
  });

  it('measures the detector that keeps false alarms at 5% with the most power, within 500 events', () => {
    const run = (alarms: number) => ({ windows: 200, alarms, flagged: {} });
    const base = { createdAt: '2026-12-01T00:00:00Z', config: { ...DEFAULT_DETECTOR } };
    const state: MonitoringState = {
      sweeps: [{ id: 's1', createdAt: base.createdAt, config: { test: 'ks', threshold: 0.05, correction: 'none', features: ['contrast'] }, rows: [100, 250, 500].map((window) => ({ window, feature: 'any' as const, windows: 200, alarms: 10 })) }],
      detectors: [
        { ...base, id: 'loud', falseAlarms: run(50), power: run(200) },
        { ...base, id: 'quiet', falseAlarms: run(4), power: run(190), config: { ...DEFAULT_DETECTOR, test: 'ks', threshold: 0.05, window: 500 } },
        { ...base, id: 'too-long', falseAlarms: run(0), power: run(200), config: { ...DEFAULT_DETECTOR, window: 1000 } },
      ],
      concept: [{ id: 'c1', createdAt: base.createdAt, ph: { delta: 0.005, threshold: 30 }, runs: 4, stableAlarms: 0, early: 0, delays: [100, 300, null, 200] }],
      alerts: [],
      logs: [],
    };
    expect(bestDetector(state)?.id).toBe('quiet');
    const m = monitoring.measure(state);
    expect(m['calibration.windowSizes']).toEqual({ value: 3 });
    expect(m['detector.falseAlarmPct']!.value).toBe(2);
    expect(m['detector.powerPct']!.value).toBe(95);
    expect(m['detector.powerPct']!.lower).toBeLessThan(95);
    expect(m['concept.medianDelay']).toEqual({ value: 250 });
    expect(medianDelay({ delays: [null, null, 5] })).toBeNull();
    // The state parses back, and its report and charts draw.
    expect(monitoring.parse(JSON.parse(JSON.stringify(state)), 1)).toEqual(state);
    expect(monitoringCharts(state).map((c) => c.svg.startsWith('<svg'))).toEqual([true, true, true]);
    expect(monitoring.report!(state).tables!.length).toBe(3);
  });

  it('refuses state that does not fit, naming the field', () => {
    expect(() => monitoring.parse({ sweeps: [], detectors: [{ id: 'x' }], concept: [] }, 1)).toThrow(/detectors\[0\]/);
    expect(monitoring.parse({ sweeps: [], detectors: [], concept: [] }, 1).alerts).toEqual([]);
    const run = { windows: 10, alarms: 11, flagged: {} };
    expect(() => monitoring.parse({ sweeps: [], concept: [], detectors: [{ id: 'x', createdAt: 'now', config: DEFAULT_DETECTOR, falseAlarms: run, power: run }] }, 1)).toThrow(/more alarms than windows/);
  });

  it('checks a detector and Page-Hinkley before any work, naming the field', () => {
    expect(checkDetector({ ...DEFAULT_DETECTOR, window: 0 }).window).toMatch(/^window: 0/);
    expect(checkDetector({ ...DEFAULT_DETECTOR, threshold: Number('abc') }).threshold).toMatch(/^threshold: "NaN" is not a number/);
    expect(checkDetector({ ...DEFAULT_DETECTOR, test: 'ks', threshold: 5 }).threshold).toMatch(/α must lie between 0 and 1/);
    expect(checkDetector({ ...DEFAULT_DETECTOR, features: [] }).features).toMatch(/at least one/);
    expect(checkDetector(DEFAULT_DETECTOR)).toEqual({});
    expect(checkPh({ delta: 0.005, threshold: 0 }).threshold).toMatch(/^threshold: λ/);
    expect(checkPh({ delta: -1, threshold: 30 }).delta).toMatch(/^delta/);
  });
});

describe('monitoring lab: the stream', () => {
  it('is the same on every replay with the same seed, and differs with another', () => {
    const a = scenarioStream('quality', index, 7);
    const b = scenarioStream('quality', index, 7);
    expect(a.count).toBe(b.count);
    expect([...a.image.slice(0, 50)]).toEqual([...b.image.slice(0, 50)]);
    expect([...a.latencyMs.slice(0, 50)]).toEqual([...b.latencyMs.slice(0, 50)]);
    expect([...scenarioStream('quality', index, 8).image.slice(0, 50)]).not.toEqual([...a.image.slice(0, 50)]);
    // About 0.25 requests a second over two days.
    expect(a.count).toBeGreaterThan(0.23 * DAYS * DAY);
    expect(a.count).toBeLessThan(0.27 * DAYS * DAY);
  });

  it('arrives more often in the afternoon than at night', () => {
    const t = arrivals(0, DAY, 3);
    const inHour = (h: number) => t.filter((x) => x >= h * 3600 && x < (h + 1) * 3600).length;
    expect(inHour(15)).toBeGreaterThan(2 * inHour(3));
  });

  it('changes only what each scenario says, and only after the change', () => {
    for (const id of SCENARIO_IDS) {
      const before = windowAt(id, CHANGE_AT - 7 * 3600, 2000, index, 1);
      if (id !== 'seasonal') expect(before.variants.map((v) => v.kind), id).toEqual(['none']);
    }
    const quality = windowAt('quality', DAY + 10 * 3600, 4000, index, 2);
    expect(quality.variants.some((v) => v.kind === 'scale' && v.level === 1000)).toBe(true);
    expect(quality.rejected.reduce((s, x) => s + x, 0)).toBeGreaterThan(10);
    const mix = windowAt('class-mix', CHANGE_AT + 10, 4000, index, 3);
    const zeros = [...mix.image].filter((i) => test.labels[i] === 0).length / mix.count;
    expect(zeros).toBeGreaterThan(0.2);
    const concept = windowAt('concept', CHANGE_AT + 10, 4000, index, 4);
    const swapped = [...concept.image].filter((i, k) => test.labels[i] !== concept.label[k]).length / concept.count;
    expect(swapped).toBeGreaterThan(0.08);
    expect(swapped).toBeLessThan(0.16);
  });

  it('corrupts images as described and computes the features', () => {
    const img = test.images.subarray(0, PIXELS);
    const f = (c: Parameters<typeof corrupt>[1]) => {
      const out = new Float64Array(FEATURES.length);
      features(corrupt(img, c, 1), out);
      return out;
    };
    const clean = f({ kind: 'none', level: 0 });
    expect(f({ kind: 'contrast', level: 0.5 })[1]).toBeCloseTo(clean[1]! / 2, 2);
    expect(f({ kind: 'contrast', level: 0.5 })[0]).toBeCloseTo(clean[0]!, 6);
    expect(f({ kind: 'brightness', level: 0.1 })[0]).toBeGreaterThan(clean[0]!);
    expect(f({ kind: 'scale', level: 1000 })[0]).toBeCloseTo(clean[0]! * 1000, 1);
    expect(f({ kind: 'rotation', level: 12 })[5]).not.toBeCloseTo(clean[5]!, 2);
    expect([...f({ kind: 'noise', level: 0.05 })]).toEqual([...f({ kind: 'noise', level: 0.05 })]);
  });
});

describe('monitoring lab: detectors on a served stream', () => {
  const env: Env = { pool: new PoolCache(test.images, scorer), index, stats: {} };

  it('serves each (corruption, image) once and leaves rejected requests unscored', async () => {
    const ev = windowAt('quality', DAY + 10 * 3600, 3000, index, 9);
    const served = await env.pool.serve(ev);
    const rejected = [...ev.rejected].filter(Boolean).length;
    expect(errorStream(served).length).toBe(ev.count - rejected);
    for (let i = 0; i < ev.count; i++) if (ev.rejected[i]) expect(Number.isNaN(served.features[i * FEATURES.length]!)).toBe(true);
  });

  it('PSI > 0.1 on windows of 100 fires on no drift; a corrected KS test at 500 does not, and catches the drift', async () => {
    const psi = await falseAlarms(env, { ...DEFAULT_DETECTOR, features: ['brightness', 'contrast', 'ink'] }, 60);
    expect(psi.alarms / psi.windows).toBeGreaterThan(0.3);
    const ks = { test: 'ks' as const, window: 500, threshold: 0.05, correction: 'bonferroni' as const, features: ['brightness' as const, 'contrast' as const, 'ink' as const] };
    const fa = await falseAlarms(env, ks, 60);
    expect(fa.alarms / fa.windows).toBeLessThan(0.1);
    const pw = await power(env, ks, 60);
    expect(pw.alarms / pw.windows).toBeGreaterThan(0.9);
    expect(pw.flagged.contrast).toBeGreaterThan(pw.flagged.brightness ?? 0);
  });

  it('scores a window feature by feature with the chosen test', async () => {
    const ref = prepareReference(await env.pool.serve(windowAt('stable', DAY / 2, 1000, index, 1)));
    const window = await env.pool.serve(windowAt('sudden', CHANGE_AT + 60, 300, index, 2));
    for (const test of ['ks', 'psi', 'js', 'wasserstein'] as const) {
      const { scores } = scoreWindow({ ...DEFAULT_DETECTOR, test, threshold: test === 'ks' ? 0.05 : 0.1, correction: 'bh' }, ref, window);
      expect(scores.map((s) => s.feature)).toEqual([...FEATURES, 'confidence', 'predicted_class']);
      for (const s of scores) expect(Number.isFinite(s.score), `${test} ${s.feature}`).toBe(true);
    }
  });
});

describe('monitoring lab: verification', () => {
  it('confirms consistent counts and contradicts impossible ones', async () => {
    const { verifyMonitoring } = await import('./verify.ts');
    const run = (alarms: number, flagged: Record<string, number>) => ({ windows: 200, alarms, flagged });
    const good: MonitoringState = {
      logs: [],
      alerts: [],
      sweeps: [],
      detectors: [{ id: 'd1', createdAt: 'x', config: { ...DEFAULT_DETECTOR, test: 'ks', threshold: 0.05, window: 500 }, falseAlarms: run(3, { contrast: 2 }), power: run(200, { contrast: 200 }) }],
      concept: [{ id: 'c1', createdAt: 'x', ph: { delta: 0.005, threshold: 20 }, runs: 200, stableAlarms: 0, early: 1, delays: Array(199).fill(150) }],
    };
    const claims = await verifyMonitoring(good, {}, {} as never);
    expect(claims.filter((c) => c.status === 'contradicted')).toEqual([]);
    expect(claims.some((c) => c.status === 'not-checkable')).toBe(true);
    const bad: MonitoringState = { ...good, detectors: [{ ...good.detectors[0]!, power: run(10, { contrast: 50 }) }], concept: [{ ...good.concept[0]!, early: 5 }] };
    const contradicted = (await verifyMonitoring(bad, {}, {} as never)).filter((c) => c.status === 'contradicted').map((c) => c.detail);
    expect(contradicted).toEqual([expect.stringMatching(/contrast flagged in 50 windows but only 10 alarms/), expect.stringMatching(/do not add up to 200 runs/)]);
    const { STARTER_RULES, STARTER_TESTS } = await import('./alerting.ts');
    const alert = { id: 'r1', createdAt: 'x', rules: STARTER_RULES, tests: STARTER_TESTS, verdict: { firesOnDrift: true, firedBeforeChange: false, silentOnSeasonal: false, checks: 2, checksPassed: 2 }, sudden: {}, seasonal: {} };
    expect((await verifyMonitoring({ ...good, alerts: [alert] }, {}, {} as never)).find((c) => c.claim.startsWith('Alert rules r1'))?.status).toBe('confirmed');
    const forged = { ...alert, tests: STARTER_TESTS.replace('0.15', '0.2') };
    expect((await verifyMonitoring({ ...good, alerts: [forged] }, {}, {} as never)).find((c) => c.claim.startsWith('Alert rules r1'))).toMatchObject({ status: 'contradicted', detail: 'run again, 1 of 2 pass' });
  });
});

describe('monitoring lab: alert rules', () => {
  it('the starter rule passes its own unit tests', async () => {
    const { parseRules } = await import('../../src/labkit/promql/rules.ts');
    const { parseTests, runTests } = await import('../../src/labkit/promql/promtool.ts');
    const { STARTER_RULES, STARTER_TESTS } = await import('./alerting.ts');
    const results = runTests(parseRules(STARTER_RULES), parseTests(STARTER_TESTS));
    expect(results.flatMap((r) => r.checks).map((c) => c.passed)).toEqual([true, true]);
  });

  it('scrapes a stream into about 40 series every 15 s, and a rule comparing the contrast mean with the day before fires after the sudden drift only', async () => {
    const { scrape, pixelScaleOf } = await import('./metrics.ts');
    const { checkRules, verdict, intervalsOf } = await import('./alerting.ts');
    const env = new PoolCache(test.images, scorer);
    const load = async (id: 'sudden' | 'seasonal') => {
      const ev = scenarioStream(id, index, 1);
      return scrape(ev, await env.serve(ev), pixelScaleOf(ev));
    };
    const stores = { sudden: await load('sudden'), seasonal: await load('seasonal') };
    expect(stores.sudden.all().length).toBeGreaterThanOrEqual(38);
    expect(stores.sudden.all()[0]!.t.length).toBe((DAYS * DAY) / 15);
    // Mean contrast over two hours against the same two hours a day earlier: the daily cycle cancels out.
    const mean = (offset: string) => `(rate(input_feature_sum{feature="contrast"}[2h]${offset}) / ignoring(feature) rate(input_feature_count[2h]${offset}))`;
    const rules = `groups:\n  - name: g\n    rules:\n      - alert: ContrastDrop\n        expr: ${mean('')} < 0.985 * ${mean(' offset 1d')}\n        for: 30m\n`;
    const tests = `tests:\n  - input_series:\n      - series: 'input_feature_sum{job="digits",feature="contrast"}'\n        values: '0+30x200'\n      - series: 'input_feature_count{job="digits"}'\n        values: '0+100x200'\n    alert_rule_test:\n      - eval_time: 3h\n        alertname: ContrastDrop\n        exp_alerts: []\n`;
    const c = checkRules(rules, tests, stores);
    const v = verdict(c);
    expect(v).toMatchObject({ firesOnDrift: true, firedBeforeChange: false, silentOnSeasonal: true, checks: 1, checksPassed: 1 });
    expect(intervalsOf(c.sudden).ContrastDrop!.firing[0]![0]).toBeGreaterThan(CHANGE_AT / 60);
  });
});

describe('monitoring lab: logs', () => {
  it('parses the filter language and names the column of a mistake', async () => {
    const { parseLogQuery, LogQueryError } = await import('./logs.ts');
    expect(parseLogQuery('{severity>=WARN, service.name="digit-classifier"} |= "rejected" | client.version = "2.1" | duration_ms > 250 | count by client.name')).toEqual({
      selector: [{ field: 'severity', op: '>=', value: 'WARN' }, { field: 'service.name', op: '=', value: 'digit-classifier' }],
      stages: [{ kind: 'line', op: '|=', value: 'rejected' }, { kind: 'field', field: 'client.version', op: '=', value: '2.1' }, { kind: 'field', field: 'duration_ms', op: '>', value: '250' }],
      countBy: 'client.name',
    });
    expect(() => parseLogQuery('{severity>=WARN} | client.version "2.1"')).toThrow(/column 35: expected a comparison/);
    expect(() => parseLogQuery('{client.version="2.1"}')).toThrow(/selector takes severity or a resource attribute/);
    expect(() => parseLogQuery('{severity>=LOUD}')).toThrow(/severity is one of/);
    expect(() => parseLogQuery('|~ "("')).toThrow(/not a valid regular expression/);
    expect(() => parseLogQuery('| count by x | a = 1')).toThrow(/must be the last stage/);
    expect(() => parseLogQuery('{severity>=WARN')).toThrow(LogQueryError);
  });

  it('logs the data-quality incident so that a query can isolate it, and a loose query cannot', async () => {
    const { logRecords, parseLogQuery, runLogQuery, incidentScore, RESOURCE } = await import('./logs.ts');
    const { pixelScaleOf } = await import('./metrics.ts');
    const ev = windowAt('quality', DAY + 12 * 3600, 6000, index, 5);
    const served = await new PoolCache(test.images, scorer).serve(ev);
    const records = logRecords(ev, served, pixelScaleOf(ev));
    expect(records[0]).toMatchObject({ severityText: expect.any(String), traceId: expect.stringMatching(/^[0-9a-f]{32}$/), spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(RESOURCE['service.name']).toBe('digit-classifier');
    const score = (q: string) => incidentScore(records, runLogQuery(records, parseLogQuery(q)).indexes);
    expect(score('{severity>=WARN} | client.version = "2.1"')).toMatchObject({ precision: 1, recall: 1 });
    expect(score('{severity>=WARN}').precision).toBeLessThan(0.95);
    expect(score('|= "rejected"').recall).toBeLessThan(0.5);
    const byVersion = runLogQuery(records, parseLogQuery('{severity>=WARN} | count by client.version')).counts!;
    expect(byVersion[0]!.value).toBe('2.1');
    expect(runLogQuery(records, parseLogQuery('| client.name = "nobody"')).matched).toBe(0);
  });
});
