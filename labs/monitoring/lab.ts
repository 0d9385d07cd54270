/**
 * The monitoring lab, as data: its state (every calibration sweep, detector evaluation and Page-Hinkley run the
 * student made on the simulated stream), what it measures for the acceptance criteria (index.mdx), and its report.
 * Framework-free and light: the page, the progress page and the verify page import it.
 *
 * Every rate is kept as counts (alarms out of windows, with the per-feature counts), so each figure carries a Wilson
 * 95% interval and can be re-derived from the state; Page-Hinkley keeps every run's delay.
 */
import { z } from '../../src/labkit/zod.ts';
import { defineLab, estimate, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { wilson } from '../../src/labkit/stats/proportions.ts';
import { formatNumber } from '../../src/labkit/report/criteria.ts';
import type { ReportTable } from '../../src/labkit/report/report.ts';
import { MONITORED, TESTS, type DetectorConfig } from './detect.ts';
import { PH_AFTER } from './experiments.ts';
import { monitoringCharts } from './charts.ts';
import { TRUE_CAUSE } from './logs.ts';

export const LAB_ID = 'monitoring';
/** The criteria's window limit: detect the drift within this many events. */
export const MAX_DETECTION_WINDOW = 500;

const monitored = z.enum(MONITORED);
const detectorSchema = z.object({
  test: z.enum(['ks', 'psi', 'js', 'wasserstein']),
  window: z.number().int().min(20).max(5000),
  threshold: z.number().positive(),
  correction: z.enum(['none', 'bonferroni', 'bh']),
  features: z.array(monitored).min(1).max(MONITORED.length),
});
const windowRun = z.object({ windows: z.number().int().positive().max(10_000), alarms: z.number().int().nonnegative(), flagged: z.partialRecord(monitored, z.number().int().nonnegative()) }).refine((r) => r.alarms <= r.windows, { message: 'more alarms than windows' });
const common = { id: z.string().min(1).max(80), createdAt: z.string(), restoredAt: z.string().optional(), studentCode: z.array(z.string()).optional() };

const sweepSchema = z.object({
  ...common,
  config: detectorSchema.omit({ window: true }),
  rows: z.array(z.object({ window: z.number().int().min(20).max(5000), feature: z.union([monitored, z.literal('any')]), windows: z.number().int().positive(), alarms: z.number().int().nonnegative() })).max(200),
});
const evaluationSchema = z.object({ ...common, config: detectorSchema, falseAlarms: windowRun, power: windowRun });
const conceptSchema = z.object({
  ...common,
  ph: z.object({ delta: z.number().min(0).max(1), threshold: z.number().positive() }),
  runs: z.number().int().positive(),
  stableAlarms: z.number().int().nonnegative(),
  early: z.number().int().nonnegative(),
  delays: z.array(z.number().int().positive().nullable()).max(1000),
});

const intervals = z.record(z.string(), z.object({ pending: z.array(z.tuple([z.number(), z.number()])).max(500), firing: z.array(z.tuple([z.number(), z.number()])).max(500) }));
const alertSchema = z.object({
  ...common,
  rules: z.string().max(20_000),
  tests: z.string().max(40_000),
  verdict: z.object({ firesOnDrift: z.boolean(), firedBeforeChange: z.boolean(), silentOnSeasonal: z.boolean(), checks: z.number().int().nonnegative(), checksPassed: z.number().int().nonnegative() }),
  sudden: intervals,
  seasonal: intervals,
  /** Notifications Alertmanager-like grouping would send on each scenario. */
  notifications: z.object({ sudden: z.number().int().nonnegative(), seasonal: z.number().int().nonnegative() }).optional(),
});

const logSchema = z.object({ ...common, query: z.string().max(2000), matched: z.number().int().nonnegative(), precision: z.number().min(0).max(1), recall: z.number().min(0).max(1), cause: z.string().max(200) });

const stateSchema = z.object({ logs: z.array(logSchema).max(100).default([]), sweeps: z.array(sweepSchema).max(100), detectors: z.array(evaluationSchema).max(200), concept: z.array(conceptSchema).max(100), alerts: z.array(alertSchema).max(100).default([]) });
export type MonitoringState = z.infer<typeof stateSchema>;
export type SweepRecord = MonitoringState['sweeps'][number];
export type DetectorRecord = MonitoringState['detectors'][number];
export type ConceptRecord = MonitoringState['concept'][number];
export type AlertRecord = MonitoringState['alerts'][number];
export type LogFinding = MonitoringState['logs'][number];

/** A finding names the root cause when its query isolates the incident (precision and recall at least 95%) and the cause chosen is the true one. */
export const foundRootCause = (l: LogFinding) => l.precision >= 0.95 && l.recall >= 0.95 && l.cause === TRUE_CAUSE;

/** A rule set is proven when it fires on the sudden drift after the change only, never on the seasonal days, and its unit tests (at least two checks) all pass. */
export const proven = (a: Pick<AlertRecord, 'verdict'>) => a.verdict.firesOnDrift && !a.verdict.firedBeforeChange && a.verdict.silentOnSeasonal && a.verdict.checks >= 2 && a.verdict.checksPassed === a.verdict.checks;

/** A rate in % with its Wilson 95% interval. */
export function ratePct(k: number, n: number) {
  const ci = wilson(k, n);
  return estimate((100 * k) / n, 100 * ci.lower, 100 * ci.upper);
}

/** Median delay in events, counting a run without an alarm as later than every other (null when most had none). */
export function medianDelay(r: Pick<ConceptRecord, 'delays'>): number | null {
  const d = r.delays.map((x) => x ?? Infinity).sort((a, b) => a - b);
  if (!d.length) return null;
  const m = d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2;
  return Number.isFinite(m) ? m : null;
}

export const describeDetector = (c: Omit<DetectorConfig, 'window'> & { window?: number }) =>
  `${TESTS[c.test].label} ${TESTS[c.test].pvalue ? `α = ${c.threshold}` : `> ${c.threshold}`}${TESTS[c.test].pvalue ? `, ${c.correction === 'none' ? 'no correction' : c.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'}` : ''}${c.window ? `, window ${c.window}` : ''}, ${c.features.length} feature${c.features.length === 1 ? '' : 's'}`;

/** The detector that best meets both window criteria: within 500 events, false alarms ≤ 5%, then the most power. */
export function bestDetector(state: MonitoringState): DetectorRecord | undefined {
  const rate = (r: { alarms: number; windows: number }) => r.alarms / r.windows;
  return state.detectors
    .filter((d) => d.config.window <= MAX_DETECTION_WINDOW)
    .sort((a, b) => {
      const okA = rate(a.falseAlarms) <= 0.05;
      const okB = rate(b.falseAlarms) <= 0.05;
      if (okA !== okB) return okA ? -1 : 1;
      return okA ? rate(b.power) - rate(a.power) : rate(a.falseAlarms) - rate(b.falseAlarms);
    })[0];
}

/** The Page-Hinkley run that best meets both criteria: false alarms ≤ 5% first, then the shortest median delay. */
export function bestConcept(state: MonitoringState): ConceptRecord | undefined {
  const delay = (r: ConceptRecord) => medianDelay(r) ?? Infinity;
  return [...state.concept].sort((a, b) => {
    const okA = a.stableAlarms / a.runs <= 0.05;
    const okB = b.stableAlarms / b.runs <= 0.05;
    if (okA !== okB) return okA ? -1 : 1;
    return okA ? delay(a) - delay(b) : a.stableAlarms / a.runs - b.stableAlarms / b.runs;
  })[0];
}

function measure(state: MonitoringState): Measured {
  const out: Measured = {};
  const sizes = new Set(state.sweeps.flatMap((s) => s.rows.map((r) => r.window)));
  if (sizes.size) out['calibration.windowSizes'] = { value: sizes.size };
  const best = bestDetector(state);
  if (best) {
    out['detector.falseAlarmPct'] = ratePct(best.falseAlarms.alarms, best.falseAlarms.windows);
    out['detector.powerPct'] = ratePct(best.power.alarms, best.power.windows);
  }
  const ph = bestConcept(state);
  if (ph) {
    out['concept.falseAlarmPct'] = ratePct(ph.stableAlarms, ph.runs);
    out['concept.medianDelay'] = { value: medianDelay(ph) ?? PH_AFTER + 1 };
  }
  if (state.logs.length) out['logs.rootCause'] = { value: state.logs.some(foundRootCause) ? 1 : 0 };
  if (state.alerts.length) out['alert.proven'] = { value: state.alerts.some(proven) ? 1 : 0 };
  return out;
}

/** Minutes since day 1, 00:00, as "day 2 06:15". */
export const clock = (minute: number) => `day ${Math.floor(minute / 1440) + 1} ${String(Math.floor((minute % 1440) / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const pctCell = (k: number, n: number) => {
  const e = ratePct(k, n);
  return `${formatNumber(e.value)} (${formatNumber(e.lower!)}–${formatNumber(e.upper!)})`;
};
const origin = (r: { restoredAt?: string; studentCode?: string[] }) => (r.restoredAt ? 'restored' : r.studentCode?.length ? `measured, with your ${r.studentCode.join(', ')}` : 'measured');

function report(state: MonitoringState) {
  const tables: ReportTable[] = [];
  for (const s of state.sweeps) {
    const sizes = [...new Set(s.rows.map((r) => r.window))].sort((a, b) => a - b);
    const features = [...new Set(s.rows.map((r) => r.feature))];
    tables.push({
      title: `Calibration ${s.id}: false alarms % (95% CI) on no-drift windows, ${describeDetector(s.config)}`,
      columns: ['feature', ...sizes.map((n) => `window ${n}`)],
      rows: features.map((f) => [f === 'any' ? 'any feature (the detector)' : f, ...sizes.map((n) => {
        const r = s.rows.find((x) => x.window === n && x.feature === f);
        return r ? pctCell(r.alarms, r.windows) : null;
      })]),
    });
  }
  if (state.detectors.length) {
    tables.push({
      title: 'Detectors: false alarms on no-drift windows and power on the sudden drift (200 windows each)',
      columns: ['id', 'detector', 'false alarms % (95% CI)', 'power % (95% CI)', 'features flagged on the drift', 'origin'],
      rows: state.detectors.map((d) => [
        d.id,
        describeDetector(d.config),
        pctCell(d.falseAlarms.alarms, d.falseAlarms.windows),
        pctCell(d.power.alarms, d.power.windows),
        Object.entries(d.power.flagged).map(([f, k]) => `${f} ${k}`).join(', '),
        origin(d),
      ]),
    });
  }
  if (state.concept.length) {
    tables.push({
      title: 'Page-Hinkley on the error stream (labels arrive an hour late)',
      columns: ['id', 'δ', 'λ', 'runs', 'false alarm within 20,000 stable events % (95% CI)', 'alarm before the change', 'median delay (events)', 'no alarm within 3,000 events', 'origin'],
      rows: state.concept.map((c) => [c.id, c.ph.delta, c.ph.threshold, c.runs, pctCell(c.stableAlarms, c.runs), c.early, medianDelay(c) ?? 'none (most runs had no alarm)', c.delays.filter((d) => d === null).length, origin(c)]),
    });
  }
  if (state.alerts.length) {
    const span = (xs: [number, number][]) => xs.map(([a, b]) => `${clock(a)}–${clock(b)}`).join(', ');
    tables.push({
      title: 'Alert rules: two days of the sudden drift and of the seasonal cycle, evaluated every minute, and the rule unit tests',
      columns: ['id', 'fires on the drift (after day 2, 06:00)', 'fired before the change', 'silent on the seasonal days', 'unit-test checks passed', 'firing on the drift', 'firing on the seasonal days', 'notifications (drift / seasonal)', 'proven'],
      rows: state.alerts.map((a) => [
        a.id,
        a.verdict.firesOnDrift,
        a.verdict.firedBeforeChange,
        a.verdict.silentOnSeasonal,
        `${a.verdict.checksPassed} of ${a.verdict.checks}`,
        Object.entries(a.sudden).map(([n, i]) => `${n}: ${span(i.firing) || 'never'}`).join('; '),
        Object.entries(a.seasonal).map(([n, i]) => `${n}: ${span(i.firing) || 'never'}`).join('; '),
        a.notifications ? `${a.notifications.sudden} / ${a.notifications.seasonal}` : null,
        proven(a),
      ]),
    });
  }
  if (state.logs.length) {
    tables.push({
      title: 'The incident of the data-quality scenario, found in the logs',
      columns: ['id', 'query', 'records matched', 'precision %', 'recall %', 'root cause named', 'found'],
      rows: state.logs.map((l) => [l.id, `\`${l.query}\``, l.matched, l.precision * 100, l.recall * 100, l.cause, foundRootCause(l)]),
    });
  }
  return {
    tables,
    changes: state.alerts.filter(proven).slice(-1).map((a) => ['### The alert rules that were proven', '', '```yaml', a.rules, '```', '', '### Their unit tests (promtool test rules format)', '', '```yaml', a.tests, '```'].join('\n')).join(''),
    charts: monitoringCharts(state),
    notes: [
      'Every rate is a share of simulated windows or runs with fixed seeds, with a Wilson 95% interval. The reference is 5,000 requests of day 1; no-drift windows come from day 2 of the stable stream; drifted windows start one minute after the sudden change (contrast ×0.96).',
      'A window detector raises an alarm when any watched feature is flagged. p-value tests use the two-sample KS test (SciPy\u2019s exact p-value) and, for the predicted class, the chi-square test of homogeneity; α is the family-wise level after the correction.',
      'Page-Hinkley runs on the 0/1 error stream of labelled requests; a delay counts labelled requests after the first one served under the new concept. Labels arrive one simulated hour after the prediction, which adds to every delay in time.',
    ].join('\n\n'),
  };
}

