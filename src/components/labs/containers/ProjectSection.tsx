/** Step 1: the project's files in the editor, with lint findings, build problems and config problems as markers. */
import { useMemo, useState } from 'react';
import { lint } from '../../../labkit/docker/lint/lint.ts';
import { isIgnored, parseIgnore } from '../../../labkit/docker/ignore.ts';
import { humanSize } from '../../../labkit/docker/fs.ts';
import { COMPOSE, DOCKERFILE, DOCKERIGNORE, HADOLINT, solutionFiles, starterProject, type ProjectFile } from '../../../../labs/containers/project.ts';
import { CodeEditor, type EditorMarker } from '../code/CodeEditor.tsx';
import type { ContainersContext } from './ContainersWorkspace.tsx';
import { readUpload } from './upload.ts';

const severity = (s: string): EditorMarker['severity'] => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'info');

export function ProjectSection({ ctx, onEdit }: { ctx: ContainersContext; onEdit: (path: string, text: string) => void }) {
  const { state, shell, texts, editor, open, setOpen, outcome, compose, busy } = ctx;
  const [showAll, setShowAll] = useState(false);
  const dockerfile = texts[DOCKERFILE] ?? '';
  const result = useMemo(() => lint({ dockerfile, hadolintYaml: texts[HADOLINT] ?? '', dockerignore: texts[DOCKERIGNORE] ?? '' }), [dockerfile, texts]);
  const ignore = useMemo(() => parseIgnore(texts[DOCKERIGNORE] ?? ''), [texts]);

  const markers = useMemo(() => {
    const out: EditorMarker[] = result.findings.map((f) => ({ path: DOCKERFILE, line: f.line, column: f.column, endColumn: f.endColumn, severity: severity(f.severity), message: `${f.message} (${f.title})`, source: f.rule }));
    for (const p of result.configProblems) out.push({ path: HADOLINT, line: p.line, severity: p.severity, message: p.message, source: 'hadolint config' });
    for (const p of ignore.problems) out.push({ path: DOCKERIGNORE, line: p.line, severity: 'error', message: p.message, source: '.dockerignore' });
    // Large files the context still holds: the classic builder sends them all, and COPY . copies them.
    const large = state.files.filter((f) => (f.synthetic?.size ?? 0) >= 10e6 && !isIgnored(ignore, f.path));
    if (large.length) {
      out.push({
        path: DOCKERIGNORE,
        line: 1,
        severity: 'info',
        message: `The build context holds ${large.map((f) => `${f.path} (${humanSize(f.synthetic!.size)})`).join(', ')}: exclude what the image does not need.`,
        source: 'build context',
      });
    }
    // Build problems belong to the text that was built: shown while the Dockerfile is unchanged.
    if (outcome && outcome.record.dockerfile === dockerfile) {
      for (const m of outcome.markers) out.push({ path: m.file, line: m.line, column: m.column, endColumn: m.endColumn, severity: m.severity, message: m.message, source: 'build' });
      for (const n of outcome.notModelled) out.push({ path: DOCKERFILE, line: n.line, severity: 'info', message: `Not modelled by the simulator: ${n.what}`, source: 'simulator' });
    }
    if (compose && compose.record.compose === texts[COMPOSE]) {
      for (const p of compose.validation.problems) out.push({ path: COMPOSE, line: p.line, severity: p.severity, message: `${p.path ? `${p.path}: ` : ''}${p.message}`, source: `compose ${p.kind}` });
    }
    return out;
  }, [result, ignore, outcome, compose, dockerfile, texts, state.files]);

  const editable = state.files.filter((f) => f.text !== undefined);
  const simulated = state.files.filter((f) => f.synthetic);
  const shown = showAll ? result.findings : result.findings.slice(0, 12);

  const touch = (path: string) => shell.session.update((s) => ({ ...s, files: s.files.map((f) => (f.path === path ? { ...f, mtime: Date.now() } : f)) }));
  const remove = (path: string) => {
    if (!window.confirm(`Remove ${path} from the project?`)) return;
    shell.session.update((s) => ({ ...s, files: s.files.filter((f) => f.path !== path) }));
    if (open === path) setOpen(DOCKERFILE);
  };
  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    const added: ProjectFile[] = [];
    const notes: string[] = [];
    for (const f of [...list]) {
      const read = await readUpload(f);
      if (typeof read === 'string') {
        notes.push(read);
        continue;
      }
      added.push(read.file);
      notes.push(read.note);
    }
    shell.session.update((s) => ({ ...s, files: [...s.files.filter((f) => !added.some((a) => a.path === f.path)), ...added].sort((a, b) => a.path.localeCompare(b.path)) }));
    shell.say(notes.join(' '));
  };
  const restoreStarter = () => {
    if (!window.confirm('Put every starter file back as it was (your builds and results are kept)?')) return;
    const starter = starterProject();
    for (const f of starter) if (f.text !== undefined && state.files.some((x) => x.path === f.path)) ctx.setText(f.path, f.text);
    // Starter files the student removed come back too.
    shell.session.update((s) => ({ ...s, files: [...s.files, ...starter.filter((f) => !s.files.some((x) => x.path === f.path))].sort((a, b) => a.path.localeCompare(b.path)) }));
  };
  const showSolution = () => {
    if (!window.confirm('Load the reference solution into the editor? Your report will say that you opened it.')) return;
    shell.session.markShown('reference solution');
    for (const f of solutionFiles()) ctx.setText(f.path, f.text ?? '');
  };

  return (
    <section className="lab-section" aria-labelledby="ct-project">
      <h2 id="ct-project">1. Your project</h2>
      <div className="ct-files" role="group" aria-label="Project files">
        {editable.map((f) => (
          <button key={f.path} type="button" className="ct-file" aria-pressed={open === f.path} onClick={() => setOpen(f.path)} data-file={f.path}>
            {f.path}
            {markers.some((m) => m.path === f.path && m.severity !== 'info') && (
              <>
                <span className="ct-dot" aria-hidden="true" />
                <span className="sr-only"> (has problems)</span>
              </>
            )}
          </button>
        ))}
      </div>
      <CodeEditor ref={editor} files={texts} open={open} onEdit={onEdit} onRun={() => void ctx.runBuild()} markers={markers} label={`Editor: ${open}`} height="24rem" />
      <div className="lab-row">
        <label>
          Add files to the build context
          <input type="file" multiple onChange={(e) => void upload(e.target.files)} disabled={busy} />
        </label>
        <button type="button" onClick={restoreStarter} disabled={busy}>
          Restore the starter files
        </button>
        <button type="button" onClick={showSolution} disabled={busy}>
          Show the reference solution
        </button>
      </div>
      <details>
        <summary>
          Simulated files in the context ({simulated.length}, {humanSize(simulated.reduce((n, f) => n + (f.synthetic?.size ?? 0), 0))})
        </summary>
        <p className="lab-muted">These stand for files a real repository holds (data, notebooks, Git history): the simulator keeps their size and a checksum, not their bytes.</p>
        <ul className="ct-list">
          {simulated.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> {humanSize(f.synthetic!.size)} ({f.synthetic!.kind}){' '}
              <button type="button" onClick={() => touch(f.path)} disabled={busy}>
                touch
              </button>{' '}
              <button type="button" onClick={() => remove(f.path)} disabled={busy}>
                remove
              </button>
            </li>
          ))}
        </ul>
      </details>
      <h3>Lint</h3>
      <p data-testid="lint-summary" className={result.failing ? 'lab-alert' : 'lab-ok'}>
        {result.findings.length === 0
          ? 'No findings.'
          : `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}; ${result.failing} at or above the failure threshold (${result.threshold}).`}{' '}
        {result.passed ? 'The Dockerfile passes at this threshold.' : 'The Dockerfile fails at this threshold.'}
        {result.suppressed.length ? ` ${result.suppressed.length} suppressed by inline comments.` : ''}
      </p>
      {result.findings.length > 0 && (
        <ul className="ct-findings" data-testid="lint-findings">
          {shown.map((f, k) => (
            <li key={`${f.rule}-${f.line}-${k}`} data-rule={f.rule} data-severity={f.severity}>
              <button type="button" className="ct-link" onClick={() => (setOpen(DOCKERFILE), editor.current?.reveal(f.line))}>
                line {f.line}
              </button>{' '}
              <span className={`ct-sev ct-sev-${f.severity}`}>{f.severity}</span>{' '}
              <a href={f.url} target="_blank" rel="noopener noreferrer">
                {f.rule}
              </a>
              : {f.message}
            </li>
          ))}
        </ul>
      )}
      {result.findings.length > 12 && (
        <button type="button" onClick={() => setShowAll((x) => !x)}>
          {showAll ? 'Show fewer findings' : `Show all ${result.findings.length} findings`}
        </button>
      )}
    </section>
  );
}
