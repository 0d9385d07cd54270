/**
 * The speed lab's report: every table says on each row what it measured (run, backend as it really ran, threads,
 * SIMD, batch, model, variant), and the notes are written from the same settings the measurements used.
 */
import { formatNumber } from '../../src/labkit/report/criteria.ts';
import type { ReportChart, ReportTable } from '../../src/labkit/report/report.ts';
import { network, type NetworkProfile } from '../../src/labkit/bench/networks.ts';
import type { ReportParts } from '../../src/labkit/lab/define.ts';
import type { SpeedState } from './lab.ts';
import { modelLabel, STEADY, STOP_REASONS, TTFP_NETWORK, variantLabel, variantShort } from './protocol.ts';
import { allGroups, backendName, firstRatios, repeats, simdText, steadyRows, structuredPairs, threadedOnOne, threadsText, ttfpRows } from './results.ts';
import { latencyChart, sweepCharts, ttfpChart } from './charts.ts';

const f = (v: number) => formatNumber(Number(v.toPrecision(3)));
const ci = (s: { median: number; lower: number; upper: number }) => `${f(s.median)} (${f(s.lower)}–${f(s.upper)})`;

export function backendsTable(state: SpeedState): ReportTable {
  return {
    title: 'Backends as they ran',
    columns: ['run', 'backend asked for', 'what ran', 'threads used', 'SIMD', 'renderer', 'problem'],
    rows: state.runs.flatMap((run, i) =>
      run.backends.map((b) => [i + 1, b.id, backendName(b), threadsText(b), simdText(b), b.renderer ? `${b.renderer}${b.software ? ' (software)' : ''}` : null, b.error ?? (threadedOnOne(b) ? 'the threaded build ran on 1 thread: the same work as a single-threaded build' : null)]),
    ),
  };
}

/** Every steady-state row, in the order of `steadyRows(state)`. */
export function steadyTable(state: SpeedState): ReportTable {
  return {
    title: 'Steady state: median latency per batch with its 95% interval (the variants of a group timed interleaved)',
    columns: ['run', 'backend', 'threads', 'SIMD', 'batch', 'model', 'variant', 'median ms (95% CI)', 'p25–p75 ms', 'p95 ms', 'timed runs', 'stopped by', 'samples/s', 'params', 'timed with', 'summaries by', 'origin'],
    rows: steadyRows(state).map((r) => {
      const s = r.row.summary;
      return [
        r.runNumber,
        backendName(r.backend),
        threadsText(r.backend),
        simdText(r.backend),
        r.group.batch,
        modelLabel(r.group.model),
        variantLabel(r.row.variant),
        ci(s),
        `${f(s.p25)}–${f(s.p75)}`,
        f(s.p95),
        s.n,
        r.row.stopReason,
        Math.round((r.group.batch / s.median) * 1000),
        r.row.params,
        r.group.rows.filter((x) => x !== r.row).map((x) => variantShort(x.variant)).join(', ') || 'alone',
        r.run.studentCode?.length ? `your ${r.run.studentCode.join(', ')}` : 'the reference',
        r.run.restoredAt ? `restored ${r.run.restoredAt.slice(0, 10)}` : 'measured',
      ];
    }),
  };
}

export function structuredTable(state: SpeedState): ReportTable {
  return {
    title: 'Structured pruning against its baseline, timed interleaved in the same run',
    columns: ['run', 'backend', 'threads', 'batch', 'model', 'verdict', 'ratio of medians', 'structured −50% median ms (95% CI)', 'baseline median ms (95% CI)', 'intervals'],
    rows: structuredPairs(state).map((p) => [
      p.runNumber,
      backendName(p.backend),
      threadsText(p.backend),
      p.group.batch,
      modelLabel(p.group.model),
      p.faster ? 'faster' : p.disjoint ? 'slower' : 'no clear difference',
      f(p.ratio),
      ci(p.structured.summary),
      ci(p.baseline.summary),
      p.disjoint ? 'disjoint' : 'overlap',
    ]),
  };
}

export function repeatsTable(state: SpeedState): ReportTable {
  return {
    title: 'The same configuration measured in two runs: does the later median fall inside the earlier interval?',
    columns: ['configuration', 'later median inside earlier interval', 'later / earlier', 'earlier run', 'median ms (95% CI)', 'later run', 'median ms (95% CI)'],
    rows: repeats(state).map((r) => [r.configuration, r.inside ? 'yes' : 'no', f(r.ratio), r.earlier.runNumber, ci(r.earlier.row.summary), r.later.runNumber, ci(r.later.row.summary)]),
  };
}

export function sweepTable(state: SpeedState): ReportTable {
  return {
    title: 'Batch sweep of each baseline: median ms per batch (95% CI)',
    columns: ['run', 'backend', 'threads', 'model', 'batch', 'median ms (95% CI)', 'timed runs', 'samples/s'],
    rows: allGroups(state).flatMap((g) => g.group.sweep.map((p) => [g.runNumber, backendName(g.backend), threadsText(g.backend), modelLabel(g.group.model), p.batch, ci(p.summary), p.summary.n, Math.round((p.batch / p.summary.median) * 1000)])),
  };
}

