/**
 * The node-project kit: a lab's Node project in the page — files, Monaco, the terminal, the runtime banner, Run and
 * Stop with a time limit, solutions, and a zip of the project. Everything it keeps goes into the lab's state through
 * the session (`project` and `setProject`): edits, the files programs wrote that the lab keeps, and every run.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { editsOf, keepGenerated, projectFiles, type KeepRules, type ProjectState, type RunEntry } from '../../../labkit/lab/project.ts';
import type { LabSession } from '../../../labkit/lab/session.ts';
import { downloadFile, mime } from '../../../labkit/report/download.ts';
import { zipFiles } from '../../../labkit/report/zip.ts';
import type { LabRuntime, RunHandle } from '../../../labkit/runtime/types.ts';
import { CodeEditor, type CodeEditorHandle, type EditorMarker } from '../code/CodeEditor.tsx';
import { FileTree } from './FileTree.tsx';
import { RuntimeBanner } from './RuntimeBanner.tsx';
import { Terminal, type TerminalHandle } from './Terminal.tsx';
import { useProjectRuntime } from './useProjectRuntime.ts';

export interface ProjectConfig {
  /** The project's folder name in the zip. */
  name: string;
  starter: Record<string, string>;
  solutions: { id: string; label: string; files: Record<string, string> }[];
  entryPoints: string[];
  /** Files the lab adds to the project (read-only), e.g. the acceptance criteria for `node check.mjs`. */
  provided?: Record<string, string>;
  keep: KeepRules['keep'];
  /** The terminal's first line. */
  hint: string;
}

interface Props<S> {
  config: ProjectConfig;
  session: LabSession<S>;
  project: ProjectState;
  setProject: (change: (p: ProjectState) => ProjectState) => void;
  /** The runtime, once chosen: lab panels read run artifacts through it. */
  onRuntime?: (runtime: LabRuntime) => void;
  onRunDone?: (run: RunEntry) => void;
  /** Findings the lab computes on the files (parse errors, annotations), shown in the editor. */
  markers?: EditorMarker[];
  /** Open a file at a line (a new object each time: clicking an annotation). */
  reveal?: { path: string; line: number; column?: number } | null;
  /** The files as they are in the editor, at once on every change. */
  onFiles?: (files: Record<string, string>) => void;
}

const TIME_LIMITS = [10, 30, 60];

/** Every file under `dir` the lab keeps, read as text. */
async function readKept(rt: LabRuntime, keep: (path: string) => boolean, dir = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await rt.readdir(dir)) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.directory) {
      if (path.split('/').length < 6 && path !== 'node_modules') Object.assign(out, await readKept(rt, keep, path));
    } else if (keep(path)) {
      const text = await rt.readFile(path);
      if (text !== null) out[path] = text;
    }
  }
  return out;
}

