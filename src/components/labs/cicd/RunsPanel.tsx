/**
 * The runs: a list like GitHub's Actions tab, and for the selected run its job graph, each job's steps with their
 * logs (groups fold), annotations (a click opens the file at the line), the job summaries, caches and artifacts,
 * and for a pull request the report with its chart.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { QuietEvent } from '../../../../labs/cicd/lab.ts';
import type { LogLine } from '../../../labkit/ci/commands.ts';
import type { JobRecord, RunArtifact, RunRecord, StepRecord } from '../../../labkit/ci/record.ts';
import { downloadFile, mime } from '../../../labkit/report/download.ts';
import { zipFiles } from '../../../labkit/report/zip.ts';
import { CONCLUSION_MARK, JobGraph, jobState } from './JobGraph.tsx';
import { Markdown } from './Markdown.tsx';

interface Props {
  runs: RunRecord[];
  live: RunRecord | null;
  quiet: QuietEvent[];
  selected: number | null;
  onSelect(id: number): void;
  onRerun(run: RunRecord): void;
  onReveal(path: string, line: number, column?: number): void;
  busy: boolean;
}

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const where = (run: RunRecord) => (run.event === 'pull_request' ? `pull request #${run.ref.split('/')[2]}` : run.ref.replace('refs/heads/', ''));
const runState = (run: RunRecord) => (run.status === 'completed' ? (run.conclusion ?? 'cancelled') : run.status);

/** Log lines with ::group:: … ::endgroup:: folded. */
function Log({ lines }: { lines: LogLine[] }) {
  const out: ReactNode[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.kind === 'group') {
      const inner: LogLine[] = [];
      for (i += 1; i < lines.length && lines[i]!.kind !== 'endgroup'; i += 1) inner.push(lines[i]!);
      out.push(
        <details key={i} className="ci-log-group">
          <summary>{line.text}</summary>
          <Log lines={inner} />
        </details>,
      );
    } else if (line.kind !== 'endgroup') {
      out.push(
        <div key={i} className={`ci-log-line ci-log-${line.kind}${line.level ? ` ci-log-${line.level}` : ''}`}>
          {line.text.replace(/\x1b\[[0-9;]*m/g, '') || '\u00a0'}
        </div>,
      );
    }
  }
  return <>{out}</>;
}

function Step({ step, time }: { step: StepRecord; time: number | undefined }) {
  const state = step.status === 'completed' ? (step.conclusion ?? 'skipped') : step.status;
  const failed = step.outcome === 'failure';
  return (
    <details className={`ci-step ci-${state}`} open={failed}>
      <summary>
        <span aria-hidden="true">{CONCLUSION_MARK[state] ?? '○'}</span> {step.name}
        {step.outcome === 'failure' && step.conclusion === 'success' ? ' (failed, continue-on-error)' : ''}
        <span className="ci-muted"> {state === 'skipped' ? 'skipped' : seconds(time)}</span>
      </summary>
      {step.log.length ? <div className="ci-log" role="log">{<Log lines={step.log} />}</div> : <p className="ci-muted">{state === 'skipped' ? 'This step was skipped: its if: was false.' : 'No output.'}</p>}
      {Object.keys(step.outputs).length > 0 && (
        <p className="ci-muted">
          Outputs: {Object.entries(step.outputs).map(([k, v]) => `${k}=${v.length > 60 ? `${v.slice(0, 60)}…` : v}`).join(', ')}
        </p>
      )}
    </details>
  );
}

function Job({ run, job }: { run: RunRecord; job: JobRecord }) {
  return (
    <section className="ci-job-detail" id={`job-${encodeURIComponent(job.id)}`} aria-label={`Job ${job.name}`}>
      <h5>
        {CONCLUSION_MARK[jobState(job)]} {job.name} <span className="ci-muted">{jobState(job)} · {seconds(run.timing.jobs[job.id])}</span>
      </h5>
      {job.matrix && <p className="ci-muted">matrix: {JSON.stringify(job.matrix)}{job.origin === 'added' ? ' (added by include)' : job.origin === 'extended' ? ' (values added by include)' : ''}</p>}
      {job.error && <p className="lab-alert">{job.error}</p>}
      {job.status === 'completed' && job.conclusion === 'skipped' && <p className="ci-muted">Skipped: its if: was false (by default a job runs only when every job it needs succeeded).</p>}
      {job.conclusion === 'cancelled' && !job.steps.length && <p className="ci-muted">Cancelled before it started (fail-fast, or the run was cancelled).</p>}
      {job.steps.map((step, i) => (
        <Step key={`${step.id}-${i}`} step={step} time={run.timing.steps[`${job.id}/${i}`]} />
      ))}
      {Object.keys(job.outputs).length > 0 && <p className="ci-muted">Job outputs: {Object.entries(job.outputs).map(([k, v]) => `${k}=${v}`).join(', ')}</p>}
      {job.summary && (
        <div className="ci-summary" aria-label={`Summary of ${job.name}`}>
          <Markdown text={job.summary} />
        </div>
      )}
    </section>
  );
}

function Artifact({ artifact }: { artifact: RunArtifact }) {
  const files = Object.keys(artifact.files);
  return (
    <li>
      <strong>{artifact.name}</strong> <span className="ci-muted">({artifact.size} B, sha256:{artifact.digest.slice(0, 12)}…, from {artifact.job})</span>{' '}
      {files.length > 0 ? (
        <button type="button" onClick={() => downloadFile(`${artifact.name}.zip`, zipFiles(artifact.files, `${artifact.name}/`), mime.zip)}>
          Download
        </button>
      ) : (
        <span className="ci-muted">(its files are not kept for older runs)</span>
      )}
    </li>
  );
}