/** Time to first prediction with the download simulated at `net`, in the order of `ttfpRows(state, net)`. */
export function ttfpTable(state: SpeedState, net: NetworkProfile): ReportTable {
  const ratios = firstRatios(state, 'uint8', net);
  return {
    title: `Time to first prediction, each variant on a fresh backend (download simulated at ${net.label})`,
    columns: ['run', 'backend', 'threads', 'model', 'variant', 'gzipped bytes', 'download ms', 'backend start ms', 'load ms', 'warm-up ms', 'first prediction ms', 'total ms', 'uint8 / float32'],
    rows: ttfpRows(state, net).map((r) => {
      const ratio = ratios.find((x) => x.row.first === r.first);
      return [r.runNumber, backendName(r.backend), threadsText(r.backend), modelLabel(r.first.model), variantLabel(r.first.variant), r.info.gzipBytes, Math.round(r.ttfp.downloadMs), f(r.ttfp.initMs), f(r.ttfp.loadMs), f(r.ttfp.warmupMs), f(r.ttfp.firstPredictionMs), Math.round(r.ttfp.totalMs), ratio ? f(ratio.ratio) : null];
    }),
  };
}

export function skippedTable(state: SpeedState): ReportTable {
  return { title: 'Not measured', columns: ['run', 'what and why'], rows: state.runs.flatMap((run, i) => run.skipped.map((s) => [i + 1, s])) };
}

export function tables(state: SpeedState): ReportTable[] {
  return [backendsTable(state), steadyTable(state), structuredTable(state), repeatsTable(state), sweepTable(state), ttfpTable(state, network(TTFP_NETWORK)), skippedTable(state)].filter((t) => t.rows.length > 0);
}

function charts(state: SpeedState): ReportChart[] {
  const out: ReportChart[] = [];
  state.runs.forEach((run, i) => {
    const rows = steadyRows(state).filter((r) => r.run === run);
    if (rows.length) out.push({ title: `Latency distribution, run ${i + 1}`, svg: latencyChart(rows, `Latency per batch, run ${i + 1} (${run.at.slice(0, 16).replace('T', ' ')} UTC)`) });
  });
  const sweep = sweepCharts(state);
  if (sweep) out.push({ title: 'Batch scaling: latency', svg: sweep.latency }, { title: 'Batch scaling: throughput', svg: sweep.throughput });
  const net = network(TTFP_NETWORK);
  const first = ttfpRows(state, net);
  if (first.length) out.push({ title: 'Time to first prediction by phase', svg: ttfpChart(first, net) });
  return out;
}

/** How every number was measured, from the settings the measurements used. */
export function methodNotes(state: SpeedState): string {
  const leaked = allGroups(state).reduce((n, g) => n + g.group.leaked, 0);
  const budgets = [...new Set(state.runs.map((r) => r.settings.budgetMs))].map((ms) => `${ms} ms`).join(', ');
  return [
    `Steady state: the variants of one model were loaded into one worker per backend and timed interleaved, one run of each per round in a rotating order, after ${STEADY.warmup} untimed warm-up rounds. Each timed run awaited \`data()\`. Timing continued for at least ${STEADY.minRuns} rounds until every variant's 95% interval was within ±${STEADY.targetRelHalfWidth * 100}% of its median, or the budget (${budgets || '—'} per variant) was spent, or ${STEADY.maxRuns.toLocaleString('en')} rounds were done. Stop reasons: ${Object.entries(STOP_REASONS).filter(([k]) => k !== 'cancelled').map(([k, v]) => `**${k}**: ${v}`).join('; ')}.`,
    'Medians with their distribution-free 95% interval from order statistics (binomial, Conover 1999); percentiles are type 7 (linear interpolation, as NumPy and R). The interval covers the noise within one run only. Variants are therefore compared only inside one interleaved group; backends ran one after another, so comparisons across backends, and across runs, also carry the drift between them (the table of repeated configurations shows how large it was).',
    'Time to first prediction: each variant was loaded into a fresh worker with a fresh backend, so no variant found shaders compiled or caches warmed by another; one untimed worker ran first on each backend, so that what the browser keeps between workers (compiled JavaScript and wasm, the GPU program cache) was warm for every variant alike. Backend start, load, warm-up (the first predict) and the first prediction were measured once each; the download is simulated from the gzipped bytes (model.json and weights) with one round trip per file. The tfjs library download itself is not counted.',
    `Tensors left in memory after the steady-state groups: ${leaked}.`,
  ].join('\n\n');
}

export function report(state: SpeedState): ReportParts {
  return { tables: tables(state), charts: charts(state), notes: methodNotes(state) };
}
