import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Criterion } from '../../../schemas';
import { evaluateCriteria, metMap, describeRule, formatNumber, summarize } from '../../../labkit/report/criteria';
import { labReportMarkdown, reportFileName, type ReportChart } from '../../../labkit/report/report';
import { scatterChart, lineChart, escapeXml } from '../../../labkit/report/svg';
import { zipFiles } from '../../../labkit/report/zip';
import { downloadFile, mime } from '../../../labkit/report/download';
import { progressStore } from '../../../labkit/progress';
import type { Backend, Envelope, Histogram, ModelSummary, PruneRequest, Reply, Request, Variant } from './protocol.ts';
import { measure, UNITS } from './measure.ts';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import './workspace.css';

interface Props {
  lab: { id: string; title: string; criteria: Criterion[] };
}

interface Job {
  id: number;
  label: string;
  fraction: number;
  message: string;
}

interface Sweep {
  points: { sparsity: number; accuracy: number; perLayer: { layer: string; sparsity: number }[] }[];
  reference: number;
  scope: string;
}

interface SavedState {
  source: string;
  backend: string;
  variants: Variant[];
  sweep: Sweep | null;
}

const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;
const kb = (n: number | null | undefined) => (n == null ? '—' : `${(n / 1024).toFixed(1)} KB`);

/** A small promise wrapper around the worker. */
function useWorker(backend: Backend, onReady: (info: Record<string, unknown>) => void, onFail: (m: string) => void) {
  const worker = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, { resolve: (v: unknown) => void; reject: (e: Error & { cancelled?: boolean }) => void; progress: (f: number, m: string) => void }>());
  const next = useRef(1);
  const [numTensors, setNumTensors] = useState<number | null>(null);

  const call = useCallback(<T,>(request: Request, progress: (f: number, m: string) => void = () => {}): { id: number; promise: Promise<T> } => {
    const id = next.current++;
    const promise = new Promise<T>((resolve, reject) => {
      pending.current.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      worker.current?.postMessage({ id, request } satisfies Envelope);
    });
    return { id, promise };
  }, []);

  const cancel = useCallback((id: number) => worker.current?.postMessage({ id, cancel: true } satisfies Envelope), []);

  useEffect(() => {
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'quantize-prune' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<Reply>) => {
      const r = e.data;
      const p = pending.current.get(r.id);
      if (!p) return;
      if (r.kind === 'progress') return p.progress(r.fraction, r.message);
      pending.current.delete(r.id);
      setNumTensors(r.numTensors);
      if (r.kind === 'done') p.resolve(r.result);
      else p.reject(Object.assign(new Error(r.message), { cancelled: r.cancelled }));
    };
    w.onerror = (e) => onFail(`the worker failed: ${e.message}`);
    const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
    const wasm = { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded };
    call<Record<string, unknown>>({ type: 'init', backend, base, wasm }).promise.then(onReady, (err: Error) => onFail(err.message));
    return () => {
      w.terminate();
      worker.current = null;
      for (const p of pending.current.values()) p.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
      pending.current.clear();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend]);

  return { call, cancel, numTensors };
}

