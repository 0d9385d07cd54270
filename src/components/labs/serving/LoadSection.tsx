/** Step 2: load tests in a closed or an open model against the student's server, and the offline path's overhead. */
import { useMemo, useState } from 'react';
import { checkLoadSpec, type LoadSpec } from '../../../labkit/serving/load.ts';
import { answeredLatencies, describeSpec, latencyEcdf, loadRow, percentileCell, ROUTES } from '../../../../labs/serving/report.ts';
import { MAX_LOAD_TESTS } from '../../../../labs/serving/lab.ts';
import { measureOverhead, startLoadTest } from '../../../../labs/serving/driver.ts';
import { thresholdSummary } from '../../../../labs/serving/records.ts';
import { parseThresholds } from '../../../labkit/serving/thresholds.ts';
import { quantileSorted } from '../../../labkit/stats/samples.ts';
import { Chart } from '../shell/Chart.tsx';
import type { ServingContext } from './ServingWorkspace.tsx';

const num = (text: string) => (text.trim() === '' ? NaN : Number(text));

export function LoadSection({ ctx }: { ctx: ServingContext }) {
  const { shell, state, busy, serverUp, newId, route, routes } = ctx;
  const [model, setModel] = useState<'open' | 'closed'>('open');
  const [arrivals, setArrivals] = useState<'constant' | 'poisson'>('constant');
  const [rate, setRate] = useState('200');
  const [users, setUsers] = useState('4');
  const [ratePerUser, setRatePerUser] = useState('0');
  const [seconds, setSeconds] = useState('6');
  const [maxInFlight, setMaxInFlight] = useState('256');
  const [thresholds, setThresholds] = useState('p(95)<50, p(99)<200, rate<0.01');
  const spec: LoadSpec =
    model === 'open'
      ? { model, arrivals, rate: num(rate), durationMs: num(seconds) * 1000, maxInFlight: num(maxInFlight), seed: 1 }
      : { model, users: num(users), ratePerUser: num(ratePerUser), durationMs: num(seconds) * 1000 };
  const thresholdProblem = (() => {
    try {
      parseThresholds(thresholds);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  })();
  const problem = checkLoadSpec(spec) ?? (model === 'open' && num(rate) > 2000 ? 'rate: at most 2,000 requests per second in a browser tab' : thresholdProblem);
  const last = state.loadTests.at(-1);
  // Percentiles sort every sample: computed when the tests change, not on every render (the job bar ticks during a test).
  const rows = useMemo(() => state.loadTests.map((t) => ({ t, row: loadRow(t) })), [state.loadTests]);
  const chart = useMemo(() => (last && answeredLatencies(last, 'sent').length > 1 ? latencyEcdf(last) : null), [last]);

  const run = async () => {
    if (problem) return shell.warn(`Load test: ${problem}.`);
    if (!serverUp) return shell.warn('Start your server first (step 1).');
    const record = await shell.run(`Load test: ${describeSpec(spec)}, ${ROUTES[route]}`, (onProgress) => startLoadTest(routes[route === 'worker' ? 'worker' : 'serviceWorker']!, route, spec, thresholds, newId('load-'), onProgress));
    if (!record) return;
    shell.session.update((s) => ({ ...s, loadTests: [...s.loadTests, record].slice(-MAX_LOAD_TESTS) }));
    const errors = record.ok.filter((x) => x === 0).length;
    const verdict = thresholdSummary(record);
    shell.say(`Load test ${record.id}: ${record.intended.length} requests, ${errors} failed, ${record.dropped} dropped.${Object.keys(record.statuses).length ? ` Statuses other than 200: ${JSON.stringify(record.statuses)}.` : ''}${verdict ? ` Thresholds ${verdict}.` : ''}`);
  };

  const overhead = async () => {
    if (!serverUp) return shell.warn('Start your server first (step 1).');
    const r = await shell.run(`Offline path overhead (200 requests per route, one at a time)`, (onProgress) => measureOverhead(routes, 200, onProgress));
    if (r) shell.session.update((s) => ({ ...s, overhead: { at: new Date().toISOString(), ...r.worker, ...(r.serviceWorker ? { serviceWorker: r.serviceWorker } : {}) } }));
  };

  return (
    <section className="lab-section" aria-labelledby="srv-load">
      <h2 id="srv-load">2. Load tests</h2>
      <p className="lab-muted">
        The load generator runs on this page and sends each request by the route chosen in step 1 ({ROUTES[route]}). Latency counts from the intended send time and from the actual one; client
        lag is how late requests left.
      </p>
      <fieldset className="lab-form">
        <legend>Load</legend>
        <label>
          Model
          <select value={model} onChange={(e) => setModel(e.target.value as 'open' | 'closed')}>
            <option value="open">open: a fixed arrival rate</option>
            <option value="closed">closed: virtual users</option>
          </select>
        </label>
        {model === 'open' ? (
          <>
            <label>
              Arrivals
              <select value={arrivals} onChange={(e) => setArrivals(e.target.value as 'constant' | 'poisson')}>
                <option value="constant">constant</option>
                <option value="poisson">Poisson</option>
              </select>
            </label>
            <label>
              Rate (requests/s)
              <input type="number" value={rate} onChange={(e) => setRate(e.target.value)} min={1} max={2000} />
            </label>
            <label>
              Max in flight
              <input type="number" value={maxInFlight} onChange={(e) => setMaxInFlight(e.target.value)} min={1} />
            </label>
          </>
        ) : (
          <>
            <label>
              Users
              <input type="number" value={users} onChange={(e) => setUsers(e.target.value)} min={1} max={256} />
            </label>
            <label>
              Pacing per user (requests/s, 0 = none)
              <input type="number" value={ratePerUser} onChange={(e) => setRatePerUser(e.target.value)} min={0} />
            </label>
          </>
        )}
        <label>
          Duration (s)
          <input type="number" value={seconds} onChange={(e) => setSeconds(e.target.value)} min={1} max={120} />
        </label>
        <label>
          Thresholds (k6 syntax; ms from the intended time)
          <input value={thresholds} onChange={(e) => setThresholds(e.target.value)} spellCheck={false} />
        </label>
      </fieldset>
      {problem && <p className="lab-alert">Load test: {problem}.</p>}
      <div className="lab-row">
        <button type="button" className="lab-primary" disabled={busy || !!problem} onClick={() => void run()}>
          Run the load test
        </button>
        <button type="button" disabled={busy} onClick={() => void overhead()}>
          Measure the path's overhead
        </button>
      </div>
      {state.loadTests.length > 0 && (
        <div className="lab-scroll" role="region" aria-label="Load test results" tabIndex={0}>
          <table className="lab-table" data-testid="load-tests">
            <caption>Load tests (the last {MAX_LOAD_TESTS} are kept): percentiles with 95% intervals</caption>
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">load</th>
                <th scope="col">requests</th>
                <th scope="col">answered/s</th>
                <th scope="col">failed</th>
                <th scope="col">dropped</th>
                <th scope="col">p50 (intended)</th>
                <th scope="col">p95 (intended)</th>
                <th scope="col">p99 (intended)</th>
                <th scope="col">p99 (actual send)</th>
                <th scope="col">client lag p95</th>
                <th scope="col">thresholds</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ t, row }) => {
                return (
                  <tr key={t.id}>
                    <td>
                      {t.id}
                      {t.restoredAt ? ' (restored)' : ''}
                    </td>
                    <td>
                      {describeSpec(t.spec)}; {ROUTES[t.route]}
                    </td>
                    <td>{t.intended.length}</td>
                    <td>{Math.round(row.rate)}</td>
                    <td>{row.errors}</td>
                    <td>{t.dropped}</td>
                    {row.fromIntended.map((p) => (
                      <td key={p.p}>{percentileCell(p)}</td>
                    ))}
                    <td>{percentileCell(row.fromSent[2]!)}</td>
                    <td>{row.lagP95.toFixed(2)} ms</td>
                    <td>{t.thresholds ? `${t.thresholds}: ${thresholdSummary(t)}` : 'none'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {chart && <Chart svg={chart} caption="The two curves part where requests waited before they could leave: that wait is the client's, and a real user would have felt it." />}
      {state.overhead && <OverheadLine name="Page → worker → page" times={state.overhead} />}
      {state.overhead?.serviceWorker && <OverheadLine name="Preview page → service worker → worker and back" times={state.overhead.serviceWorker} />}
    </section>
  );
}

function OverheadLine({ name, times }: { name: string; times: { roundTripMs: number[]; serverMs: number[] } }) {
  const over = useMemo(() => times.roundTripMs.map((t, i) => t - times.serverMs[i]!).sort((a, b) => a - b), [times]);
  const handler = quantileSorted([...times.serverMs].sort((a, b) => a - b), 0.5);
  return (
    <p data-testid="overhead">
      {name}, {over.length} requests one at a time: median overhead {quantileSorted(over, 0.5).toFixed(3)} ms per request (p95 {quantileSorted(over, 0.95).toFixed(3)} ms) beyond the {handler.toFixed(3)} ms
      your handler takes.
    </p>
  );
}
