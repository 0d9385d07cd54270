/**
 * Step 4: every run with what it measured, the comparisons the lab allows (inside one interleaved run), the same
 * configuration measured again, the batch sweep and time to first prediction. The tables are the report's.
 */
import { useState } from 'react';
import { NETWORKS, network } from '../../../labkit/bench/networks.ts';
import { latencyChart, sweepCharts, ttfpChart } from '../../../../labs/speed/charts.ts';
import { STOP_REASONS, TTFP_NETWORK } from '../../../../labs/speed/protocol.ts';
import { backendsTable, repeatsTable, skippedTable, steadyTable, structuredTable, sweepTable, ttfpTable } from '../../../../labs/speed/report.ts';
import { allGroups, backendName, repeats, steadyRows, threadedOnOne, ttfpRows } from '../../../../labs/speed/results.ts';
import { Chart } from '../shell/Chart.tsx';
import { Table } from './Table.tsx';
import type { SpeedShell } from './SpeedWorkspace.tsx';

export function ResultsSection({ shell }: { shell: SpeedShell }) {
  const state = shell.session.state;
  const [net, setNet] = useState(TTFP_NETWORK);
  if (!state.runs.length) {
    return (
      <section className="lab-section" aria-labelledby="speed-results">
        <h2 id="speed-results">4. Results</h2>
        <p className="lab-muted">No measurements yet.</p>
      </section>
    );
  }
  const rows = steadyRows(state);
  const last = state.runs.at(-1)!;
  const lastRows = rows.filter((r) => r.run === last);
  const sweep = sweepCharts(state);
  const profile = network(net);
  const first = ttfpRows(state, profile);
  const again = repeats(state);
  const leaked = allGroups(state).reduce((n, g) => n + g.group.leaked, 0);
  const onOne = state.runs.flatMap((run, i) => run.backends.filter(threadedOnOne).map((b) => ({ run: i + 1, b })));
  const problems = state.runs.flatMap((run, i) => run.backends.filter((b) => b.error).map((b) => ({ run: i + 1, b })));
  const skipped = skippedTable(state);
  const structured = structuredTable(state);
  const swept = sweepTable(state);
  return (
    <section className="lab-section" aria-labelledby="speed-results">
      <h2 id="speed-results">4. Results</h2>
      {problems.map(({ run, b }) => (
        <p key={`${run}-${b.id}`} className="lab-notice-warn" data-testid="backend-problem" data-backend={b.id}>
          Run {run}, {b.id}: {b.error}
        </p>
      ))}
      {onOne.map(({ run, b }) => (
        <p key={`${run}-${b.id}-threads`} className="lab-notice-warn" data-testid="threads-warning">
          Run {run}: {backendName(b)}. The threaded build ran its kernels on one thread (tfjs uses half the logical cores by default, at most 4), so it measured the same work as
          the single-threaded build: any difference between the two is noise or drift, not threads. Set the thread count in step 1 to try more.
        </p>
      ))}
      <Table table={backendsTable(state)} testId="backends" />
      <Table
        table={steadyTable(state)}
        testId="results"
        rowProps={(i) => ({ 'data-run': rows[i]!.runNumber, 'data-backend': rows[i]!.backend.id, 'data-model': rows[i]!.group.model, 'data-variant': rows[i]!.row.variant, 'data-batch': rows[i]!.group.batch })}
      />
      <details>
        <summary>What “stopped by” means</summary>
        <ul>
          {Object.entries(STOP_REASONS)
            .filter(([k]) => k !== 'cancelled')
            .map(([k, v]) => (
              <li key={k}>
                <strong>{k}</strong>: {v}.
              </li>
            ))}
        </ul>
      </details>
      <p data-testid="leaks">Tensors left in memory after the timed groups: {leaked}</p>
      {lastRows.length > 0 && <Chart svg={latencyChart(lastRows, `Latency per batch, run ${state.runs.length}`)} testId="latency-chart" caption="The latest run; the report has every run." />}
      {structured.rows.length > 0 && <Table table={structured} testId="structured" />}
      <h3>Measured again</h3>
      {again.length ? (
        <Table table={repeatsTable(state)} testId="repeats" />
      ) : (
        <p className="lab-muted">Run the same configuration once more (same backend, threads, model, variant and batch) to see whether its median falls inside the interval of the first run.</p>
      )}
      {again.some((r) => !r.inside) && (
        <p className="lab-muted">
          A median outside its own earlier interval means the runs differ by more than the noise inside one run: the interval does not cover drift between runs. That is why
          the lab compares variants only within one interleaved run.
        </p>
      )}
      {swept.rows.length > 0 && (
        <>
          {sweep && <Chart svg={sweep.latency} testId="sweep-latency" />}
          {sweep && <Chart svg={sweep.throughput} testId="sweep-throughput" />}
          <details>
            <summary>The batch sweep in numbers</summary>
            <Table table={swept} testId="sweep" />
          </details>
        </>
      )}
      {first.length > 0 && (
        <>
          <h3>Time to first prediction</h3>
          <label className="lab-row">
            Network
            <select value={net} onChange={(e) => setNet(e.target.value)}>
              {NETWORKS.map((n) => (
                <option key={n.id} value={n.id}>{n.label}</option>
              ))}
            </select>
          </label>
          <Table table={ttfpTable(state, profile)} testId="ttfp" />
          <Chart svg={ttfpChart(first, profile)} testId="ttfp-chart" />
        </>
      )}
      {skipped.rows.length > 0 && <Table table={skipped} testId="skipped" />}
    </section>
  );
}