function histogramSvg(h: Histogram): string {
  const width = 640;
  const height = 260;
  const left = 48;
  const right = width - 12;
  const top = 30;
  const bottom = height - 40;
  const peak = Math.max(1, ...h.before, ...h.after);
  const bw = (right - left) / h.before.length;
  const x = (v: number) => left + ((v - h.min) / (h.max - h.min || 1)) * (right - left);
  const y = (c: number) => bottom - (c / peak) * (bottom - top);
  const bars = (arr: number[], color: string, inset: number) =>
    arr.map((c, i) => (c ? `<rect x="${(left + i * bw + inset).toFixed(2)}" y="${y(c).toFixed(2)}" width="${Math.max(0.5, bw - 2 * inset).toFixed(2)}" height="${(bottom - y(c)).toFixed(2)}" fill="${color}"/>` : '')).join('');
  const grid = (h.grid ?? []).map((g) => `<line x1="${x(g).toFixed(2)}" x2="${x(g).toFixed(2)}" y1="${bottom}" y2="${bottom + 8}" stroke="#D55E00" stroke-width="1"/>`).join('');
  const title = `Weights of ${h.weight}: before (blue) and after ${h.dtype} (orange)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="12">
<title>${escapeXml(title)}</title><desc>${escapeXml(`${h.gridNote}. Range ${h.min.toPrecision(3)} to ${h.max.toPrecision(3)}.`)}</desc>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${left}" y="18" fill="#1b1f24" font-weight="600">${escapeXml(title)}</text>
${bars(h.before, '#0072B2', 0)}${bars(h.after, 'rgba(213,94,0,0.65)', bw * 0.25)}
<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#57606a"/>${grid}
<text x="${left}" y="${bottom + 24}" fill="#57606a">${escapeXml(h.min.toPrecision(3))}</text>
<text x="${right}" y="${bottom + 24}" fill="#57606a" text-anchor="end">${escapeXml(h.max.toPrecision(3))}</text>
<text x="${(left + right) / 2}" y="${bottom + 24}" fill="#57606a" text-anchor="middle">${escapeXml(h.grid ? 'orange ticks: the quantization grid' : h.gridNote)}</text>
</svg>`;
}

