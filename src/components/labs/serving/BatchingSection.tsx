/** Step 4: the model's batch costs in this browser, the dynamic batcher's sweep in virtual time, and the choice. */
import { useMemo, useState } from 'react';
import { bestWithinBudget, chosenRow, P95_BUDGET_MS } from '../../../../labs/serving/lab.ts';
import { frontierChart } from '../../../../labs/serving/report.ts';
import { saturatingRate } from '../../../../labs/serving/experiments.ts';
import type { BatchingRecord } from '../../../../labs/serving/schema.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import { Chart } from '../shell/Chart.tsx';
import type { ServingContext } from './ServingWorkspace.tsx';

export function BatchingSection({ ctx }: { ctx: ServingContext }) {
  const { shell, state, client, busy, newId, exercises, using } = ctx;
  const [lowLoad, setLowLoad] = useState(false);
  const b = state.batching.at(-1);
  const exercise = exercises.find((e) => e.exportName === 'nextFlush');
  const best = b ? bestWithinBudget(b) : null;
  const chosen = b ? chosenRow(b) : null;
  const chart = useMemo(() => (b ? frontierChart(b) : null), [b]);

  const run = async () => {
    const costs = await shell.run('Time batches of 1 to 32 on the model', (onProgress) => client.call('costs', { reps: 60 }, { onProgress }));
    if (!costs) return;
    const rate = lowLoad ? 5 : saturatingRate(costs);
    const seed = 1 + Math.floor(Math.random() * 1e6);
    const rows = await shell.run(`Dynamic batcher sweep at ${rate.toLocaleString('en')} requests/s`, () => client.call('batching', { costs, rate, seed }));
    if (!rows) return;
    const record: BatchingRecord = { id: newId('batch-'), at: new Date().toISOString(), costs, rate, seed, rows, chosen: null, flushBy: using.nextFlush ? 'yours' : 'reference' };
    shell.session.update((s) => ({ ...s, batching: [...s.batching, record] }));
  };

  const choose = (maxBatchSize: number, maxQueueDelayMs: number) => {
    if (!b) return;
    shell.session.update((s) => ({ ...s, batching: s.batching.map((x) => (x.id === b.id ? { ...x, chosen: { maxBatchSize, maxQueueDelayMs } } : x)) }));
  };

  const c1 = b?.costs.find((c) => c.size === 1);
  const c32 = b?.costs.find((c) => c.size === 32);

  return (
    <section className="lab-section" aria-labelledby="srv-batching">
      <h2 id="srv-batching">4. Dynamic batching</h2>
      <p className="lab-muted">
        The worker times the model on batches of 1 to 32 here, then replays those costs behind a dynamic batcher under Poisson arrivals, for every max batch size and max queue delay, in virtual time. The saturating load is 80% of
        the best back-to-back throughput. Choose the settings you would deploy: the best throughput whose p95 stays within {P95_BUDGET_MS} ms.
      </p>
      <div className="lab-row">
        <label>
          <input type="checkbox" checked={lowLoad} onChange={(e) => setLowLoad(e.target.checked)} /> low load instead (5 requests/s)
        </label>
        <button type="button" className="lab-primary" disabled={busy} onClick={() => void run()}>
          Time the batches and sweep
        </button>
      </div>
      {b && c1 && c32 && (
        <p data-testid="batch-ratio">
          On this browser batches of 32 run {(c32.throughput / c1.throughput).toFixed(1)}× the throughput of single requests ({Math.round(c1.throughput).toLocaleString('en')} vs {Math.round(c32.throughput).toLocaleString('en')} per second,
          model time only; JSON and the worker protocol add their own cost per request).
        </p>
      )}
      {b && (
        <div className="lab-scroll" role="region" aria-label="Batcher sweep" tabIndex={0}>
          <table className="lab-table" data-testid="batching">
            <caption>
              Sweep {b.id} at {b.rate.toLocaleString('en')} requests/s (flush rule: {b.flushBy === 'yours' ? 'yours' : "the lab's"}){best ? `; best within ${P95_BUDGET_MS} ms: max batch ${best.maxBatchSize}, delay ${best.maxQueueDelayMs} ms` : '; no setting keeps p95 within the budget'}
            </caption>
            <thead>
              <tr>
                <th scope="col">choose</th>
                <th scope="col">max batch</th>
                <th scope="col">max queue delay</th>
                <th scope="col">answered/s</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">mean batch</th>
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => {
                const label = `max batch ${r.maxBatchSize}, delay ${r.maxQueueDelayMs} ms`;
                return (
                  <tr key={label}>
                    <td>
                      <input type="radio" name={`choose-${b.id}`} aria-label={`choose ${label}`} checked={chosen === r} onChange={() => choose(r.maxBatchSize, r.maxQueueDelayMs)} disabled={busy} />
                    </td>
                    <td>{r.maxBatchSize}</td>
                    <td>{r.maxQueueDelayMs} ms</td>
                    <td>{Math.round(r.throughput).toLocaleString('en')}</td>
                    <td>{r.p50.toFixed(2)} ms</td>
                    <td>{r.p95 > P95_BUDGET_MS ? <strong>{r.p95.toFixed(1)} ms</strong> : `${r.p95.toFixed(2)} ms`}</td>
                    <td>{r.meanBatch.toFixed(1)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {chart && <Chart svg={chart} caption="Each colour is one max batch size, each of its points one max queue delay (the table gives them). Up and to the left is better." />}
      {exercise && (
        <details>
          <summary>Coding track: {exercise.title}</summary>
          <ExercisePanel session={shell.session} spec={exercise} />
        </details>
      )}
    </section>
  );
}
