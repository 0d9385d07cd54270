import '../shell/lab.css';
import { Fragment, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Criterion } from '../../../schemas';
import { chooseRuntime, detectSupport, type Choice } from '../../../labkit/runtime/choose.ts';
import { createBrowserOfflineRuntime } from '../../../labkit/runtime/offline.ts';
import { teardownWebContainer, type WebContainerApi } from '../../../labkit/runtime/webcontainer.ts';
import type { LabRuntime, RunHandle } from '../../../labkit/runtime/types.ts';
import { evaluateCriteria, metMap, describeRule, statusLabel, summarize } from '../../../labkit/report/criteria';
import { labReportMarkdown, reportFileName } from '../../../labkit/report/report';
import { zipFiles } from '../../../labkit/report/zip';
import { downloadFile, mime } from '../../../labkit/report/download';
import { progressStore } from '../../../labkit/progress';
// The lab's own checks: the same code `node check.mjs` runs.
import { measure } from '../../../../labs/pipeline/project/lib/checks.mjs';
import { ENTRY_POINTS, SOLUTION_FILES, STARTER_FILES } from './files.ts';
import { load, save, clear } from './storage.ts';
import type { RunRecord } from './graph.ts';
import { Terminal, type TerminalHandle } from './Terminal.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import { CodeEditor, type CodeEditorHandle } from '../code/CodeEditor.tsx';
import './workspace.css';

interface Props {
  lab: { id: string; title: string; criteria: Criterion[] };
}

type Banner =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'ready'; choice: Pick<Choice, 'kind' | 'code' | 'reason'> };

const TIME_LIMITS = [10, 30, 60];
const params = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
const forceOffline = params.get('runtime') === 'offline';

