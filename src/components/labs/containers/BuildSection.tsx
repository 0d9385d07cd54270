/** Step 2: build in the simulator, with Docker's options, and the rebuild experiments; each step's cache decision. */
import { useMemo, useState } from 'react';
import { parseDockerfile, stagesOf } from '../../../labkit/docker/dockerfile.ts';
import { humanSize } from '../../../labkit/docker/fs.ts';
import { DOCKERFILE } from '../../../../labs/containers/project.ts';
import type { BuildRecord } from '../../../../labs/containers/records.ts';
import type { ContainersContext } from './ContainersWorkspace.tsx';

const DECISION: Record<string, string> = { cached: 'CACHED', built: 'ran', skipped: 'skipped', failed: 'failed', 'not-run': 'not reached' };

function parseArgs(text: string): { args: Record<string, string>; error: string | null } {
  const args: Record<string, string> = {};
  for (const [k, line] of text.split('\n').entries()) {
    const t = line.trim();
    if (!t) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    if (!m) return { args, error: `Build arguments, line ${k + 1}: write NAME=value (as --build-arg takes it).` };
    args[m[1]!] = m[2]!;
  }
  return { args, error: null };
}

export function BuildSection({ ctx }: { ctx: ContainersContext }) {
  const { state, shell, busy, texts, options, setOptions, runBuild, outcome, editor, setOpen } = ctx;
  const [argsText, setArgsText] = useState(() => Object.entries(options.buildArgs ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'));
  const parsedArgs = parseArgs(argsText);
  const stages = useMemo(() => stagesOf(parseDockerfile(texts[DOCKERFILE] ?? '')).stages.filter((s) => s.writtenName), [texts]);
  const builds = state.builds.filter((b): b is BuildRecord => b.kind === 'build');
  const last = outcome?.record ?? builds.at(-1);
  const counter = builds.length + 1;
  const disabled = busy || !!parsedArgs.error;

  const editArgs = (text: string) => {
    setArgsText(text);
    const parsed = parseArgs(text);
    if (!parsed.error) setOptions({ ...options, buildArgs: Object.keys(parsed.args).length ? parsed.args : undefined });
  };
  const build = (note?: string, change?: Parameters<typeof runBuild>[1]) => void runBuild(note, change);
  const append = (path: string, line: string) => (files: Parameters<NonNullable<Parameters<typeof runBuild>[1]>>[0]) =>
    files.map((f) => (f.path === path && f.text !== undefined ? { ...f, text: `${f.text.endsWith('\n') || !f.text ? f.text : `${f.text}\n`}${line}\n`, mtime: Date.now() } : f));
  const touch = (path: string) => (files: Parameters<NonNullable<Parameters<typeof runBuild>[1]>>[0]) => files.map((f) => (f.path === path ? { ...f, mtime: Date.now() } : f));
  const has = (path: string) => state.files.some((f) => f.path === path && f.text !== undefined);

  return (
    <section className="lab-section" aria-labelledby="ct-build">
      <h2 id="ct-build">2. Build</h2>
      <fieldset className="lab-form" disabled={busy}>
        <legend>Options, as docker build takes them</legend>
        <label>
          --target
          <select value={options.target ?? ''} onChange={(e) => setOptions({ ...options, target: e.target.value || undefined })}>
            <option value="">(the last stage)</option>
            {stages.map((s) => (
              <option key={s.index} value={s.writtenName!}>
                {s.writtenName}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={!!options.noCache} onChange={(e) => setOptions({ ...options, noCache: e.target.checked || undefined })} /> --no-cache
        </label>
        <label>
          <input type="checkbox" checked={!!options.pull} onChange={(e) => setOptions({ ...options, pull: e.target.checked || undefined })} /> --pull
        </label>
        <label className="lab-field">
          Build arguments (--build-arg), one NAME=value per line
          <textarea rows={2} value={argsText} onChange={(e) => editArgs(e.target.value)} aria-invalid={!!parsedArgs.error} aria-describedby={parsedArgs.error ? 'ct-args-error' : undefined} />
          {parsedArgs.error && (
            <span id="ct-args-error" className="lab-field-error">
              {parsedArgs.error}
            </span>
          )}
        </label>
      </fieldset>
      <div className="lab-row">
        <button type="button" className="lab-primary" onClick={() => build()} disabled={disabled} aria-keyshortcuts="Control+Enter Meta+Enter">
          Build
        </button>
        <button type="button" onClick={() => build('source-only edit', append('app.py', `# edit ${counter}`))} disabled={disabled || !has('app.py')}>
          Edit app.py and rebuild
        </button>
        <button type="button" onClick={() => build('dependency edit', append('requirements.txt', `# bump ${counter}`))} disabled={disabled || !has('requirements.txt')}>
          Edit requirements.txt and rebuild
        </button>
        <button type="button" onClick={() => build('touch only', touch('app.py'))} disabled={disabled || !has('app.py')}>
          Touch app.py and rebuild
        </button>
      </div>
      <div className="lab-row">
        <button type="button" onClick={() => shell.session.update((s) => ({ ...s, day: Math.min(30, s.day + 1) }))} disabled={busy || state.day >= 30}>
          Next day (the package world moves on)
        </button>
        <button
          type="button"
          onClick={() => {
            shell.session.update((s) => ({ ...s, builds: [...s.builds, pruneRecord(s.builds.length + 1, s.day)] }));
            shell.say('The build cache and the cache mounts were emptied (docker builder prune); the pulled base images stay.');
          }}
          disabled={busy || !builds.length}
        >
          docker builder prune
        </button>
        <span className="lab-muted">Day {state.day} of the package world.</span>
      </div>
      {last && (
        <div aria-live="polite">
          <h3>
            Build {last.id}
            {last.note ? ` (${last.note})` : ''}: {last.ok ? `${humanSize(last.size)}, ${last.seconds.toFixed(1)} simulated seconds` : 'failed'}
          </h3>
          {last.error && (
            <p className="lab-alert" data-testid="build-error">
              <button type="button" className="ct-link" onClick={() => (setOpen(DOCKERFILE), editor.current?.reveal(last.error!.line))}>
                line {last.error.line}
              </button>
              : <span className="ct-pre">{last.error.message}</span>
            </p>
          )}
          {last.skippedStages?.length ? <p className="lab-muted">Skipped stages (the target does not need them): {last.skippedStages.join(', ')}.</p> : null}
          <div className="lab-scroll" role="region" aria-label="Each step of the build, as BuildKit decides it" tabIndex={0}>
            <table className="lab-table" data-testid="build-steps">
              <caption>Each step of build {last.id}, as BuildKit decides it</caption>
              <thead>
                <tr>
                  <th scope="col">step</th>
                  <th scope="col">instruction</th>
                  <th scope="col">cache</th>
                  <th scope="col">why it ran</th>
                  <th scope="col">layer</th>
                  <th scope="col">seconds</th>
                </tr>
              </thead>
              <tbody>
                {last.steps.map((s, k) => (
                  <tr key={k} data-decision={s.decision} data-line={s.line}>
                    <td className="lab-text">
                      [{s.stage}] line {s.line}
                    </td>
                    <td className="lab-text">
                      <code>{s.text.length > 90 ? `${s.text.slice(0, 90)}…` : s.text}</code>
                    </td>
                    <td className="lab-text">
                      <span className={`ct-decision ct-${s.decision}`}>{DECISION[s.decision]}</span>
                    </td>
                    <td className="lab-text">{s.reason ?? ''}</td>
                    <td>{s.size ? humanSize(s.size) : '0B'}</td>
                    <td>{s.seconds.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {outcome?.record.id === last.id && outcome.log.some((l) => l.log.length) && (
            <details>
              <summary>Build output</summary>
              <pre className="lab-code" data-testid="build-log">
                {outcome.log
                  .filter((l) => l.log.length)
                  .map((l) => `#line ${l.line}\n${l.log.join('\n')}`)
                  .join('\n\n')}
              </pre>
            </details>
          )}
        </div>
      )}
      {builds.length > 1 && (
        <details>
          <summary>All builds ({builds.length})</summary>
          <div className="lab-scroll" role="region" aria-label="Every build, oldest first" tabIndex={0}>
            <table className="lab-table" data-testid="builds">
              <caption>Every build, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">build</th>
                  <th scope="col">note</th>
                  <th scope="col">day</th>
                  <th scope="col">result</th>
                  <th scope="col">ran / cached</th>
                  <th scope="col">size</th>
                  <th scope="col">wasted</th>
                  <th scope="col">seconds</th>
                  <th scope="col">smoke test</th>
                </tr>
              </thead>
              <tbody>
                {builds.map((b) => {
                  const v = b.steps.filter((s) => s.keyword !== 'FROM');
                  return (
                    <tr key={b.id} data-restored={b.restoredAt ? 'true' : undefined}>
                      <td className="lab-text">{b.id}</td>
                      <td className="lab-text">{b.note ?? ''}</td>
                      <td>{b.day}</td>
                      <td className="lab-text">{b.ok ? 'built' : `failed (line ${b.error?.line})`}</td>
                      <td>
                        {v.filter((s) => s.decision === 'built').length} / {v.filter((s) => s.decision === 'cached').length}
                      </td>
                      <td>{b.ok ? humanSize(b.size) : ''}</td>
                      <td>{b.ok ? humanSize(b.wasted) : ''}</td>
                      <td>{b.seconds.toFixed(1)}</td>
                      <td className="lab-text">{b.smoke ? (b.smoke.ok ? 'starts' : 'fails') : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}

function pruneRecord(n: number, day: number): BuildRecord {
  return { id: `p${n}`, at: new Date().toISOString(), kind: 'prune', dockerfile: '', dockerignore: '', hadolint: '', context: [], options: {}, day, ok: true, steps: [], size: 0, wasted: 0, seconds: 0, layers: 0 };
}
