/** Steps 2 and 3: calibrate a window detector on the no-drift stream, then measure its false alarms and power. */
import { useState } from 'react';
import { MONITORED, TESTS, checkDetector, type DetectorConfig, type Monitored, type TestKind } from '../../../../labs/monitoring/detect.ts';
import { describeDetector, ratePct, type DetectorRecord, type SweepRecord } from '../../../../labs/monitoring/lab.ts';
import { detectorChart, sweepChart } from '../../../../labs/monitoring/charts.ts';
import { formatNumber } from '../../../labkit/report/criteria.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import { Chart } from '../shell/Chart.tsx';
import type { MonitoringContext } from './MonitoringWorkspace.tsx';

const pct = (k: number, n: number) => {
  const e = ratePct(k, n);
  return `${formatNumber(e.value)}% (${formatNumber(e.lower!)}–${formatNumber(e.upper!)})`;
};

/** The form's text fields, read into a config; a field that is not a number stays NaN and the check names it. */
function readConfig(test: TestKind, threshold: string, window: string, correction: DetectorConfig['correction'], features: Monitored[]): DetectorConfig {
  return { test, threshold: threshold.trim() === '' ? NaN : Number(threshold), window: window.trim() === '' ? NaN : Number(window), correction, features };
}

export function DetectorSection({ ctx }: { ctx: MonitoringContext }) {
  const { busy, shell, client, state, exercises, newId } = ctx;
  const [test, setTest] = useState<TestKind>('psi');
  const [threshold, setThreshold] = useState('0.1');
  const [window, setWindow] = useState('100');
  const [sizes, setSizes] = useState('100, 250, 500, 1000');
  const [correction, setCorrection] = useState<DetectorConfig['correction']>('none');
  const [features, setFeatures] = useState<Monitored[]>([...MONITORED]);
  const config = readConfig(test, threshold, window, correction, features);
  const errors = checkDetector(config);
  const sizeList = sizes.split(/[\s,]+/).filter(Boolean).map(Number);
  const sizeError = !sizeList.length || sizeList.length > 8 ? 'Window sizes: give from 1 to 8 sizes, separated by commas.' : (sizeList.map((n) => checkDetector({ ...config, window: n }).window).find(Boolean)?.replace(/^window:/, 'Window sizes:') ?? '');
  const pvalue = TESTS[test].pvalue;

  const runSweep = async () => {
    const problem = errors.threshold ?? errors.features ?? errors.test ?? sizeError;
    if (problem) return shell.warn(problem);
    const { window: _, ...rest } = config;
    const r = await shell.run('Calibrate on no drift', (onProgress) => client.call('calibrate', { config, sizes: sizeList }, { onProgress }));
    if (!r) return;
    const record: SweepRecord = { id: newId('cal-'), createdAt: new Date().toISOString(), config: rest, rows: r.rows, ...(r.studentCode.length ? { studentCode: r.studentCode } : {}) };
    shell.session.update((s) => ({ ...s, sweeps: [...s.sweeps, record] }));
  };

  const runEvaluate = async () => {
    const problem = Object.values(errors).find(Boolean);
    if (problem) return shell.warn(problem);
    const r = await shell.run('Evaluate the detector', (onProgress) => client.call('evaluate', config, { onProgress }));
    if (!r) return;
    const record: DetectorRecord = { id: newId('det-'), createdAt: new Date().toISOString(), config, falseAlarms: r.falseAlarms, power: r.power, ...(r.studentCode.length ? { studentCode: r.studentCode } : {}) };
    shell.session.update((s) => ({ ...s, detectors: [...s.detectors, record] }));
  };

  const fieldError = (name: keyof DetectorConfig) => errors[name] && <span className="lab-alert" id={`mon-${name}-error`}>{errors[name]}</span>;

  return (
    <section className="lab-section" aria-labelledby="mon-detect">
      <h2 id="mon-detect">2. Calibrate and evaluate a drift detector</h2>
      <fieldset className="lab-form" disabled={busy}>
        <legend>Detector</legend>
        <label>
          Test
          <select value={test} onChange={(e) => {
            const next = e.target.value as TestKind;
            setTest(next);
            setThreshold(TESTS[next].pvalue ? '0.05' : '0.1');
          }}>
            {(Object.keys(TESTS) as TestKind[]).map((k) => (
              <option key={k} value={k}>{TESTS[k].label}</option>
            ))}
          </select>
        </label>
        <label>
          {pvalue ? 'α (family-wise)' : 'Threshold'}
          <input value={threshold} onChange={(e) => setThreshold(e.target.value)} size={6} aria-invalid={!!errors.threshold} aria-describedby={errors.threshold ? 'mon-threshold-error' : undefined} />
        </label>
        {pvalue && (
          <label>
            Correction for many features
            <select value={correction} onChange={(e) => setCorrection(e.target.value as DetectorConfig['correction'])}>
              <option value="none">none</option>
              <option value="bonferroni">Bonferroni</option>
              <option value="bh">Benjamini–Hochberg</option>
            </select>
          </label>
        )}
        {fieldError('threshold')}
        <p className="lab-muted">{TESTS[test].help}. Watched:</p>
        <div className="lab-row">
          {MONITORED.map((f) => (
            <label key={f}>
              <input type="checkbox" checked={features.includes(f)} onChange={(e) => setFeatures((xs) => (e.target.checked ? MONITORED.filter((m) => xs.includes(m) || m === f) : xs.filter((x) => x !== f)))} /> {f}
            </label>
          ))}
        </div>
        {fieldError('features')}
      </fieldset>
      <div className="lab-row">
        <label>
          Window sizes to calibrate
          <input value={sizes} onChange={(e) => setSizes(e.target.value)} size={18} aria-invalid={!!sizeError} />
        </label>
        <button type="button" className="lab-primary" disabled={busy} onClick={runSweep}>
          Measure false alarms on no drift
        </button>
      </div>
      {sizeError && <p className="lab-alert">{sizeError}</p>}
      <div className="lab-row">
        <label>
          Window (events)
          <input value={window} onChange={(e) => setWindow(e.target.value)} size={6} aria-invalid={!!errors.window} aria-describedby={errors.window ? 'mon-window-error' : undefined} />
        </label>
        <button type="button" disabled={busy} onClick={runEvaluate}>
          Evaluate: false alarms and power
        </button>
        {fieldError('window')}
      </div>
      <p className="lab-muted">Each measurement runs 200 windows against a reference of 5,000 requests from day 1; power uses windows that start a minute after the sudden drift.</p>
      {state.sweeps.map((s) => (
        <Chart key={s.id} svg={sweepChart(s)} testId="sweep-chart" caption={`${s.id}: the heavy line is the detector (an alarm when any feature is flagged), with its 95% interval; thin lines are single features.`} />
      ))}
      {state.detectors.length > 0 && (
        <>
          <div className="lab-scroll" role="region" aria-label="Detectors" tabIndex={0}>
            <table className="lab-table" data-testid="detectors">
              <caption>Detectors: 200 no-drift windows and 200 drifted windows each</caption>
              <thead>
                <tr>
                  <th scope="col">id</th>
                  <th scope="col">detector</th>
                  <th scope="col">false alarms</th>
                  <th scope="col">power</th>
                  <th scope="col">flagged on the drift</th>
                </tr>
              </thead>
              <tbody>
                {state.detectors.map((d) => (
                  <tr key={d.id} data-detector={d.id}>
                    <td>{d.id}</td>
                    <td>{describeDetector(d.config)}{d.studentCode?.length ? ` (your ${d.studentCode.join(', ')})` : ''}{d.restoredAt ? ' (restored)' : ''}</td>
                    <td>{pct(d.falseAlarms.alarms, d.falseAlarms.windows)}</td>
                    <td>{pct(d.power.alarms, d.power.windows)}</td>
                    <td>{Object.entries(d.power.flagged).map(([f, k]) => `${f} ${k}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Chart svg={detectorChart(state.detectors)} />
        </>
      )}
      {exercises
        .filter((e) => e.exportName === 'ksStatistic' || e.exportName === 'psi')
        .map((e) => (
          <details key={e.id}>
            <summary>Coding track: {e.title}</summary>
            <ExercisePanel session={shell.session} spec={e} />
          </details>
        ))}
    </section>
  );
}
