import { useEffect, useId, useRef, useState } from 'react';
import { STATE_COLOURS, taskGraph, timeline } from './graph.ts';
import type { RunRecord } from '../../../../labs/pipeline/lab.ts';

interface Props {
  runs: RunRecord[];
  selected: string | null;
  onSelect(runId: string): void;
  /** The files the lab kept of what runs wrote (path → text): artifacts stay readable after a reload. */
  files: Record<string, string>;
}

const fmtMs = (ms: number | null) => (ms === null ? '–' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtParams = (p: Record<string, unknown>) => (Object.keys(p).length ? Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') : '–');

/** The history of runs; for the selected run, its task graph, a timeline and its artifacts. */
export function RunsPanel({ runs, selected, onSelect, files }: Props) {
  const run = runs.find((r) => r.runId === selected) ?? null;
  return (
    <section className="pl-runs" aria-labelledby="pl-runs-title">
      <h3 id="pl-runs-title">Runs</h3>
      {runs.length === 0 ? (
        <p className="pl-muted">No runs yet. Each run writes a record to runs/&lt;run id&gt;/run.json; they are listed here.</p>
      ) : (
        <div className="pl-table-wrap">
          <table className="pl-history">
            <caption className="sr-only">Run history, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">State</th>
                <th scope="col">Duration</th>
                <th scope="col">Parameters</th>
                <th scope="col">Tasks</th>
              </tr>
            </thead>
            <tbody>
              {[...runs].reverse().map((r) => (
                <tr key={r.runId} aria-selected={r.runId === selected} className={r.runId === selected ? 'is-selected' : undefined}>
                  <td>
                    <button type="button" className="pl-link" onClick={() => onSelect(r.runId)} aria-pressed={r.runId === selected}>
                      {r.runId}
                    </button>
                  </td>
                  <td><span className={`pl-state pl-state-${r.state}`}>{r.state}</span></td>
                  <td>{fmtMs(r.durationMs)}</td>
                  <td><code>{fmtParams(r.params ?? {})}</code></td>
                  <td>{r.tasks.map((t) => (
                    <span key={t.name} role="img" className={`pl-dot pl-state-${t.state}`} title={`${t.name}: ${t.state}`} aria-label={`${t.name}: ${t.state}`} />
                  ))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {run && <RunDetail run={run} files={files} />}
    </section>
  );
}

function RunDetail({ run, files }: { run: RunRecord } & Pick<Props, 'files'>) {
  return (
    <div className="pl-run-detail">
      <h4>
        {run.runId}: <span className={`pl-state pl-state-${run.state}`}>{run.state}</span>
        {run.error && <span className="pl-muted"> — {run.error}</span>}
      </h4>
      <Graph run={run} />
      <Timeline run={run} />
      <Artifacts run={run} files={files} />
    </div>
  );
}

function Graph({ run }: { run: RunRecord }) {
  const host = useRef<HTMLDivElement>(null);
  const id = useId().replace(/[^a-zA-Z0-9]/g, '');
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme);
  useEffect(() => {
    const watch = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => watch.disconnect();
  }, []);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const { default: mermaid } = await import('mermaid');
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: theme === 'dark' ? 'dark' : 'default', fontFamily: 'inherit' });
      const { svg } = await mermaid.render(`pl-graph-${id}-${run.runId}`, taskGraph(run));
      if (!cancelled && host.current) {
        host.current.innerHTML = svg;
        const el = host.current.querySelector('svg');
        el?.setAttribute('role', 'img');
        el?.setAttribute('aria-label', `Task graph of ${run.runId}: ${run.tasks.map((t) => `${t.name} ${t.state}`).join(', ')}`);
      }
    })().catch((error) => {
      if (!cancelled && host.current) host.current.textContent = `The graph could not be drawn: ${error instanceof Error ? error.message : error}`;
    });
    return () => {
      cancelled = true;
    };
  }, [run, theme, id]);
  return (
    <figure className="pl-graph">
      <div ref={host} data-testid="task-graph" />
      <figcaption>
        Task graph. Solid arrows: data passed between tasks. Dashed: tasks that never ran.{' '}
        {Object.keys(STATE_COLOURS).map((s) => (
          <span key={s} className={`pl-state pl-state-${s}`}>{s}</span>
        ))}
      </figcaption>
    </figure>
  );
}

function Timeline({ run }: { run: RunRecord }) {
  const { bars, totalMs } = timeline(run);
  if (!bars.length) return null;
  const row = 22;
  const labelW = 110;
  const width = 560;
  const scale = (ms: number) => ((width - labelW - 70) * ms) / totalMs;
  return (
    <figure className="pl-timeline">
      <svg viewBox={`0 0 ${width} ${bars.length * row + 8}`} role="img" aria-label={`Timeline of ${run.runId}: ${bars.map((b) => `${b.name} ${b.durationMs} ms`).join(', ')}`}>
        {bars.map((b, i) => (
          <g key={b.name + i} transform={`translate(0 ${i * row + 4})`}>
            <text x={labelW - 6} y={row / 2 + 4} textAnchor="end" className="pl-tl-label">{b.name}</text>
            <rect x={labelW + scale(b.startMs)} y={3} width={Math.max(2, scale(b.durationMs))} height={row - 8} rx={3} fill={STATE_COLOURS[b.state]?.stroke ?? '#888'} />
            <text x={labelW + scale(b.startMs) + Math.max(2, scale(b.durationMs)) + 4} y={row / 2 + 4} className="pl-tl-label">{fmtMs(b.durationMs)}</text>
          </g>
        ))}
      </svg>
      <figcaption>Timeline: when each task started and how long it took (run total {fmtMs(run.durationMs)}).</figcaption>
    </figure>
  );
}

function Artifacts({ run, files }: { run: RunRecord } & Pick<Props, 'files'>) {
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => setShown(null), [run.runId]);
  const prefix = `runs/${run.runId}/`;
  const list = Object.keys(files).filter((f) => f.startsWith(prefix)).sort();
  return (
    <div className="pl-artifacts">
      <h5>Files of this run</h5>
      {list.length === 0 ? (
        <p className="pl-muted">{run.artifacts.length ? 'This run’s files were too large to keep in the browser.' : 'This run wrote no files the lab keeps.'}</p>
      ) : (
        <ul>
          {list.map((f) => (
            <li key={f}>
              <button type="button" className="pl-link" onClick={() => setShown(f)}>{f.slice(prefix.length)}</button>
            </li>
          ))}
        </ul>
      )}
      {shown && files[shown] !== undefined && (
        <div className="pl-artifact-view">
          <p><code>{shown}</code></p>
          <pre tabIndex={0}>{files[shown]!.length > 20000 ? `${files[shown]!.slice(0, 20000)}\n…` : files[shown]}</pre>
        </div>
      )}
    </div>
  );
}