export const monitoring = defineLab<MonitoringState>({
  id: LAB_ID,
  version: 1,
  quantities: {
    'calibration.windowSizes': { describe: 'window sizes whose false-alarm rate you measured on the no-drift stream', unit: 'window sizes', min: 0, max: 100 },
    'detector.falseAlarmPct': { describe: 'share of no-drift windows on which your detector (window ≤ 500) raised an alarm', unit: '%', min: 0, max: 100, interval: true },
    'detector.powerPct': { describe: 'share of windows after the sudden drift on which the same detector raised an alarm', unit: '%', min: 0, max: 100, interval: true },
    'concept.falseAlarmPct': { describe: 'share of 20,000-event stable error streams on which Page-Hinkley raised an alarm', unit: '%', min: 0, max: 100, interval: true },
    'logs.rootCause': { describe: 'a log query that isolates the data-quality incident (precision and recall at least 95%) with its root cause named (1 = yes)', unit: 'finding', min: 0, max: 1 },
    'alert.proven': { describe: 'an alert rule set that fires on the sudden drift only after it starts, stays silent on the seasonal days, and passes its own unit tests (1 = yes)', unit: 'rule set', min: 0, max: 1 },
    'concept.medianDelay': { describe: 'median number of labelled events from the concept change to the first alarm (same settings)', unit: 'events', min: 1, max: PH_AFTER + 1 },
  },
  empty: () => ({ sweeps: [], detectors: [], concept: [], alerts: [], logs: [] }),
  parse: (value) => parseWith(stateSchema)(value),
  measure,
  merge(stored, mine) {
    const byId = <T extends { id: string }>(a: T[], b: T[]) => [...new Map([...a, ...b].map((x) => [x.id, x])).values()];
    return { sweeps: byId(stored.sweeps, mine.sweeps), detectors: byId(stored.detectors, mine.detectors), concept: byId(stored.concept, mine.concept), alerts: byId(stored.alerts, mine.alerts), logs: byId(stored.logs, mine.logs) };
  },
  markRestored(state, at) {
    const mark = <T extends { restoredAt?: string }>(xs: T[]) => xs.map((x) => ({ ...x, restoredAt: x.restoredAt ?? at }));
    return { sweeps: mark(state.sweeps), detectors: mark(state.detectors), concept: mark(state.concept), alerts: mark(state.alerts), logs: mark(state.logs) };
  },
  report,
});
export default monitoring;
