/** Step 5: explore the OpenTelemetry-model logs with the filter language and name the data-quality incident's root cause. */
import { useState } from 'react';
import { lineChart } from '../../../labkit/charts/index.ts';
import { CAUSES } from '../../../../labs/monitoring/logs.ts';
import { foundRootCause, type LogFinding } from '../../../../labs/monitoring/lab.ts';
import { SCENARIOS, type ScenarioId } from '../../../../labs/monitoring/scenarios.ts';
import { ScenarioSelect } from './ScenarioSelect.tsx';
import type { MonitoringApi } from '../../../../labs/monitoring/worker.ts';
import type { ResultOf } from '../../../labkit/lab/worker-rpc.ts';
import { Chart } from '../shell/Chart.tsx';
import type { MonitoringContext } from './MonitoringWorkspace.tsx';

type Result = ResultOf<MonitoringApi['logs']> & { scenario: ScenarioId; query: string };
const time = (ms: number) => `day ${Math.floor(ms / 86_400_000) + 1} ${new Date(ms % 86_400_000).toISOString().slice(11, 19)}`;

export function LogSection({ ctx }: { ctx: MonitoringContext }) {
  const { busy, shell, client, state, newId } = ctx;
  const [scenario, setScenario] = useState<ScenarioId>('quality');
  const [query, setQuery] = useState('{severity>=WARN} | count by severity');
  const [cause, setCause] = useState('');
  const [result, setResult] = useState<Result | null>(null);

  const run = async () => {
    const r = await shell.run('Query the logs', (onProgress) => client.call('logs', { scenario, query }, { onProgress }));
    if (!r) return;
    setResult({ ...r, scenario, query });
    if (!r.matched) shell.warn(`The query matched none of the ${r.total.toLocaleString('en')} records. Loosen a filter: start from {severity>=WARN} and add one stage at a time.`);
  };

  const record = () => {
    if (!result?.incident) return shell.warn('Run a query on the data-quality scenario first: the finding is checked against that incident.');
    if (!cause) return shell.warn('Root cause: choose one.');
    const finding: LogFinding = { id: newId('log-'), createdAt: new Date().toISOString(), query: result.query, matched: result.matched, precision: result.incident.precision, recall: result.incident.recall, cause };
    shell.session.update((s) => ({ ...s, logs: [...s.logs, finding] }));
  };
  const last = state.logs.at(-1);

  return (
    <section className="lab-section" aria-labelledby="mon-logs">
      <h2 id="mon-logs">5. Find the incident in the logs</h2>
      <div className="lab-row">
        <ScenarioSelect value={scenario} onChange={setScenario} disabled={busy} />
      </div>
      <div className="lab-row">
        <label className="lab-grow">
          Log query
          <input value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !busy && void run()} spellCheck={false} size={60} />
        </label>
        <button type="button" className="lab-primary" disabled={busy} onClick={run}>
          Run the query
        </button>
      </div>
      {result && (
        <div data-testid="log-result">
          <p>
            {result.matched.toLocaleString('en')} of {result.total.toLocaleString('en')} records match on {SCENARIOS[result.scenario].title.toLowerCase()}
            {result.incident ? `; they hold ${(result.incident.recall * 100).toFixed(1)}% of the incident's records, and ${(result.incident.precision * 100).toFixed(1)}% of them belong to it.` : '.'}
          </p>
          {result.counts && (
            <div className="lab-scroll" role="region" aria-label="Records per value" tabIndex={0}>
              <table className="lab-table" data-testid="log-counts">
                <caption>Records per value</caption>
                <thead>
                  <tr>
                    <th scope="col">value</th>
                    <th scope="col">records</th>
                  </tr>
                </thead>
                <tbody>
                  {result.counts.slice(0, 20).map((c) => (
                    <tr key={c.value}>
                      <td>{c.value}</td>
                      <td>{c.count.toLocaleString('en')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.matched > 0 && (
            <Chart svg={lineChart({ title: 'Matching records per hour (a log-derived metric)', xLabel: 'hour since day 1, 00:00', yLabel: 'records', yZero: true, series: [{ name: result.query, points: result.perHour.map((y, x) => ({ x, y })) }] })} />
          )}
          {!result.counts && result.records.length > 0 && (
            <div className="lab-scroll" role="region" aria-label="Matching records" tabIndex={0}>
              <table className="lab-table">
                <caption>The first {result.records.length} matching records</caption>
                <thead>
                  <tr>
                    <th scope="col">time</th>
                    <th scope="col">severity</th>
                    <th scope="col">body</th>
                    <th scope="col">attributes</th>
                  </tr>
                </thead>
                <tbody>
                  {result.records.map((r) => (
                    <tr key={`${r.timestamp}-${r.spanId}-${r.severityNumber}`}>
                      <td>{time(r.timestamp)}</td>
                      <td>{r.severityText}</td>
                      <td>{r.body}</td>
                      <td className="lab-muted">{Object.entries(r.attributes).filter(([k]) => !k.startsWith('input.') || k === 'input.pixel_max' || k === 'input.missing_pixels').map(([k, v]) => `${k}=${v}`).join(' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      <div className="lab-row">
        <label>
          Root cause
          <select value={cause} onChange={(e) => setCause(e.target.value)}>
            <option value="">choose…</option>
            {CAUSES.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy || !result} onClick={record}>
          Record the last query as the finding
        </button>
      </div>
      {last && (
        <p data-testid="log-finding">
          Finding {last.id}: <code>{last.query}</code> — precision {(last.precision * 100).toFixed(1)}%, recall {(last.recall * 100).toFixed(1)}%.{' '}
          {foundRootCause(last) ? 'The query isolates the incident and the cause is right.' : 'Not yet: the query must isolate the incident (both at least 95%) and the cause must be the true one.'}
        </p>
      )}
    </section>
  );
}
