/** Step 4: Page-Hinkley on the error stream, its false alarms on stable streams and its delay after the concept change. */
import { useState } from 'react';
import { checkPh, type PhConfig } from '../../../../labs/monitoring/detect.ts';
import { medianDelay, ratePct, type ConceptRecord } from '../../../../labs/monitoring/lab.ts';
import { delayChart } from '../../../../labs/monitoring/charts.ts';
import { formatNumber } from '../../../labkit/report/criteria.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import { Chart } from '../shell/Chart.tsx';
import type { MonitoringContext } from './MonitoringWorkspace.tsx';

export function ConceptSection({ ctx }: { ctx: MonitoringContext }) {
  const { busy, shell, client, state, exercises, newId } = ctx;
  const [delta, setDelta] = useState('0.005');
  const [lambda, setLambda] = useState('50');
  const ph: PhConfig = { delta: delta.trim() === '' ? NaN : Number(delta), threshold: lambda.trim() === '' ? NaN : Number(lambda) };
  const errors = checkPh(ph);
  const exercise = exercises.find((e) => e.exportName === 'pageHinkley');
  const chart = delayChart(state.concept);

  const run = async () => {
    const problem = errors.delta ?? errors.threshold;
    if (problem) return shell.warn(problem);
    const r = await shell.run('Page-Hinkley on the error stream', (onProgress) => client.call('concept', ph, { onProgress }));
    if (!r) return;
    const { studentCode, ...counts } = r;
    const record: ConceptRecord = { id: newId('ph-'), createdAt: new Date().toISOString(), ph, ...counts, ...(studentCode.length ? { studentCode } : {}) };
    shell.session.update((s) => ({ ...s, concept: [...s.concept, record] }));
  };

  return (
    <section className="lab-section" aria-labelledby="mon-concept">
      <h2 id="mon-concept">3. Catch the concept change in the error stream</h2>
      <p className="lab-muted">200 stable error streams of 20,000 labelled requests, and 200 runs of 2,000 stable requests followed by up to 3,000 under the new concept.</p>
      <div className="lab-row">
        <label>
          δ (tolerance)
          <input value={delta} onChange={(e) => setDelta(e.target.value)} size={6} aria-invalid={!!errors.delta} />
        </label>
        <label>
          λ (threshold)
          <input value={lambda} onChange={(e) => setLambda(e.target.value)} size={6} aria-invalid={!!errors.threshold} />
        </label>
        <button type="button" className="lab-primary" disabled={busy} onClick={run}>
          Run Page-Hinkley
        </button>
      </div>
      {(errors.delta || errors.threshold) && <p className="lab-alert">{errors.delta ?? errors.threshold}</p>}
      {state.concept.length > 0 && (
        <div className="lab-scroll" role="region" aria-label="Page-Hinkley runs" tabIndex={0}>
          <table className="lab-table" data-testid="concept">
            <caption>Page-Hinkley runs</caption>
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">δ</th>
                <th scope="col">λ</th>
                <th scope="col">false alarms (20,000 stable)</th>
                <th scope="col">median delay</th>
                <th scope="col">no alarm</th>
              </tr>
            </thead>
            <tbody>
              {state.concept.map((c) => {
                const fa = ratePct(c.stableAlarms, c.runs);
                const d = medianDelay(c);
                return (
                  <tr key={c.id} data-ph={c.ph.threshold}>
                    <td>{c.id}{c.studentCode?.length ? ' (your pageHinkley)' : ''}{c.restoredAt ? ' (restored)' : ''}</td>
                    <td>{c.ph.delta}</td>
                    <td>{c.ph.threshold}</td>
                    <td>{formatNumber(fa.value)}% ({formatNumber(fa.lower!)}–{formatNumber(fa.upper!)})</td>
                    <td>{d === null ? 'none in most runs' : `${formatNumber(d)} events`}</td>
                    <td>{c.delays.filter((x) => x === null).length} of {c.delays.length}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {chart && <Chart svg={chart} />}
      {exercise && (
        <details>
          <summary>Coding track: {exercise.title}</summary>
          <ExercisePanel session={shell.session} spec={exercise} />
        </details>
      )}
    </section>
  );
}