export function NodeProject<S>({ config, session, project, setProject, onRuntime, onRunDone, markers, reveal, onFiles }: Props<S>) {
  const [files, setFiles] = useState(() => projectFiles(config.starter, project));
  const [open, setOpen] = useState(() => config.entryPoints[0] ?? Object.keys(config.starter)[0]!);
  const [entry, setEntry] = useState(config.entryPoints[0]!);
  const [args, setArgs] = useState('');
  const [limit, setLimit] = useState(30);
  const [solution, setSolution] = useState(config.solutions[0]?.id ?? '');
  const [running, setRunning] = useState(false);
  const active = useRef<RunHandle | null>(null);
  const terminal = useRef<TerminalHandle>(null);
  const editor = useRef<CodeEditorHandle>(null);
  const filesRef = useRef(files);
  filesRef.current = files;
  const projectRef = useRef(project);
  projectRef.current = project;

  const mountAll = useCallback(
    async (rt: LabRuntime) => {
      await rt.mount({ ...projectRef.current.generated, ...filesRef.current, ...(config.provided ?? {}) });
      onRuntime?.(rt);
    },
    [config.provided, onRuntime],
  );
  const runtime = useProjectRuntime(mountAll);

  // A reset or another tab changed the edits: show them.
  useEffect(() => {
    const next = projectFiles(config.starter, project);
    if (JSON.stringify(editsOf(config.starter, next)) !== JSON.stringify(editsOf(config.starter, filesRef.current))) {
      setFiles(next);
      for (const [path, text] of Object.entries(next)) editor.current?.setText(path, text);
    }
  }, [project.edits]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the stored edits

  useEffect(() => onFiles?.(files), [files, onFiles]);

  // Open a file at a line when the lab asks (an annotation was clicked).
  useEffect(() => {
    if (!reveal || !(reveal.path in filesRef.current)) return;
    setOpen(reveal.path);
    const timer = setTimeout(() => editor.current?.reveal(reveal.line, reveal.column), 0);
    return () => clearTimeout(timer);
  }, [reveal]);

  // Keep edits a moment after typing stops.
  useEffect(() => {
    const edits = editsOf(config.starter, files);
    if (JSON.stringify(edits) === JSON.stringify(project.edits)) return;
    const timer = setTimeout(() => setProject((p) => ({ ...p, edits })), 300);
    return () => clearTimeout(timer);
  }, [files]); // eslint-disable-line react-hooks/exhaustive-deps -- saves the latest files

  const run = useCallback(async () => {
    if (active.current) return;
    setRunning(true);
    const argv = args.trim() ? args.trim().split(/\s+/) : [];
    const id = (projectRef.current.runs.at(-1)?.id ?? 0) + 1;
    const term = terminal.current;
    try {
      const rt = await runtime.ensure();
      await rt.mount({ ...filesRef.current, ...(config.provided ?? {}) });
      const started: RunEntry = { id, entry, args: argv, at: new Date().toISOString(), reason: 'running', code: null, durationMs: null, runtime: rt.kind };
      setProject((p) => ({ ...p, edits: editsOf(config.starter, filesRef.current), runs: [...p.runs, started].slice(-200) }));
      await term?.write(`\r\n\x1b[1m$ node ${[entry, ...argv].join(' ')}\x1b[0m\r\n`);
      const handle = rt.run({ entry, args: argv, timeoutMs: limit * 1000, onOutput: (chunk) => term?.write(chunk) });
      active.current = handle;
      const result = await handle.done;
      const { generated, dropped } = keepGenerated(await readKept(rt, config.keep), { keep: config.keep });
      const finished: RunEntry = { ...started, reason: result.reason, code: result.code, durationMs: Math.round(result.durationMs), ...(result.truncation ? { droppedChars: result.truncation.droppedChars } : {}) };
      setProject((p) => ({ ...p, generated, dropped, runs: p.runs.map((r) => (r.id === id ? finished : r)) }));
      const how = result.reason === 'exit' ? `exited with code ${result.code}` : result.reason === 'timeout' ? `was stopped at the ${limit} s time limit` : result.reason === 'killed' ? 'was stopped' : 'failed to run';
      await term?.write(`\x1b[90m[node ${entry} ${how}]\x1b[0m\r\n`);
      onRunDone?.(finished);
    } catch (error) {
      await term?.write(`\r\n\x1b[31m${error instanceof Error ? error.message : String(error)}\x1b[0m\r\n`);
    } finally {
      active.current = null;
      setRunning(false);
    }
  }, [args, entry, limit, runtime, config, setProject, onRunDone]);

  const stop = useCallback(() => active.current?.kill(), []);

  const showSolution = () => {
    const s = config.solutions.find((x) => x.id === solution);
    if (!s) return;
    session.markShown(`solution: ${s.label}`);
    const paths = Object.keys(s.files);
    for (const path of paths) editor.current?.replace(path, s.files[path]!);
    if (paths[0]) setOpen(paths[0]);
  };

  const download = () => {
    const zip = zipFiles({ ...filesRef.current, ...(config.provided ?? {}) }, `${config.name}/`);
    downloadFile(`${config.name}.zip`, zip, mime.zip);
  };

  const onEdit = useCallback((path: string, text: string) => setFiles((f) => (f[path] === text ? f : { ...f, [path]: text })), []);
  const addFile = (path: string) => {
    setFiles((f) => ({ ...f, [path]: f[path] ?? '' }));
    setOpen(path);
  };
  const removeFile = (path: string) => setFiles(({ [path]: _, ...rest }) => rest);

  return (
    <div className="lab-project">
      <RuntimeBanner banner={runtime.banner} onRunOffline={runtime.runOfflineNow} onRetry={runtime.retry} running={running} />
      <div className="lab-row" role="toolbar" aria-label="Run">
        <button type="button" className="lab-primary" onClick={run} disabled={running} aria-keyshortcuts="Control+Enter Meta+Enter">
          ▶ Run
        </button>
        <button type="button" onClick={stop} disabled={!running}>
          ■ Stop
        </button>
        <label>
          node
          <select value={entry} onChange={(e) => setEntry(e.target.value)} aria-label="Script to run">
            {config.entryPoints.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <input
          className="lab-args"
          value={args}
          onChange={(e) => setArgs(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void run()}
          placeholder="arguments, e.g. --epochs=50"
          aria-label="Arguments"
          spellCheck={false}
        />
        <label>
          Time limit
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {TIME_LIMITS.map((s) => (
              <option key={s} value={s}>{s} s</option>
            ))}
          </select>
        </label>
      </div>
      <div className="lab-project-main">
        <FileTree files={files} starter={config.starter} open={open} onOpen={setOpen} onAdd={addFile} onRemove={removeFile} />
        <div className="lab-section">
          <CodeEditor ref={editor} files={files} open={open} onEdit={onEdit} onRun={run} markers={markers} label={`Editing ${open}`} />
          <div className="lab-row">
            <button type="button" onClick={() => editor.current?.replace(open, config.starter[open] ?? '')} disabled={!(open in config.starter) || files[open] === config.starter[open]}>
              Reset file
            </button>
            {config.solutions.length > 0 && (
              <>
                <select value={solution} onChange={(e) => setSolution(e.target.value)} aria-label="Solution">
                  {config.solutions.map((s) => (
                    <option key={s.id} value={s.id}>{s.label}</option>
                  ))}
                </select>
                <button type="button" onClick={showSolution}>
                  Show solution
                </button>
              </>
            )}
            <button type="button" onClick={download}>
              Download project (.zip)
            </button>
          </div>
          {project.dropped.length > 0 && <p className="lab-muted">Not kept after a reload (too large): {project.dropped.join(', ')}.</p>}
        </div>
      </div>
      <Terminal ref={terminal} hint={config.hint} />
    </div>
  );
}
