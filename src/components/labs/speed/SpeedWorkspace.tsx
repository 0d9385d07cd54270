/**
 * The speed lab's workspace (a React island on /labs/speed/). A thin view: the benchmarking is src/labkit/bench/,
 * run in a Web Worker per backend variant (worker.ts), so the page never freezes and Cancel just terminates it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { Availability, Environment } from '../../../labkit/bench/index.ts';
import { environmentRows } from '../../../labkit/bench/environment.ts';
import { NETWORKS } from '../../../labkit/bench/harness.ts';
import { evaluateCriteria, metMap, describeRule, formatNumber, type Criterion } from '../../../labkit/report/criteria';
import { labReportMarkdown, reportFileName, type ReportChart, type ReportTable } from '../../../labkit/report/report';
import { downloadFile, mime } from '../../../labkit/report/download';
import { progressStore } from '../../../labkit/progress';
import { batchLatencySvg, batchThroughputSvg, latencyDistributionSvg, ttfpSvg } from './charts.ts';
import { measure, mergeRun, structuredPairs, ttfpRows, TTFP_NETWORK, UNITS } from './measure.ts';
import { VARIANTS, type BackendRun, type ModelName, type Reply, type Request, type VariantKind, type VariantResult } from './protocol.ts';
import './workspace.css';

interface Props {
  lab: { id: string; title: string; criteria: Criterion[] };
}

const WASM = { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded };
const BUDGETS = [
  { ms: 500, label: 'quick (0.5 s per variant)' },
  { ms: 2000, label: 'standard (2 s per variant)' },
  { ms: 6000, label: 'thorough (6 s per variant)' },
];
const SWEEP = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const WATCHDOG_MS = 120_000;

interface Saved {
  runs: BackendRun[];
  env: Environment | null;
}

function startWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'speed-lab' });
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(digits)).toString());
const variantLabel = (k: VariantKind) => VARIANTS.find((v) => v.kind === k)?.label ?? k;
const shortVariant = (k: VariantKind) => ({ baseline: 'float32', uint8: 'uint8', float16: 'float16', sparse80: 'sparse 80%', structured50: 'structured −50%' })[k] ?? k;
const rowLabel = (r: VariantResult) => `${r.backendId} · ${r.model} ${shortVariant(r.variant)}`;

export default function SpeedWorkspace({ lab }: Props) {
  const store = useMemo(() => progressStore(), []);
  const saved = useMemo(() => (store.lab(lab.id)?.state ?? null) as Saved | null, [store, lab.id]);
  const [env, setEnv] = useState<Environment | null>(saved?.env ?? null);
  const [backends, setBackends] = useState<Availability[] | null>(null);
  const [detectError, setDetectError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [models, setModels] = useState<Record<ModelName, boolean>>({ dense: true, cnn: false, custom: false });
  const [custom, setCustom] = useState<{ name: string; bytes: Uint8Array }[] | null>(null);
  const [variants, setVariants] = useState<Record<VariantKind, boolean>>({ baseline: true, uint8: true, float16: false, sparse80: true, structured50: true });
  const [budget, setBudget] = useState(2000);
  const [batchSize, setBatchSize] = useState(1);
  const [doSweep, setDoSweep] = useState(true);
  const [network, setNetwork] = useState(TTFP_NETWORK);
  const [runs, setRuns] = useState<BackendRun[]>(saved?.runs ?? []);
  const [busy, setBusy] = useState<{ fraction: number; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const worker = useRef<Worker | null>(null);
  const abortRun = useRef<(() => void) | null>(null);
  const cancelled = useRef(false);

  // Detect backends and capture the environment in a worker (tfjs never loads on the main thread).
  useEffect(() => {
    const w = startWorker();
    w.onmessage = (e: MessageEvent<Reply>) => {
      if (e.data.type === 'detected') {
        setEnv(e.data.env);
        setBackends(e.data.backends);
        const ok = (id: string) => e.data.type === 'detected' && e.data.backends.some((b) => b.id === id && b.available);
        const wasm = ['wasm-simd-threads', 'wasm-simd', 'wasm'].find(ok);
        setChosen({ cpu: true, ...(wasm ? { [wasm]: true } : {}), webgl: ok('webgl') });
      } else if (e.data.type === 'error') setDetectError(e.data.message);
      w.terminate();
    };
    w.onerror = (e) => setDetectError(e.message || 'the worker failed to start');
    w.postMessage({ type: 'detect' } satisfies Request);
    return () => w.terminate();
  }, []);

  const measured = useMemo(() => measure(runs), [runs]);
  const evaluations = useMemo(() => evaluateCriteria(lab.criteria, measured), [lab.criteria, measured]);

  function persist(next: BackendRun[], e: Environment | null) {
    const m = measure(next);
    const results = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v, unit: UNITS[k] }]));
    store.recordLab(lab.id, { results, criteria: metMap(evaluateCriteria(lab.criteria, m)), state: JSON.parse(JSON.stringify({ runs: next, env: e })) });
  }

  function runOne(req: Extract<Request, { type: 'run' }>): Promise<BackendRun> {
    return new Promise((resolve, reject) => {
      const w = startWorker();
      worker.current = w;
      // A watchdog: a backend that hangs while starting (or a stuck GPU driver) must not block the lab forever.
      let watchdog = 0;
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = window.setTimeout(() => {
          w.terminate();
          reject(new Error(`no response for ${WATCHDOG_MS / 1000} s; the backend may have hung while starting, so it was stopped`));
        }, WATCHDOG_MS);
      };
      arm();
      abortRun.current = () => {
        clearTimeout(watchdog);
        w.terminate();
        reject(new Error('cancelled'));
      };
      w.onmessage = (e: MessageEvent<Reply>) => {
        const r = e.data;
        if (r.type === 'progress') arm();
        else clearTimeout(watchdog);
        if (r.type === 'progress') setBusy({ fraction: r.fraction, message: r.message });
        else if (r.type === 'done') {
          w.terminate();
          resolve(r.run);
        } else if (r.type === 'error') {
          w.terminate();
          reject(new Error(r.message));
        }
      };
      w.onerror = (e) => {
        clearTimeout(watchdog);
        w.terminate();
        reject(new Error(e.message || 'the worker failed'));
      };
      w.postMessage(req);
    });
  }

  async function start() {
    const ids = Object.entries(chosen).filter(([, v]) => v).map(([k]) => k);
    const ms = (Object.keys(models) as ModelName[]).filter((m) => models[m]);
    const vs = (Object.keys(variants) as VariantKind[]).filter((v) => variants[v]);
    if (!ids.length || !ms.length || !vs.length) {
      setError('Choose at least one backend, one model and one variant.');
      return;
    }
    setError(null);
    setNotice('');
    cancelled.current = false;
    const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
    let next = runs.slice();
    for (const [i, id] of ids.entries()) {
      if (cancelled.current) break;
      const spec = backends?.find((b) => b.id === id)?.spec ?? { backend: id as 'cpu' };
      setBusy({ fraction: 0, message: `backend ${i + 1} of ${ids.length}: ${id}` });
      try {
        const fresh = await runOne({ type: 'run', spec, models: ms, variants: vs, base, wasm: WASM, options: { budgetMs: budget, minRuns: 30, batchSize, sweep: doSweep ? SWEEP : [] }, ...(custom && models.custom ? { custom } : {}) });
        const run = mergeRun(runs.find((r) => r.id === fresh.id), fresh);
        next = [...next.filter((r) => r.id !== run.id), run];
        setRuns(next);
        persist(next, env);
      } catch (e) {
        if (!cancelled.current) setError(`${id}: ${(e as Error).message}`);
      }
    }
    worker.current = null;
    setBusy(null);
    setNotice(cancelled.current ? 'Cancelled: the worker was stopped and its memory freed.' : 'Done.');
  }

  function cancel() {
    cancelled.current = true;
    abortRun.current?.();
    abortRun.current = null;
    worker.current?.terminate();
    worker.current = null;
    setBusy(null);
    setNotice('Cancelled: the worker was stopped and its memory freed.');
  }

  function clearResults() {
    setRuns([]);
    persist([], env);
  }

  const results = runs.flatMap((r) => r.results);
  const net = NETWORKS.find((n) => n.id === network) ?? NETWORKS[0];
  const ttfp = ttfpRows(runs, net);
  const pairs = structuredPairs(runs);
  const distSvg = results.length ? latencyDistributionSvg(results.map((r) => ({ label: rowLabel(r), result: r }))) : '';
  const sweepResults = results.filter((r) => r.sweep.length > 1);
  const latSvg = sweepResults.length ? batchLatencySvg(sweepResults, (r) => `${r.backendId} ${r.model}`) : '';
  const thrSvg = sweepResults.length ? batchThroughputSvg(sweepResults, (r) => `${r.backendId} ${r.model}`) : '';
  const ttfpChart = ttfp.length ? ttfpSvg(ttfp.map((t) => ({ label: `${t.backendId} · ${t.model} ${shortVariant(t.variant as VariantKind)}`, t })), net.label) : '';
  const leaks = runs.reduce((s, r) => s + r.results.reduce((a, x) => a + x.leaked, 0) + (r.started.ok ? r.tensorsAfter - r.tensorsBefore : 0), 0);

  function tables(): ReportTable[] {
    const t: ReportTable[] = [];
    if (backends) t.push({ title: 'Backends', columns: ['Backend', 'Available', 'Reason'], rows: backends.map((b) => [b.label, b.available, b.reason ?? '']) });
    t.push({
      title: 'Steady state (batch ' + batchSize + ')',
      columns: ['Backend', 'Model', 'Variant', 'Params', 'Bytes (gzip)', 'First inference ms', 'Median ms', '95% CI of median', 'p95 ms', 'IQR ms', 'Min ms', 'Runs', 'Stopped by', 'Samples/s'],
      rows: results.map((r) => [r.backendId, r.model, variantLabel(r.variant), r.params, r.gzipBytes, fmt(r.first.warmupMs), fmt(r.summary.median), `${fmt(r.summary.ci.lower)}–${fmt(r.summary.ci.upper)}`, fmt(r.summary.p95), fmt(r.summary.iqr), fmt(r.summary.min), r.summary.n, r.stopReason, fmt(r.summary.throughput, 4)]),
    });
    if (sweepResults.length)
      t.push({
        title: 'Batch sweep (median ms per batch; samples/s)',
        columns: ['Backend', 'Model', ...SWEEP.map((b) => `b=${b}`)],
        rows: sweepResults.map((r) => [r.backendId, r.model, ...SWEEP.map((b) => {
          const p = r.sweep.find((x) => x.batchSize === b);
          return p ? `${fmt(p.summary.median)} ms; ${fmt(p.summary.throughput, 4)}/s` : '';
        })]),
      });
    if (pairs.length) t.push({ title: 'Structured pruning vs baseline (same backend)', columns: ['Backend', 'Model', 'Median ratio', 'CIs disjoint', 'Faster'], rows: pairs.map((p) => [p.backendId, p.model, fmt(p.ratio), p.disjoint, p.faster]) });
    if (ttfp.length)
      t.push({
        title: `Time to first prediction (${net.label})`,
        columns: ['Backend', 'Model', 'Variant', 'Download ms', 'Load ms', 'Warm-up ms', 'First prediction ms', 'Total ms'],
        rows: ttfp.map((x) => [x.backendId, x.model, variantLabel(x.variant as VariantKind), Math.round(x.downloadMs), fmt(x.loadMs), fmt(x.warmupMs), fmt(x.firstPredictionMs), Math.round(x.totalMs)]),
      });
    return t;
  }

  function downloadReport() {
    const charts: ReportChart[] = [];
    if (distSvg) charts.push({ title: 'Latency distribution per backend and variant', svg: distSvg });
    if (latSvg) charts.push({ title: 'Batch scaling: latency', svg: latSvg });
    if (thrSvg) charts.push({ title: 'Batch scaling: throughput', svg: thrSvg });
    if (ttfpChart) charts.push({ title: 'Time to first prediction by phase', svg: ttfpChart });
    const environment: Record<string, string> = env ? Object.fromEntries(environmentRows(env)) : {};
    for (const r of runs) if (r.started.ok && r.started.wasm) environment[`${r.id} threads / SIMD`] = `${r.started.wasm.threadsCount ?? '?'} / ${r.started.wasm.simd}`;
    const md = labReportMarkdown({
      lab: { id: lab.id, title: lab.title, url: typeof location !== 'undefined' ? location.href : undefined },
      environment,
      criteria: evaluations,
      measured,
      units: UNITS,
      tables: tables(),
      charts,
      notes: `Each timed run awaited \`data()\`. The variants of one model were timed side by side, one run of each per round in a rotating order. Steady state: 5 warm-up rounds, then at least 30 timed runs each until the 95% confidence interval of the median was within ±2% or the budget (${budget} ms per variant) was spent. Percentiles are type 7 (linear interpolation); the median's CI uses order statistics (binomial, distribution-free). Tensors leaked across all runs: ${leaks}.`,
    });
    downloadFile(reportFileName(lab.id, 'md'), md, mime.markdown);
  }

  const available = (id: string) => backends?.find((b) => b.id === id);

  return (
    <div className="speed-lab">
      <section aria-labelledby="speed-env">
        <h2 id="speed-env">1. Your machine and its backends</h2>
        {!backends && !detectError && <p>Detecting backends…</p>}
        {detectError && <p role="alert">Backend detection failed: {detectError}</p>}
        {env && (
          <p className="speed-env-line" data-testid="timer">
            Timer resolution: <strong>{fmt(env.timer.stepMs * 1000)} µs</strong> · crossOriginIsolated: <strong>{String(env.crossOriginIsolated)}</strong> ·{' '}
            {env.hardwareConcurrency ?? '?'} logical cores · TensorFlow.js {env.tfjs}
          </p>
        )}
        {backends && (
          <fieldset>
            <legend>Backends to measure</legend>
            <ul className="speed-backends">
              {backends.map((b) => (
                <li key={b.id} data-backend={b.id} data-available={String(b.available)}>
                  <label>
                    <input type="checkbox" disabled={!b.available || !!busy} checked={!!chosen[b.id] && b.available} onChange={(e) => setChosen({ ...chosen, [b.id]: e.target.checked })} />{' '}
                    {b.label}
                  </label>
                  {b.available ? (b.details?.renderer ? <span className="speed-muted"> — {String(b.details.renderer)}</span> : null) : <span className="speed-reason"> — unavailable: {b.reason}</span>}
                </li>
              ))}
            </ul>
          </fieldset>
        )}
      </section>

      <section aria-labelledby="speed-setup">
        <h2 id="speed-setup">2. What to measure</h2>
        <div className="speed-grid">
          <fieldset>
            <legend>Models</legend>
            {(['dense', 'cnn', 'custom'] as ModelName[]).map((m) => (
              <label key={m}>
                <input type="checkbox" checked={models[m]} disabled={!!busy || (m === 'custom' && !custom)} onChange={(e) => setModels({ ...models, [m]: e.target.checked })} />{' '}
                {m === 'dense' ? 'dense (MLP)' : m === 'cnn' ? 'CNN' : 'your own model'}
              </label>
            ))}
            <label className="speed-upload">
              Your own tfjs LayersModel (model.json and its .bin files){' '}
              <input
                type="file"
                multiple
                accept=".json,.bin"
                disabled={!!busy}
                onChange={async (e) => {
                  const files = Array.from(e.target.files ?? []);
                  if (!files.length) return;
                  const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
                  setCustom(read);
                  setModels((m) => ({ ...m, custom: true }));
                  setNotice(`Chosen: ${files.map((f) => f.name).join(', ')}. The files are checked when the benchmark starts.`);
                }}
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Variants</legend>
            {VARIANTS.map((v) => (
              <label key={v.kind} title={v.note}>
                <input type="checkbox" checked={variants[v.kind]} disabled={!!busy} onChange={(e) => setVariants({ ...variants, [v.kind]: e.target.checked })} /> {v.label}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Settings</legend>
            <label>
              Budget{' '}
              <select value={budget} disabled={!!busy} onChange={(e) => setBudget(Number(e.target.value))}>
                {BUDGETS.map((b) => (
                  <option key={b.ms} value={b.ms}>{b.label}</option>
                ))}
              </select>
            </label>
            <label>
              Batch size{' '}
              <select value={batchSize} disabled={!!busy} onChange={(e) => setBatchSize(Number(e.target.value))}>
                {[1, 8, 32, 128].map((b) => (
                  <option key={b} value={b}>{b}</option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={doSweep} disabled={!!busy} onChange={(e) => setDoSweep(e.target.checked)} /> batch sweep 1…256 (baselines)
            </label>
          </fieldset>
        </div>
        <div className="speed-actions">
          <button type="button" onClick={start} disabled={!!busy || !backends}>Run benchmark</button>
          <button type="button" onClick={cancel} disabled={!busy}>Cancel</button>
          <button type="button" onClick={clearResults} disabled={!!busy || !runs.length}>Clear results</button>
        </div>
        {busy && (
          <div className="speed-progress">
            <progress max={1} value={busy.fraction} aria-label="Benchmark progress" />
            <span aria-live="polite">{busy.message}</span>
          </div>
        )}
        {error && <p role="alert" className="speed-error">{error}</p>}
        {notice && <p aria-live="polite" data-testid="notice">{notice}</p>}
      </section>

      <section aria-labelledby="speed-results">
        <h2 id="speed-results">3. Results</h2>
        {!results.length && !runs.length && <p>No measurements yet.</p>}
        {runs.flatMap((r) => (r.skipped ?? []).map((x) => `${r.label}: ${x}`)).map((x) => (
          <p key={x} className="speed-reason" data-testid="skipped">Not measured — {x}</p>
        ))}
        {runs.filter((r) => !r.started.ok).map((r) => (
          <p key={r.id} className="speed-reason" data-testid={`refused-${r.id}`}>{r.label}: not run — {(r.started as { reason: string }).reason}</p>
        ))}
        {results.length > 0 && (
          <div className="speed-table-wrap" tabIndex={0} role="region" aria-label="Steady-state results">
            <table className="speed-table" data-testid="results">
              <thead>
                <tr>
                  <th>Backend</th><th>Model</th><th>Variant</th><th>gzip bytes</th><th>First inference ms</th><th>Median ms</th><th>95% CI</th><th>p95 ms</th><th>IQR ms</th><th>Runs</th><th>Samples/s</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr key={`${r.backendId}-${r.model}-${r.variant}`} data-backend={r.backendId} data-model={r.model} data-variant={r.variant}>
                    <td>{r.backendId}</td><td>{r.model}</td><td>{variantLabel(r.variant)}</td><td>{r.gzipBytes.toLocaleString('en')}</td><td>{fmt(r.first.warmupMs)}</td>
                    <td><strong>{fmt(r.summary.median)}</strong></td><td>{fmt(r.summary.ci.lower)}–{fmt(r.summary.ci.upper)}</td><td>{fmt(r.summary.p95)}</td><td>{fmt(r.summary.iqr)}</td>
                    <td>{r.summary.n}</td><td>{fmt(r.summary.throughput, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {runs.length > 0 && <p data-testid="leaks">Tensors leaked across runs: <strong>{leaks}</strong></p>}
        {distSvg && <figure className="speed-chart" dangerouslySetInnerHTML={{ __html: distSvg }} />}
        {latSvg && <figure className="speed-chart" dangerouslySetInnerHTML={{ __html: latSvg }} />}
        {thrSvg && <figure className="speed-chart" dangerouslySetInnerHTML={{ __html: thrSvg }} />}
        {ttfp.length > 0 && (
          <>
            <label>
              Network for time to first prediction{' '}
              <select value={network} onChange={(e) => setNetwork(e.target.value)}>
                {NETWORKS.map((n) => (
                  <option key={n.id} value={n.id}>{n.label}</option>
                ))}
              </select>
            </label>
            <figure className="speed-chart" dangerouslySetInnerHTML={{ __html: ttfpChart }} />
          </>
        )}
      </section>

      <section aria-labelledby="speed-criteria">
        <h2 id="speed-criteria">4. Acceptance criteria</h2>
        <ul className="speed-criteria">
          {evaluations.map((e) => (
            <li key={e.criterion.id} data-criterion={e.criterion.id} data-status={e.status}>
              <span aria-hidden="true">{e.status === 'met' ? '✅' : e.status === 'not-met' ? '❌' : '⏳'}</span> {e.criterion.label} <span className="speed-muted">({describeRule(e.criterion)}; measured: {e.value === undefined ? 'not yet' : formatNumber(e.value)})</span>
            </li>
          ))}
        </ul>
        <button type="button" onClick={downloadReport} disabled={!runs.length}>Download lab report (Markdown)</button>
      </section>
    </div>
  );
}
