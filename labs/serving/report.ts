/** The serving lab's report and charts: every table is computed from the state, so verify.ts can recompute it. */
import { lineChart, scatterChart } from '../../src/labkit/charts/index.ts';
import type { ReportChart, ReportTable } from '../../src/labkit/report/report.ts';
import type { PercentileEstimate } from '../../src/labkit/serving/percentiles.ts';
import { latencyPercentiles } from '../../src/labkit/serving/percentiles.ts';
import { quantileSorted } from '../../src/labkit/stats/samples.ts';
import { achievedRate, lags, sampleLatencies, thresholdSummary, type LoadRecord } from './records.ts';
import type { BatchingRecord, ServingState } from './schema.ts';
import { sampleSizePerArm } from '../../src/labkit/serving/abtest.ts';

const ms = (v: number | null) => (v === null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** "12.3 ms (11.9–12.8)", or why there is no value. */
export function percentileCell(p: PercentileEstimate): string {
  if (p.value === null) return `refused: ${p.refused}`;
  return `${ms(p.value)} ms (${ms(p.lower)}–${ms(p.upper)})`;
}

export function describeSpec(spec: LoadRecord['spec']): string {
  const s = `${(spec.durationMs / 1000).toFixed(0)} s`;
  return spec.model === 'closed'
    ? `closed: ${spec.users} user${spec.users > 1 ? 's' : ''}${spec.ratePerUser > 0 ? `, paced at ${spec.ratePerUser}/s each` : ', no pacing'}, ${s}`
    : `open: ${spec.arrivals} ${spec.rate}/s, ${s}, at most ${spec.maxInFlight} in flight`;
}

/** How a route reads in tables. */
export const ROUTES: Record<NonNullable<ServingState['contract']>['route'], string> = {
  'service worker': 'fetch through the preview’s service worker',
  worker: 'straight to the worker',
  node: 'over HTTP to Node in WebContainers',
};

export function answeredLatencies(r: LoadRecord, from: 'sent' | 'intended'): number[] {
  return sampleLatencies(r, from).filter((_, i) => r.ok[i] === 1);
}

export function loadRow(r: LoadRecord) {
  const fromIntended = latencyPercentiles(answeredLatencies(r, 'intended'));
  const fromSent = latencyPercentiles(answeredLatencies(r, 'sent'));
  const lag = lags(r).sort((a, b) => a - b);
  const errors = r.ok.filter((x) => x === 0).length;
  return { fromIntended, fromSent, lagP95: lag.length ? quantileSorted(lag, 0.95) : NaN, errors, rate: achievedRate(r) };
}

function loadTable(state: ServingState): ReportTable | null {
  if (!state.loadTests.length) return null;
  return {
    title: 'Load tests: latency percentiles with 95% order-statistic intervals, from the intended and from the actual send time',
    columns: ['id', 'load', 'requests', 'answered/s', 'errors', 'dropped', 'timed out', 'p50 (intended)', 'p95 (intended)', 'p99 (intended)', 'p99 (actual send)', 'client lag p95 ms', 'thresholds', 'origin'],
    rows: state.loadTests.map((r) => {
      const row = loadRow(r);
      return [r.id, `${describeSpec(r.spec)}; ${ROUTES[r.route]}`, r.intended.length, Math.round(row.rate), row.errors, r.dropped, r.timedOut, ...row.fromIntended.map(percentileCell), percentileCell(row.fromSent[2]!), ms(row.lagP95), r.thresholds ? `${r.thresholds}: ${thresholdSummary(r)}` : 'none', r.restoredAt ? 'restored' : 'measured'];
    }),
  };
}

export function frontierChart(b: BatchingRecord): string {
  const sizes = [...new Set(b.rows.map((r) => r.maxBatchSize))];
  return scatterChart({
    title: `Dynamic batcher at ${b.rate.toLocaleString('en')} requests/s: throughput against p95`,
    xLabel: 'p95 latency (ms, log scale)',
    yLabel: 'answered requests/s',
    xScale: 'log10',
    series: sizes.map((size) => ({ name: `max batch ${size}`, points: b.rows.filter((r) => r.maxBatchSize === size).map((r) => ({ x: Math.max(r.p95, 0.01), y: r.throughput })) })),
  });
}

export function latencyEcdf(r: LoadRecord): string {
  // Latency counted from each request's intended send time and from its actual one.
  const series = (['intended', 'sent'] as const).map((from) => {
    const xs = answeredLatencies(r, from).sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(xs.length / 200));
    const points = xs.flatMap((x, i) => (i % step === 0 || i === xs.length - 1 ? [{ x: Math.max(x, 0.01), y: ((i + 1) / xs.length) * 100 }] : []));
    return { name: from === 'intended' ? 'intended time' : 'actual send', points };
  });
  return lineChart({ title: `Latency of load test ${r.id}, counted from the intended and from the actual send`, xLabel: 'latency (ms, log scale)', yLabel: '% of answered requests', xScale: 'log10', step: true, series });
}