/** The pull-request report (ci/report.mjs's artifact): its Markdown and its chart. */
function PullReport({ run }: { run: RunRecord }) {
  const artifact = run.artifacts.find((a) => a.files['pr-report.md']);
  if (!artifact) return null;
  const svg = artifact.files['pr-chart.svg'];
  return (
    <section className="ci-report" aria-label="Pull-request report">
      <Markdown text={artifact.files['pr-report.md']!} />
      {svg && <img className="ci-chart" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt="Champion and pull-request metrics as bars" />}
    </section>
  );
}

export function RunsPanel({ runs, live, quiet, selected, onSelect, onRerun, onReveal, busy }: Props) {
  const all = live ? [...runs.filter((r) => r.id !== live.id), live] : runs;
  const run = all.find((r) => r.id === selected) ?? live ?? all.at(-1) ?? null;
  const [job, setJob] = useState<string | null>(null);
  useEffect(() => setJob(null), [run?.id]);
  const shownJob = run?.jobs.find((j) => j.id === job) ?? run?.jobs.find((j) => j.conclusion === 'failure') ?? run?.jobs[0] ?? null;
  const newest = [...all].reverse();
  return (
    <section className="lab-section ci-runs" aria-labelledby="ci-runs-title">
      <h3 id="ci-runs-title">Runs</h3>
      {newest.length === 0 ? (
        <p className="ci-muted">No runs yet. Commit to main, or press Run workflow.</p>
      ) : (
        <div className="lab-scroll" role="region" aria-label="Workflow runs" tabIndex={0}>
          <table className="lab-table ci-run-list">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Result</th>
                <th scope="col">Event</th>
                <th scope="col">Commit</th>
                <th scope="col">Duration</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {newest.map((r) => (
                <tr key={r.id} className={r.id === run?.id ? 'is-selected' : ''} data-testid={`run-${r.id}`}>
                  <td>
                    <button type="button" className="ci-link" onClick={() => onSelect(r.id)} aria-pressed={r.id === run?.id}>
                      #{r.id} {r.workflow}
                    </button>
                  </td>
                  <td data-testid={`run-${r.id}-result`}>
                    {CONCLUSION_MARK[runState(r)]} {runState(r)}
                  </td>
                  <td>
                    {r.event} · {where(r)}
                  </td>
                  <td>
                    <code>{r.sha.slice(0, 7)}</code>
                  </td>
                  <td>{seconds(r.timing.durationMs)}</td>
                  <td>
                    <button type="button" onClick={() => onRerun(r)} disabled={busy || r.status !== 'completed'}>
                      Re-run
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {quiet.length > 0 && (
        <details className="ci-quiet">
          <summary>Events that started no workflow ({quiet.length})</summary>
          <ul>
            {[...quiet].reverse().slice(0, 10).map((q, i) => (
              <li key={i}>
                {q.event} on {q.ref.replace('refs/heads/', '')} ({q.sha.slice(0, 7)}): {q.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </details>
      )}
      {run && (
        <div className="ci-run" data-testid="run-detail">
          <h4>
            #{run.id} {run.workflow} <span className="ci-muted">— {run.reason || run.event}, {where(run)} at <code>{run.sha.slice(0, 7)}</code></span>
          </h4>
          {run.problems.length > 0 && (
            <div className="lab-alert" role="alert" data-testid="run-problems">
              <p>{run.jobs.length ? 'Some jobs could not run:' : 'Invalid workflow file: GitHub does not run a workflow with these problems.'}</p>
              <ul>
                {run.problems.map((p, i) => (
                  <li key={i}>
                    <button type="button" className="ci-link" onClick={() => onReveal(p.file, p.line, p.column)}>
                      {p.file}:{p.line}:{p.column}
                    </button>{' '}
                    {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {run.jobs.length > 0 && <JobGraph run={run} selected={shownJob?.id ?? null} onSelect={setJob} />}
          {run.annotations.length > 0 && (
            <section aria-label="Annotations" data-testid="annotations">
              <h5>Annotations</h5>
              <ul className="ci-annotations">
                {run.annotations.map((a, i) => (
                  <li key={i} className={`ci-annotation ci-log-${a.level}`}>
                    <span className="ci-muted">{a.level} · {a.job}</span>{' '}
                    {a.file && a.line ? (
                      <button type="button" className="ci-link" onClick={() => onReveal(a.file!, a.line!, a.col)}>
                        {a.file}:{a.line}
                      </button>
                    ) : null}{' '}
                    {a.title ? <strong>{a.title}: </strong> : null}
                    {a.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {shownJob && <Job run={run} job={shownJob} />}
          <PullReport run={run} />
          {run.caches.length > 0 && (
            <section aria-label="Caches">
              <h5>Caches</h5>
              <ul>
                {run.caches.map((c, i) => (
                  <li key={i}>
                    <code>{c.key.length > 70 ? `${c.key.slice(0, 70)}…` : c.key}</code> — {c.hit === 'exact' ? 'restored (exact hit)' : c.hit === 'prefix' ? `restored from ${c.matched} (restore-keys)` : c.hit === 'saved' ? 'saved' : 'not found'} <span className="ci-muted">({c.job})</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {run.artifacts.length > 0 && (
            <section aria-label="Artifacts">
              <h5>Artifacts</h5>
              <ul>
                {run.artifacts.map((a) => (
                  <Artifact key={a.name} artifact={a} />
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </section>
  );
}