/** The pipeline lab's workspace: files, editor, terminal, runs, runtime banner and acceptance criteria. */
export default function PipelineWorkspace({ lab }: Props) {
  const initial = useMemo(() => load(), []);
  const [files, setFiles] = useState<Record<string, string>>(() => ({ ...STARTER_FILES, ...initial.edits }));
  const [open, setOpen] = useState<string>(() => (initial.open && initial.open in STARTER_FILES ? initial.open : 'pipeline.mjs'));
  const [generated, setGenerated] = useState<Record<string, string>>(initial.state);
  const [runs, setRuns] = useState<RunRecord[]>(() => recordsFrom(initial.state));
  const [selected, setSelected] = useState<string | null>(() => recordsFrom(initial.state).at(-1)?.runId ?? null);
  const [banner, setBanner] = useState<Banner>({ phase: 'idle' });
  const [running, setRunning] = useState(false);
  const [entry, setEntry] = useState('pipeline.mjs');
  const [args, setArgs] = useState('');
  const [timeLimit, setTimeLimit] = useState(30);
  const [solutionStep, setSolutionStep] = useState(2);
  const [saved, setSaved] = useState<'saved' | 'unsaved' | 'blocked'>('saved');
  const [announcement, setAnnouncement] = useState('');

  const runtime = useRef<LabRuntime | null>(null);
  const choosing = useRef<Promise<LabRuntime> | null>(null);
  const active = useRef<RunHandle | null>(null);
  const terminal = useRef<TerminalHandle>(null);
  const editor = useRef<CodeEditorHandle>(null);
  const filesRef = useRef(files);
  filesRef.current = files;
  const generatedRef = useRef(generated);
  generatedRef.current = generated;

  // ---- persistence: edits (only files that differ from the starter) and run records
  useEffect(() => {
    setSaved('unsaved');
    const timer = setTimeout(() => {
      const edits = Object.fromEntries(Object.entries(files).filter(([p, text]) => STARTER_FILES[p] !== text));
      setSaved(save({ edits, state: generated, open }) ? 'saved' : 'blocked');
    }, 250);
    return () => clearTimeout(timer);
  }, [files, generated, open]);

  // ---- criteria from the run records, recorded in the course's progress store
  const measured = useMemo(() => measure(runs) as Record<string, number>, [runs]);
  const evaluations = useMemo(() => evaluateCriteria(lab.criteria, measured), [lab.criteria, measured]);
  useEffect(() => {
    if (!runs.length) return;
    try {
      progressStore().recordLab(lab.id, { results: measured, criteria: metMap(evaluations) });
    } catch {
      /* progress cannot be stored in this browser; the page still works */
    }
  }, [lab.id, measured, evaluations, runs.length]);

  useEffect(() => {
    const leave = () => {
      active.current?.kill();
      teardownWebContainer();
    };
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, []);

  // ---- the runtime: chosen on the first Run, once per page
  const prepare = useCallback(async (rt: LabRuntime) => {
    await rt.mount({ ...filesRef.current, ...generatedRef.current });
    return rt;
  }, []);

  const choose = useCallback(async (): Promise<LabRuntime> => {
    setBanner({ phase: 'starting' });
    const choice = await chooseRuntime({
      support: detectSupport(),
      loadApi: async () => (await import('@webcontainer/api')).WebContainer as unknown as WebContainerApi,
      createOffline: createBrowserOfflineRuntime,
      forceOffline,
    });
    runtime.current = await prepare(choice.runtime);
    setBanner({ phase: 'ready', choice: { kind: choice.kind, code: choice.code, reason: choice.reason } });
    setAnnouncement(choice.kind === 'webcontainer' ? 'Runtime: WebContainers (Node.js in the page).' : `Runtime: offline. ${choice.reason}`);
    return runtime.current;
  }, [prepare]);

  const ensureRuntime = useCallback(() => {
    if (runtime.current) return Promise.resolve(runtime.current);
    choosing.current ??= choose().finally(() => (choosing.current = null));
    return choosing.current;
  }, [choose]);

  const retry = useCallback(async () => {
    if (running) return;
    const previous = runtime.current;
    runtime.current = null;
    try {
      await ensureRuntime();
      if (previous && previous !== runtime.current) await previous.dispose();
    } catch {
      runtime.current = previous;
    }
  }, [ensureRuntime, running]);

  // ---- reading the runs back from the runtime's files
  const refreshRuns = useCallback(async (rt: LabRuntime) => {
    const state: Record<string, string> = {};
    const records: RunRecord[] = [];
    for (const dir of await rt.readdir('runs')) {
      if (!dir.directory) continue;
      const text = await rt.readFile(`runs/${dir.name}/run.json`);
      if (!text) continue;
      try {
        records.push(JSON.parse(text));
        state[`runs/${dir.name}/run.json`] = text;
      } catch {
        /* a record being written when the run was stopped */
      }
    }
    const registry = await rt.readFile('registry/models.json');
    if (registry) state['registry/models.json'] = registry;
    records.sort((a, b) => (a.runId < b.runId ? -1 : 1));
    setGenerated(state);
    setRuns(records);
    return records;
  }, []);

  const run = useCallback(async () => {
    if (active.current) return;
    setRunning(true);
    const term = terminal.current;
    try {
      const rt = await ensureRuntime();
      await rt.mount(filesRef.current);
      const argv = args.trim() ? args.trim().split(/\s+/) : [];
      term?.write(`\r\n\x1b[1m$ node ${[entry, ...argv].join(' ')}\x1b[0m\r\n`);
      const handle = rt.run({ entry, args: argv, timeoutMs: timeLimit * 1000, onOutput: (chunk) => term?.write(chunk) });
      active.current = handle;
      const result = await handle.done;
      const after = await refreshRuns(rt);
      const latest = after.at(-1);
      if (latest) setSelected(latest.runId);
      const how = result.reason === 'exit' ? `exited with code ${result.code}` : result.reason === 'timeout' ? `was stopped at the ${timeLimit} s time limit` : result.reason === 'killed' ? 'was stopped' : 'failed to run';
      term?.write(`\x1b[90m[node ${entry} ${how}]\x1b[0m\r\n`);
      setAnnouncement(`The run ${how}.`);
    } catch (error) {
      term?.write(`\r\n\x1b[31m${error instanceof Error ? error.message : String(error)}\x1b[0m\r\n`);
    } finally {
      active.current = null;
      setRunning(false);
    }
  }, [args, entry, ensureRuntime, refreshRuns, timeLimit]);

  const stop = useCallback(() => active.current?.kill(), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        void run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  // ---- editing
  const onEdit = useCallback((path: string, text: string) => setFiles((f) => (f[path] === text ? f : { ...f, [path]: text })), []);

  const resetFile = () => {
    editor.current?.replace(open, STARTER_FILES[open]);
    setAnnouncement(`${open} is back to the starter version (Ctrl/Cmd+Z undoes this).`);
  };

  const resetLab = async () => {
    if (!window.confirm('Reset the whole lab? Your edits and all runs are deleted.')) return;
    active.current?.kill();
    clear();
    setFiles({ ...STARTER_FILES });
    for (const [path, text] of Object.entries(STARTER_FILES)) editor.current?.setText(path, text);
    setGenerated({});
    setRuns([]);
    setSelected(null);
    const rt = runtime.current;
    if (rt) {
      for (const path of ['runs', '.cache', 'registry']) await rt.remove(path);
      await rt.mount(STARTER_FILES);
    }
    terminal.current?.clear();
    setAnnouncement('The lab is reset to the starter.');
  };

  const showSolution = () => {
    const changed = SOLUTION_FILES[solutionStep] ?? {};
    const paths = Object.keys(changed);
    for (const path of paths) editor.current?.replace(path, changed[path]);
    if (paths[0]) setOpen(paths[0]);
    setAnnouncement(`Showing the solution of step ${solutionStep} in ${paths.join(', ')}. Ctrl/Cmd+Z in the editor undoes it; Reset file restores the starter.`);
  };

  const downloadZip = () => {
    const zip = zipFiles(filesRef.current, 'iris-pipeline-lab/');
    downloadFile('iris-pipeline-lab.zip', zip, mime.zip);
  };

  const downloadReport = () => {
    const choice = banner.phase === 'ready' ? banner.choice : null;
    const markdown = labReportMarkdown({
      lab: { id: lab.id, title: lab.title, url: location.href },
      environment: {
        runtime: choice ? choice.kind : 'not started',
        'runtime reason': choice?.reason ?? '',
        browser: navigator.userAgent,
        crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
      },
      criteria: evaluations,
      measured,
      tables: [
        {
          title: 'Runs',
          columns: ['run', 'state', 'duration ms', 'parameters', 'tasks'],
          rows: runs.map((r) => [
            r.runId,
            r.state,
            r.durationMs,
            Object.entries(r.params ?? {}).map(([k, v]) => `${k}=${v}`).join(' '),
            r.tasks.map((t) => `${t.name}: ${t.state}${t.attempts > 1 ? ` (${t.attempts} attempts)` : ''}`).join(', '),
          ]),
        },
      ],
    });
    downloadFile(reportFileName(lab.id, 'md'), markdown, mime.markdown);
  };

  const listArtifacts = useCallback(async (runId: string) => {
    const rt = runtime.current;
    if (!rt) return [];
    const out: string[] = [];
    const walk = async (dir: string) => {
      for (const e of await rt.readdir(dir)) {
        if (e.directory) await walk(`${dir}/${e.name}`);
        else if (e.name !== 'feed-requests.txt') out.push(`${dir}/${e.name}`);
      }
    };
    await walk(`runs/${runId}`);
    return out;
  }, []);
  const readArtifact = useCallback(async (path: string) => (runtime.current ? runtime.current.readFile(path) : null), []);

  const summary = summarize(evaluations);
  const choice = banner.phase === 'ready' ? banner.choice : null;
  const fileList = Object.keys(files).sort(sortFiles);

  return (
    <div className="pl-workspace not-content">
      <div className={`pl-banner ${choice ? `pl-banner-${choice.kind}` : ''}`} data-testid="runtime-banner">
        <p>
          <strong>Runtime: </strong>
          {banner.phase === 'idle' && 'chosen when you first press Run. WebContainers (Node.js in the page) are tried first; without them the offline runtime runs your code.'}
          {banner.phase === 'starting' && 'starting WebContainers (this waits up to 20 s)…'}
          {choice && (
            <>
              <span data-testid="runtime-kind">{choice.kind === 'webcontainer' ? 'WebContainers (Node.js)' : 'offline'}</span>. {choice.reason}
            </>
          )}
        </p>
        {choice && choice.kind === 'offline' && choice.code !== 'unsupported' && choice.code !== 'forced' && (
          <button type="button" onClick={retry} disabled={running || banner.phase !== 'ready'}>
            Retry WebContainers
          </button>
        )}
      </div>

      <div className="pl-toolbar" role="toolbar" aria-label="Run">
        <button type="button" className="pl-primary" onClick={run} disabled={running} aria-keyshortcuts="Control+Enter Meta+Enter">
          ▶ Run
        </button>
        <button type="button" onClick={stop} disabled={!running}>
          ■ Stop
        </button>
        <label>
          <span>node</span>
          <select value={entry} onChange={(e) => setEntry(e.target.value)} aria-label="Script to run">
            {ENTRY_POINTS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label className="pl-args">
          <span className="sr-only">Arguments</span>
          <input value={args} onChange={(e) => setArgs(e.target.value)} placeholder="arguments, e.g. --epochs=50" aria-label="Arguments" spellCheck={false} />
        </label>
        <label>
          <span>Time limit</span>
          <select value={timeLimit} onChange={(e) => setTimeLimit(Number(e.target.value))} aria-label="Time limit">
            {TIME_LIMITS.map((s) => (
              <option key={s} value={s}>{s} s</option>
            ))}
          </select>
        </label>
      </div>

      <div className="pl-main">
        <nav className="pl-tree" aria-label="Project files">
          <ul>
            {fileList.map((path, i) => {
              const folder = path.split('/').slice(0, -1).join('/');
              const newFolder = folder && folder !== (fileList[i - 1] ?? '').split('/').slice(0, -1).join('/');
              const depth = path.split('/').length - 1;
              return (
                <Fragment key={path}>
                  {newFolder && (
                    <li className="pl-folder" style={{ paddingInlineStart: `${(depth - 1) * 0.75 + 0.5}rem` }}>
                      {folder.split('/').pop()}/
                    </li>
                  )}
                  <li style={{ paddingInlineStart: `${depth * 0.75}rem` }}>
                    <button type="button" aria-current={path === open ? 'true' : undefined} onClick={() => setOpen(path)} title={path}>
                      {path.split('/').pop()}
                      {files[path] !== STARTER_FILES[path] && <span className="pl-edited" aria-label="edited"> •</span>}
                    </button>
                  </li>
                </Fragment>
              );
            })}
          </ul>
        </nav>
        <div className="pl-editor-col">
          <div className="pl-editor-bar">
            <code>{open}</code>
            <span className="pl-muted" aria-live="polite">
              {saved === 'saved' ? 'Edits saved in this browser' : saved === 'blocked' ? 'This browser does not let the page save your edits' : 'Saving…'}
            </span>
          </div>
          <CodeEditor ref={editor} files={files} open={open} onEdit={onEdit} onRun={run} />
          <div className="pl-editor-actions">
            <button type="button" onClick={resetFile} disabled={files[open] === STARTER_FILES[open]}>
              Reset file
            </button>
            <button type="button" onClick={resetLab}>
              Reset lab
            </button>
            <label>
              <span className="sr-only">Solution for step</span>
              <select value={solutionStep} onChange={(e) => setSolutionStep(Number(e.target.value))} aria-label="Solution for step">
                {Object.keys(SOLUTION_FILES).map((s) => (
                  <option key={s} value={s}>Step {s}</option>
                ))}
              </select>
            </label>
            <button type="button" onClick={showSolution}>
              Show solution
            </button>
            <button type="button" onClick={downloadZip}>
              Download project (.zip)
            </button>
          </div>
        </div>
      </div>

      <Terminal ref={terminal} />

      <section className="pl-criteria" aria-labelledby="pl-criteria-title">
        <h3 id="pl-criteria-title">
          Acceptance criteria <span className="pl-muted">({summary.met} of {summary.total} met)</span>
        </h3>
        <ul>
          {evaluations.map((e) => (
            <li key={e.criterion.id} className={`pl-criterion pl-criterion-${e.status}`} data-criterion={e.criterion.id} data-status={e.status}>
              <span className="pl-tick" aria-hidden="true">{e.status === 'met' ? '✔' : '○'}</span>
              <span>
                {e.criterion.label} <span className="pl-muted">({describeRule(e.criterion)}; now {e.value ?? '–'}: {statusLabel[e.status]})</span>
              </span>
            </li>
          ))}
        </ul>
        <button type="button" onClick={downloadReport}>
          Download lab report (.md)
        </button>
      </section>

      <RunsPanel runs={runs} selected={selected} onSelect={setSelected} listArtifacts={listArtifacts} readArtifact={readArtifact} />

      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function recordsFrom(state: Record<string, string>): RunRecord[] {
  const out: RunRecord[] = [];
  for (const [path, text] of Object.entries(state)) {
    if (!/^runs\/[^/]+\/run\.json$/.test(path)) continue;
    try {
      out.push(JSON.parse(text));
    } catch {
      /* skip a damaged record */
    }
  }
  return out.sort((a, b) => (a.runId < b.runId ? -1 : 1));
}

/** Files first in the root, then folders; alphabetical within. */
function sortFiles(a: string, b: string): number {
  const da = a.split('/').length;
  const db = b.split('/').length;
  const pa = a.split('/').slice(0, -1).join('/');
  const pb = b.split('/').slice(0, -1).join('/');
  if (pa !== pb) return pa === '' ? -1 : pb === '' ? 1 : pa.localeCompare(pb);
  return da - db || a.localeCompare(b);
}