export function servingReport(state: ServingState) {
  const tables: ReportTable[] = [];
  const charts: ReportChart[] = [];
  if (state.contract) {
    tables.push({ title: `Contract test (Open Inference Protocol V2), ${ROUTES[state.contract.route]}`, columns: ['case', 'passed', 'HTTP status', 'what was wrong'], rows: state.contract.outcomes.map((o) => [o.name, o.passed, o.status ?? null, o.message ?? '']) });
  }
  const load = loadTable(state);
  if (load) tables.push(load);
  const last = state.loadTests.at(-1);
  if (last) charts.push({ title: `Latency distribution of load test ${last.id}`, svg: latencyEcdf(last) });
  if (state.overhead) {
    const paths = [['page → worker → page', state.overhead] as const, ...(state.overhead.serviceWorker ? [['preview page → service worker → worker and back', state.overhead.serviceWorker] as const] : [])];
    tables.push({
      title: 'The offline paths, one request at a time (the routes alternate request by request)',
      columns: ['path', 'requests', 'round trip p50 ms', 'in the handler p50 ms', 'overhead p50 ms', 'overhead p95 ms'],
      rows: paths.map(([name, t]) => {
        const over = t.roundTripMs.map((r, i) => r - t.serverMs[i]!).sort((a, b) => a - b);
        const median = (xs: number[]) => ms(quantileSorted([...xs].sort((a, b) => a - b), 0.5));
        return [name, over.length, median(t.roundTripMs), median(t.serverMs), ms(quantileSorted(over, 0.5)), ms(quantileSorted(over, 0.95))];
      }),
    });
  }
  if (state.omission) {
    const o = state.omission.result;
    tables.push({
      title: `Coordinated omission: a ${o.stall.forMs / 1000} s stall every ${o.stall.everyMs / 1000} s, 60 s at 50 requests/s (virtual time, service times of load test ${state.omission.loadTest})`,
      columns: ['model', 'requests', 'p99 from the actual send ms', 'p99 from the intended time ms'],
      rows: [
        ['closed, 1 user paced at 50/s', o.closed.samples, ms(o.closed.p99), ms(o.closed.p99Intended)],
        ['open, constant 50/s', o.open.samples, ms(o.open.p99Sent), ms(o.open.p99)],
        ['open p99 (intended) / closed p99 (actual)', null, null, `${o.ratio.toFixed(1)}×`],
      ],
    });
  }
  for (const b of state.batching) {
    tables.push({ title: `Batch cost on the dense model in your browser (${b.id})`, columns: ['batch', 'ms per batch (median)', 'requests/s back to back'], rows: b.costs.map((c) => [c.size, c.ms.toFixed(3), Math.round(c.throughput)]) });
    tables.push({
      title: `Dynamic batcher sweep ${b.id} at ${b.rate.toLocaleString('en')} requests/s (Poisson, virtual time, flush rule: ${b.flushBy === 'yours' ? 'yours' : "the lab's"})`,
      columns: ['max batch', 'max queue delay ms', 'answered/s', 'p50 ms', 'p95 ms', 'mean batch', 'chosen'],
      rows: b.rows.map((r) => [r.maxBatchSize, r.maxQueueDelayMs, Math.round(r.throughput), ms(r.p50), ms(r.p95), r.meanBatch.toFixed(1), b.chosen?.maxBatchSize === r.maxBatchSize && b.chosen.maxQueueDelayMs === r.maxQueueDelayMs]),
    });
    charts.push({ title: `Dynamic batcher ${b.id}: throughput against p95`, svg: frontierChart(b) });
  }
  for (const r of state.rollouts) {
    tables.push({
      title: `${r.plan.mode === 'shadow' ? 'Shadow rollout' : 'Rollout'} ${r.id}: baseline ${r.baselineErrorPct}% errors, canary +${r.regressionPp} pp, ${r.testerPct}% of requests from testers with x-version: canary (${r.result.headerRequests}, not analysed), steps ${r.plan.steps.join(' → ')}% — ${r.result.outcome}, ${r.plan.mode === 'shadow' ? 'no user saw a canary answer' : `${r.result.userFacingCanaryErrors} failed canary answers reached users`} (check: ${r.verdictBy === 'yours' ? 'yours' : "the lab's"})`,
      columns: ['step share %', 'baseline errors', 'canary errors', 'difference pp (95% CI)', 'z', 'p95 baseline / canary ms', 'decision', 'why'],
      rows: r.result.looks.map((l) => [
        l.share,
        `${l.baseline.errors} of ${l.baseline.requests}`,
        `${l.canary.errors} of ${l.canary.requests}`,
        `${(l.difference.estimate * 100).toFixed(2)} (${(l.difference.lower * 100).toFixed(2)} to ${(l.difference.upper * 100).toFixed(2)})`,
        l.z.toFixed(2),
        `${ms(l.p95.baseline)} / ${ms(l.p95.canary)}`,
        l.decision,
        l.reason,
      ]),
    });
  }
  if (state.abTests.length) {
    tables.push({
      title: 'A/B tests on the simulated conversion rate, each run once to its planned size (two-sided pooled z-test)',
      columns: ['id', 'A rate', 'smallest lift', 'α', 'power', 'planned per arm', 'needed per arm', 'planted lift', 'A', 'B', 'B − A pp (95% CI)', 'p-value', 'decision'],
      rows: state.abTests.map((t) => [
        t.id,
        `${(t.plan.baseline * 100).toFixed(1)}%`,
        `${(t.plan.mde * 100).toFixed(2)} pp`,
        t.plan.alpha,
        t.plan.power,
        t.perArm,
        sampleSizePerArm(t.plan),
        `${(t.trueLift * 100).toFixed(2)} pp`,
        `${t.result.a.conversions} of ${t.result.a.sessions}`,
        `${t.result.b.conversions} of ${t.result.b.sessions}`,
        `${(t.result.difference.estimate * 100).toFixed(2)} (${(t.result.difference.lower * 100).toFixed(2)} to ${(t.result.difference.upper * 100).toFixed(2)})`,
        t.result.pValue.toPrecision(3),
        t.result.decision,
      ]),
    });
  }
  return {
    tables,
    charts,
    notes: [
      'Percentiles are NumPy’s default (linear) quantiles; each interval is the distribution-free 95% interval from order statistics (Binomial(n, p) ranks). A percentile is refused below max(100, 10/(1 − p)) answered requests: p99 needs 1,000.',
      'Load tests ran in this tab: the load generator on the page, the server and the model in a Web Worker, every request through the worker protocol. Latency from the intended time includes any wait the client imposed; client lag is how late requests left compared with their schedule (a saturated tab shows here first).',
      'The coordinated-omission, batching and rollout experiments run in virtual time on what was measured here (service times, batch costs), so they replay exactly; the rollout’s traffic is simulated (seeded users and errors).',
    ].join('\n\n'),
    changes: state.server ? ['### The server file', '', '```js', state.server.source, '```'].join('\n') : undefined,
  };
}