export default function QuantizePruneWorkspace({ lab }: Props) {
  const store = useMemo(() => progressStore(), []);
  const saved = useMemo(() => (store.lab(lab.id)?.state ?? null) as SavedState | null, [store, lab.id]);
  const [backend, setBackend] = useState<Backend>('wasm');
  const [ready, setReady] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string>('');
  const [model, setModel] = useState<ModelSummary | null>(null);
  const [variants, setVariants] = useState<Variant[]>(saved?.variants ?? []);
  const [restored, setRestored] = useState<boolean>(!!saved?.variants?.length);
  const [sweep, setSweep] = useState<Sweep | null>(saved?.sweep ?? null);
  const [job, setJob] = useState<Job | null>(null);
  const [hist, setHist] = useState<Histogram | null>(null);
  const [histLayer, setHistLayer] = useState('');
  const [histVariant, setHistVariant] = useState('');
  const [baselineTensors, setBaselineTensors] = useState<number | null>(null);
  const [verify, setVerify] = useState<Record<string, unknown> | null>(null);
  // Form state
  const [qLayers, setQLayers] = useState<string[] | null>(null);
  const [prune, setPrune] = useState<PruneRequest>({ target: 0.8, scope: 'global', schedule: 'polynomial', initialSparsity: 0.5, power: 3, frequency: 10, endFraction: 0.5, epochs: 3, trainImages: 10000, quantizeAfter: true });
  const [structFraction, setStructFraction] = useState(0.5);
  const [structEpochs, setStructEpochs] = useState(2);
  const [sweepScope, setSweepScope] = useState<'per-tensor' | 'global'>('per-tensor');

  const { call, cancel, numTensors } = useWorker(backend, (info) => { setReady(info); setError(null); }, (m) => setError(m));

  const measured = useMemo(() => measure(variants), [variants]);
  const evaluations = useMemo(() => evaluateCriteria(lab.criteria, measured), [lab.criteria, measured]);

  // Persist results, criteria and the table after every change.
  useEffect(() => {
    if (!variants.length) return;
    const results: Record<string, { value: number; unit?: string }> = {};
    for (const [k, v] of Object.entries(measured)) results[k] = { value: v, unit: UNITS[k] };
    const state: SavedState = { source: variants[0]?.source ?? '', backend, variants, sweep };
    store.recordLab(lab.id, { results, criteria: metMap(evaluations), state: JSON.parse(JSON.stringify(state)) });
  }, [variants, sweep, measured, evaluations, store, lab.id, backend]);

  const run = useCallback(
    async <T,>(label: string, request: Request): Promise<T | null> => {
      if (job) return null;
      setError(null);
      const { id, promise } = call<T>(request, (fraction, message) => setJob((j) => (j && j.id === id ? { ...j, fraction, message } : j)));
      setJob({ id, label, fraction: 0, message: 'starting' });
      try {
        const r = await promise;
        setNotice(`${label}: done.`);
        return r;
      } catch (e) {
        const err = e as Error & { cancelled?: boolean };
        if (err.cancelled) setNotice(`${label}: cancelled.`);
        else setError(`${label}: ${err.message}`);
        return null;
      } finally {
        setJob(null);
      }
    },
    [call, job],
  );

  const addVariants = (vs: Variant | Variant[] | null) => {
    if (!vs) return;
    const list = Array.isArray(vs) ? vs : [vs];
    setVariants((old) => [...old, ...list]);
    const last = list.filter((v) => v.exportable).at(-1);
    if (last) setHistVariant(last.id);
  };

  const loadModel = async (req: Request, label: string) => {
    const r = await run<{ summary: ModelSummary; variant: Variant }>(label, req);
    if (!r) return;
    setModel(r.summary);
    setVariants([r.variant]);
    setRestored(false);
    setSweep(null);
    setHist(null);
    setVerify(null);
    setQLayers(null);
    const firstKernel = r.summary.layers.find((l) => l.kernelShape);
    setHistLayer(firstKernel?.name ?? '');
    setHistVariant(r.variant.id);
    const mem = await call<{ numTensors: number }>({ type: 'memory' }).promise;
    setBaselineTensors(mem.numTensors);
  };

  const onUpload = async (files: FileList | null) => {
    if (!files?.length) return;
    const list = await Promise.all([...files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    await loadModel({ type: 'load-upload', files: list }, 'Load your model');
  };

  const exportVariant = async (v: Variant) => {
    const r = await run<{ modelJson: string; weightData: Uint8Array; weightsFile: string }>(`Export ${v.name}`, { type: 'export', variant: v.id });
    if (!r) return;
    const folder = `${v.source.split(' ')[0]}-${v.id}`.replace(/[^a-z0-9-]+/gi, '-');
    downloadFile(`${folder}.zip`, zipFiles({ 'model.json': r.modelJson, [r.weightsFile]: r.weightData }, folder), mime.zip);
  };

  const doVerify = async (v: Variant) => {
    const r = await run<Record<string, unknown>>(`Reload ${v.name}`, { type: 'verify', variant: v.id });
    if (r) setVerify({ ...r, name: v.name });
  };

  const showHistogram = async () => {
    if (!histLayer || !histVariant) return;
    const r = await run<Histogram>('Histogram', { type: 'histogram', layer: histLayer, variant: histVariant, bins: 80 });
    if (r) setHist(r);
  };

  const baseline = variants.find((v) => v.kind === 'baseline');
  const exportable = variants.filter((v) => v.exportable && !restored);

  const sizeChart = useMemo(() => {
    const kinds = [...new Set(variants.filter((v) => v.gzipBytes).map((v) => v.kind))];
    return scatterChart({
      title: 'Size against accuracy, every variant',
      description: 'Gzipped weight bytes (x, log scale) against test accuracy (y) for every exported variant.',
      xLabel: 'gzipped weights (KB)',
      yLabel: 'test accuracy (%)',
      xScale: 'log2',
      series: kinds.map((k) => ({ name: k, points: variants.filter((v) => v.kind === k && v.gzipBytes).map((v) => ({ x: v.gzipBytes! / 1024, y: v.accuracy * 100, label: v.id })) })),
    });
  }, [variants]);

  const sweepChart = useMemo(
    () =>
      sweep
        ? lineChart({
            title: `Accuracy against sparsity (one-shot, ${sweep.scope}, no fine-tuning)`,
            xLabel: 'sparsity (%)',
            yLabel: 'test accuracy (%)',
            series: [{ name: 'one-shot magnitude pruning', points: sweep.points.map((p) => ({ x: p.sparsity * 100, y: p.accuracy * 100 })) }],
          })
        : null,
    [sweep],
  );

  const downloadReport = () => {
    const charts: ReportChart[] = [{ title: 'Size against accuracy', svg: sizeChart }];
    if (sweepChart) charts.push({ title: 'Accuracy against sparsity', svg: sweepChart });
    if (hist) charts.push({ title: `Weight histogram of ${hist.weight}`, svg: histogramSvg(hist) });
    const md = labReportMarkdown({
      lab: { id: lab.id, title: lab.title, url: typeof location === 'undefined' ? undefined : location.href },
      environment: {
        'user agent': navigator.userAgent,
        'CPU cores': navigator.hardwareConcurrency,
        'tfjs backend': String(ready?.backend ?? backend),
        'tfjs version': String(ready?.tfjs ?? ''),
        'wasm SIMD': ready?.simd == null ? null : Boolean(ready.simd),
        crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
        model: variants[0]?.source ?? '',
        'test images': 5000,
      },
      criteria: evaluations,
      measured,
      units: UNITS,
      tables: [
        {
          title: 'Variants',
          columns: ['id', 'variant', 'kind', 'params', 'raw bytes', 'gzipped bytes', 'accuracy (%)', 'drop (pp)', 'agreement (%)', 'max logit diff', 'sparsity (%)', 'ms / 100 images', 'exportable'],
          rows: variants.map((v) => [v.id, v.name, v.kind, v.params, v.rawBytes, v.gzipBytes, v.accuracy * 100, v.accuracyDropPp, v.agreement * 100, v.maxLogitDiff, v.sparsity == null ? null : v.sparsity * 100, v.msPerBatch ?? null, v.exportable]),
        },
        ...variants
          .filter((v) => v.perLayer)
          .slice(-2)
          .map((v) => ({ title: `Per-layer sparsity: ${v.name}`, columns: ['layer', 'weights', 'zeros', 'sparsity (%)'], rows: v.perLayer!.map((l) => [l.layer, l.size, l.zeros, l.sparsity * 100]) })),
      ],
      charts,
      notes: [
        'tfjs dequantizes uint8/uint16/float16 weights to float32 when it loads them and has no sparse kernels: quantized and unstructured-sparse models download faster but do not compute faster. Structured pruning removes whole units or filters and does.',
        ...variants.filter((v) => v.note).map((v) => `- ${v.name}: ${v.note}`),
      ].join('\n\n'),
    });
    downloadFile(reportFileName(lab.id, 'md'), md, mime.markdown);
  };

  const busy = !!job || !ready;
  const sum = summarize(evaluations);
  const kernelLayers = model?.layers.filter((l) => l.kernelShape) ?? [];

  return (
    <div className="qp">
      <p className="qp-status" role="status" aria-live="polite">
        {error ? '' : !ready ? 'Starting TensorFlow.js in a worker…' : `TensorFlow.js ${String(ready.tfjs)} on ${String(ready.backend)}${ready.simd ? ' (SIMD)' : ''}, in a Web Worker.`}{' '}
        {numTensors !== null && <span data-testid="num-tensors">Tensors in memory: {numTensors}{baselineTensors !== null ? ` (baseline ${baselineTensors})` : ''}.</span>} {notice}
      </p>
      {error && (
        <p className="qp-error" role="alert">
          {error}
        </p>
      )}

      <section aria-labelledby="qp-model">
        <h2 id="qp-model">1. Model</h2>
        <div className="qp-row">
          <label>
            Backend{' '}
            <select value={backend} disabled={!!job} onChange={(e) => { setReady(null); setModel(null); setBackend(e.target.value as Backend); }}>
              <option value="wasm">wasm</option>
              <option value="cpu">cpu (slow)</option>
              <option value="webgl">webgl</option>
              <option value="webgpu">webgpu</option>
            </select>
          </label>
          <button type="button" disabled={busy} onClick={() => loadModel({ type: 'load-baseline', name: 'dense' }, 'Load the dense baseline')}>Load dense baseline</button>
          <button type="button" disabled={busy} onClick={() => loadModel({ type: 'load-baseline', name: 'cnn' }, 'Load the CNN baseline')}>Load CNN baseline</button>
          <label className="qp-upload">
            Or your own tfjs LayersModel (model.json + .bin files):{' '}
            <input type="file" multiple accept=".json,.bin" disabled={busy} onChange={(e) => onUpload(e.target.files)} />
          </label>
        </div>
        {model && (
          <p data-testid="model-summary">
            <strong>{model.source}</strong>: {model.params.toLocaleString('en')} parameters, {model.rawBytes.toLocaleString('en')} bytes of float32 weights
            ({model.gzipBytes.toLocaleString('en')} gzipped), test accuracy <strong>{pct(model.accuracy)}</strong>. Layers:{' '}
            {model.layers.map((l) => `${l.name} (${l.className})`).join(', ')}.
          </p>
        )}
        {restored && (
          <p className="qp-note">Results from your last visit are shown below and count toward the criteria. Load a model to make new variants (exports need them made again).</p>
        )}
      </section>

      {job && (
        <div className="qp-job" data-testid="job">
          <label>
            {job.label}: {job.message}
            <progress max={1} value={job.fraction} />
          </label>
          <button type="button" onClick={() => cancel(job.id)}>Cancel</button>
        </div>
      )}

      <section aria-labelledby="qp-quant">
        <h2 id="qp-quant">2. Quantize the weights</h2>
        <fieldset disabled={busy || !model}>
          <legend>Layers to quantize</legend>
          <label>
            <input type="checkbox" checked={qLayers === null} onChange={(e) => setQLayers(e.target.checked ? null : (model?.layers.filter((l) => l.params > 0).map((l) => l.name) ?? []))} /> whole model
          </label>
          {qLayers !== null &&
            model?.layers.filter((l) => l.params > 0).map((l) => (
              <label key={l.name}>
                <input type="checkbox" checked={qLayers.includes(l.name)} onChange={(e) => setQLayers((q) => (e.target.checked ? [...(q ?? []), l.name] : (q ?? []).filter((n) => n !== l.name)))} /> {l.name}
              </label>
            ))}
        </fieldset>
        <div className="qp-row">
          {(['uint8', 'uint16', 'float16'] as const).map((dt) => (
            <button key={dt} type="button" disabled={busy || !model || (qLayers !== null && !qLayers.length)} onClick={async () => addVariants(await run<Variant>(`Quantize ${dt}`, { type: 'quantize', dtype: dt, layers: qLayers }))}>
              Quantize {dt}
            </button>
          ))}
        </div>
        <details>
          <summary>Experiments beyond the converter (not exportable)</summary>
          <p>These go past what the tfjs weights format can store, so they are evaluated here only.</p>
          <div className="qp-row">
            <button type="button" disabled={busy || !model} onClick={async () => addVariants(await run<Variant>('int8 per-channel', { type: 'experiment', kind: 'int8' }))}>Symmetric int8 per-channel weights</button>
            <button type="button" disabled={busy || !model} onClick={async () => addVariants(await run<Variant>('Full-integer simulation', { type: 'experiment', kind: 'full-integer' }))}>Simulated full-integer inference</button>
          </div>
        </details>
        <div className="qp-row">
          <label>
            Layer{' '}
            <select value={histLayer} onChange={(e) => setHistLayer(e.target.value)} disabled={!model}>
              {kernelLayers.map((l) => (<option key={l.name} value={l.name}>{l.name}</option>))}
            </select>
          </label>
          <label>
            Variant{' '}
            <select value={histVariant} onChange={(e) => setHistVariant(e.target.value)} disabled={!model}>
              {exportable.map((v) => (<option key={v.id} value={v.id}>{v.id}: {v.name}</option>))}
            </select>
          </label>
          <button type="button" disabled={busy || !model} onClick={showHistogram}>Show weight histogram</button>
        </div>
        {hist && <figure className="qp-chart" dangerouslySetInnerHTML={{ __html: histogramSvg(hist) }} />}
        {hist && <p className="qp-note">{hist.gridNote}</p>}
      </section>

      <section aria-labelledby="qp-prune">
        <h2 id="qp-prune">3. Prune</h2>
        <fieldset disabled={busy || !model} className="qp-grid">
          <legend>Magnitude pruning with fine-tuning (mask held after every step)</legend>
          <label>Target sparsity <input type="number" min={0} max={0.99} step={0.05} value={prune.target} onChange={(e) => setPrune({ ...prune, target: Number(e.target.value) })} /></label>
          <label>
            Threshold{' '}
            <select value={prune.scope} onChange={(e) => setPrune({ ...prune, scope: e.target.value as PruneRequest['scope'] })}>
              <option value="per-tensor">per tensor (TF MOT default)</option>
              <option value="global">global (one threshold for all kernels)</option>
            </select>
          </label>
          <label>
            Schedule{' '}
            <select value={prune.schedule} onChange={(e) => setPrune({ ...prune, schedule: e.target.value as PruneRequest['schedule'] })}>
              <option value="polynomial">polynomial decay</option>
              <option value="constant">constant sparsity</option>
            </select>
          </label>
          {prune.schedule === 'polynomial' && (
            <>
              <label>Initial sparsity <input type="number" min={0} max={0.95} step={0.05} value={prune.initialSparsity} onChange={(e) => setPrune({ ...prune, initialSparsity: Number(e.target.value) })} /></label>
              <label>Power <input type="number" min={1} max={5} step={1} value={prune.power} onChange={(e) => setPrune({ ...prune, power: Number(e.target.value) })} /></label>
              <label>End step (fraction of training) <input type="number" min={0.1} max={1} step={0.1} value={prune.endFraction} onChange={(e) => setPrune({ ...prune, endFraction: Number(e.target.value) })} /></label>
            </>
          )}
          <label>Frequency (steps) <input type="number" min={1} max={500} step={1} value={prune.frequency} onChange={(e) => setPrune({ ...prune, frequency: Number(e.target.value) })} /></label>
          <label>Epochs <input type="number" min={1} max={10} step={1} value={prune.epochs} onChange={(e) => setPrune({ ...prune, epochs: Number(e.target.value) })} /></label>
          <label>Training images <input type="number" min={500} max={10000} step={500} value={prune.trainImages} onChange={(e) => setPrune({ ...prune, trainImages: Number(e.target.value) })} /></label>
          <label><input type="checkbox" checked={prune.quantizeAfter} onChange={(e) => setPrune({ ...prune, quantizeAfter: e.target.checked })} /> then also quantize to uint8</label>
        </fieldset>
        <div className="qp-row">
          <button type="button" disabled={busy || !model} onClick={async () => addVariants(await run<Variant[]>('Prune and fine-tune', { type: 'prune', options: prune }))}>Prune and fine-tune</button>
        </div>
        <div className="qp-row">
          <label>Sweep threshold <select value={sweepScope} onChange={(e) => setSweepScope(e.target.value as 'per-tensor' | 'global')}><option value="per-tensor">per tensor</option><option value="global">global</option></select></label>
          <button type="button" disabled={busy || !model} onClick={async () => { const r = await run<Sweep>('Accuracy–sparsity sweep', { type: 'sweep', scope: sweepScope, sparsities: [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98] }); if (r) setSweep(r); }}>Run accuracy–sparsity sweep</button>
        </div>
        {sweepChart && <figure className="qp-chart" dangerouslySetInnerHTML={{ __html: sweepChart }} />}
        {sweep && (
          <table className="qp-table">
            <caption>Per-layer sparsity achieved in the sweep</caption>
            <thead><tr><th scope="col">target</th><th scope="col">accuracy</th>{sweep.points[0]?.perLayer.map((l) => <th scope="col" key={l.layer}>{l.layer}</th>)}</tr></thead>
            <tbody>{sweep.points.map((p) => (<tr key={p.sparsity}><td>{pct(p.sparsity, 0)}</td><td>{pct(p.accuracy)}</td>{p.perLayer.map((l) => <td key={l.layer}>{pct(l.sparsity, 1)}</td>)}</tr>))}</tbody>
          </table>
        )}
        <fieldset disabled={busy || !model} className="qp-grid">
          <legend>Structured pruning: remove whole units or filters (smallest L2 norm)</legend>
          <label>Fraction removed per hidden layer <input type="number" min={0.1} max={0.9} step={0.05} value={structFraction} onChange={(e) => setStructFraction(Number(e.target.value))} /></label>
          <label>Fine-tuning epochs <input type="number" min={0} max={10} step={1} value={structEpochs} onChange={(e) => setStructEpochs(Number(e.target.value))} /></label>
          <button type="button" onClick={async () => addVariants(await run<Variant>('Structured pruning', { type: 'structured', fraction: structFraction, epochs: structEpochs, trainImages: 10000 }))}>Build the smaller model</button>
        </fieldset>
      </section>

      <section aria-labelledby="qp-results">
        <h2 id="qp-results">4. Results</h2>
        {variants.length > 0 && (
          <div className="qp-scroll">
            <table className="qp-table" data-testid="results">
              <caption>Every variant, measured on the {5000} held-out test images</caption>
              <thead>
                <tr>
                  <th scope="col">id</th><th scope="col">variant</th><th scope="col">raw</th><th scope="col">gzipped</th><th scope="col">gzip vs float32</th><th scope="col">accuracy</th><th scope="col">drop (pp)</th><th scope="col">agreement</th><th scope="col">max logit diff</th><th scope="col">sparsity</th><th scope="col">export</th>
                </tr>
              </thead>
              <tbody>
                {variants.map((v) => (
                  <tr key={v.id} data-variant={v.name}>
                    <td>{v.id}</td>
                    <td>{v.name}{v.note ? <details><summary>note</summary>{v.note}</details> : null}</td>
                    <td>{kb(v.rawBytes)}</td>
                    <td>{kb(v.gzipBytes)}</td>
                    <td>{v.gzipBytes && baseline?.gzipBytes ? `1/${(baseline.gzipBytes / v.gzipBytes).toFixed(2)}` : '—'}</td>
                    <td>{pct(v.accuracy)}</td>
                    <td>{v.accuracyDropPp.toFixed(2)}</td>
                    <td>{pct(v.agreement)}</td>
                    <td>{formatNumber(v.maxLogitDiff)}</td>
                    <td>{v.sparsity == null ? '—' : pct(v.sparsity, 1)}</td>
                    <td>
                      {v.exportable && !restored ? (
                        <>
                          <button type="button" disabled={busy} onClick={() => exportVariant(v)} aria-label={`Download ${v.name} as tfjs files`}>Download</button>{' '}
                          <button type="button" disabled={busy} onClick={() => doVerify(v)} aria-label={`Reload ${v.name} with tf.loadLayersModel`}>Reload</button>
                        </>
                      ) : v.exportable ? 'make again' : 'not exportable'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {verify && (
          <p data-testid="verify" className={verify.same ? 'qp-ok' : 'qp-error'}>
            Reloaded “{String(verify.name)}” with an unmodified tf.loadLayersModel: accuracy {pct(Number(verify.accuracy))}, in-page {pct(Number(verify.expected))} —{' '}
            {verify.same ? 'identical.' : 'different!'}
          </p>
        )}
        {variants.some((v) => v.gzipBytes) && <figure className="qp-chart" dangerouslySetInnerHTML={{ __html: sizeChart }} />}
      </section>

      <section aria-labelledby="qp-criteria">
        <h2 id="qp-criteria">5. Acceptance criteria ({sum.met} of {sum.total} met)</h2>
        <ul className="qp-criteria" data-testid="criteria">
          {evaluations.map((e) => (
            <li key={e.criterion.id} data-status={e.status} data-criterion={e.criterion.id}>
              <span aria-hidden="true">{e.status === 'met' ? '✅' : e.status === 'not-met' ? '❌' : '⏳'}</span> {e.criterion.label}{' '}
              <span className="qp-rule">({describeRule(e.criterion)}; measured {e.value === undefined ? 'not yet' : formatNumber(e.value)})</span>
              <span className="visually-hidden"> — {e.status === 'met' ? 'met' : e.status === 'not-met' ? 'not met' : 'not measured yet'}</span>
            </li>
          ))}
        </ul>
        <div className="qp-row">
          <button type="button" disabled={!variants.length} onClick={downloadReport}>Download lab report (Markdown)</button>
        </div>
      </section>
    </div>
  );
}
