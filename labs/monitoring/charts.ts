/** The monitoring lab's charts, for the page and the report (src/labkit/charts draws them). */
import { boxChart, lineChart, scatterChart } from '../../src/labkit/charts/index.ts';
import type { ReportChart } from '../../src/labkit/report/report.ts';
import { quantileSorted } from '../../src/labkit/stats/samples.ts';
import { describeDetector, ratePct, type AlertRecord, type ConceptRecord, type DetectorRecord, type MonitoringState, type SweepRecord } from './lab.ts';

/** False alarms against window size, one line per feature and a heavy one for the detector (any feature). */
export function sweepChart(s: SweepRecord): string {
  const sizes = [...new Set(s.rows.map((r) => r.window))].sort((a, b) => a - b);
  const features = [...new Set(s.rows.map((r) => r.feature))].sort((a, b) => (a === 'any' ? -1 : b === 'any' ? 1 : a.localeCompare(b)));
  return lineChart({
    title: `False alarms on no-drift windows: ${describeDetector(s.config)}`,
    xLabel: 'window (events, log scale)',
    yLabel: 'windows with an alarm (%)',
    xScale: 'log2',
    yZero: true,
    series: [
      ...features.map((f) => ({
        name: f === 'any' ? 'any feature (alarm)' : f,
        muted: f !== 'any',
        points: s.rows.filter((r) => r.feature === f).map((r) => {
          const e = ratePct(r.alarms, r.windows);
          return { x: r.window, y: e.value, ...(f === 'any' ? { yLower: e.lower, yUpper: e.upper } : {}) };
        }),
      })),
      { name: '5% target', color: '#57606a', points: [{ x: sizes[0]!, y: 5 }, { x: sizes.at(-1)!, y: 5 }] },
    ],
  });
}

export function detectorChart(ds: DetectorRecord[]): string {
  return scatterChart({
    title: 'Detectors: false alarms on no drift against power on the sudden drift',
    xLabel: 'false alarms on no-drift windows (%)',
    yLabel: 'power on drifted windows (%)',
    series: ds.map((d) => {
      const fa = ratePct(d.falseAlarms.alarms, d.falseAlarms.windows);
      const pw = ratePct(d.power.alarms, d.power.windows);
      return { name: `${d.id}: ${describeDetector(d.config)}`, points: [{ x: fa.value, y: pw.value, yLower: pw.lower, yUpper: pw.upper, label: d.id }] };
    }),
  });
}

export function delayChart(cs: ConceptRecord[]): string | null {
  const rows = cs
    .map((c) => ({ c, d: c.delays.filter((x): x is number => x !== null).sort((a, b) => a - b) }))
    .filter(({ d }) => d.length > 0)
    .map(({ c, d }) => ({ label: `${c.id}: δ ${c.ph.delta}, λ ${c.ph.threshold}`, min: d[0]!, p25: quantileSorted(d, 0.25), median: quantileSorted(d, 0.5), p75: quantileSorted(d, 0.75), high: quantileSorted(d, 0.95), samples: d }));
  if (!rows.length) return null;
  return boxChart({ title: 'Page-Hinkley: delay after the concept change', unit: 'events', key: 'box: quartiles; whiskers: minimum and 95th percentile; dots: runs that raised an alarm', rows });
}

export function monitoringCharts(state: MonitoringState): ReportChart[] {
  const out: ReportChart[] = state.sweeps.map((s) => ({ title: `Calibration ${s.id}`, svg: sweepChart(s) }));
  if (state.detectors.length) out.push({ title: 'Detectors', svg: detectorChart(state.detectors) });
  const delays = delayChart(state.concept);
  if (delays) out.push({ title: 'Page-Hinkley delays', svg: delays });
  const lastAlert = state.alerts.at(-1);
  if (lastAlert) out.push({ title: 'Alert states', svg: alertTimelineChart(lastAlert) });
  return out;
}

/** Each alert's state per minute on both scenarios, as steps (0 inactive, 1 pending, 2 firing). */
export function alertTimelineChart(a: AlertRecord): string {
  const series = (['sudden', 'seasonal'] as const).flatMap((scenario) =>
    Object.entries(a[scenario]).map(([name, i]) => {
      const points: { x: number; y: number }[] = [{ x: 0, y: 0 }];
      const spans = [...i.pending.map(([f, t]) => [f, t, 1] as const), ...i.firing.map(([f, t]) => [f, t, 2] as const)].sort((x, y) => x[0] - y[0]);
      for (const [f, t, s] of spans) points.push({ x: f / 60, y: s }, { x: t / 60, y: 0 });
      points.push({ x: 48, y: 0 });
      return { name: `${name} on the ${scenario === 'sudden' ? 'sudden drift' : 'seasonal cycle'}`, points };
    }),
  );
  return lineChart({ title: `Alert states over two days (${a.id})`, xLabel: 'hour since day 1, 00:00', yLabel: 'state (0 inactive, 1 pending, 2 firing)', step: true, yZero: true, series });
}
