/**
 * The containers lab's view: the project with its editor and lint markers, builds in the simulator (worker), the
 * image they made, the Compose stack and the exports. The shell (../shell) gives the status, the job bar with
 * Cancel, the criteria, the report and Reset; labs/containers/lab.ts says what is measured.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { containers, MAX_BUILDS, type ContainersState } from '../../../../labs/containers/lab.ts';
import type { ContainersApi } from '../../../../labs/containers/worker.ts';
import type { BuildOutcome } from '../../../../labs/containers/protocol.ts';
import type { BuildOptions, ImageDetails } from '../../../../labs/containers/records.ts';
import type { ComposeOutcome } from '../../../../labs/containers/stack.ts';
import { starterProject, type ProjectFile } from '../../../../labs/containers/project.ts';
import type { WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import type { CodeEditorHandle } from '../code/CodeEditor.tsx';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';
import { ProjectSection } from './ProjectSection.tsx';
import { BuildSection } from './BuildSection.tsx';
import { ImageSection } from './ImageSection.tsx';
import { ComposeSection } from './ComposeSection.tsx';
import { ExportSection } from './ExportSection.tsx';
import './containers.css';

export interface ContainersContext {
  state: ContainersState;
  shell: ReturnType<typeof useLabShell<ContainersState>>;
  client: ReturnType<typeof useWorkerClient<ContainersApi>>['client'];
  busy: boolean;
  /** The project's text files as they are in the editor now (edits reach the state a moment later). */
  texts: Record<string, string>;
  editor: React.RefObject<CodeEditorHandle | null>;
  /** Replaces a file's text (as an edit the student sees), keeping it in the state at once. */
  setText(path: string, text: string): void;
  /** Runs a build of the project as it is now; `change` edits the files first (the experiment buttons). */
  runBuild(note?: string, change?: (files: ProjectFile[]) => ProjectFile[]): Promise<void>;
  options: BuildOptions;
  setOptions(o: BuildOptions): void;
  outcome: BuildOutcome | null;
  details: ImageDetails | null;
  compose: ComposeOutcome | null;
  setCompose(c: ComposeOutcome | null): void;
  open: string;
  setOpen(path: string): void;
}

const newId = (prefix: string, n: number) => `${prefix}${n}`;
const textsOf = (files: readonly ProjectFile[]) => Object.fromEntries(files.filter((f) => f.text !== undefined).map((f) => [f.path, f.text!]));

export default function ContainersWorkspace({ lab }: LabProps) {
  const { client } = useWorkerClient<ContainersApi>({
    create: () => new Worker(new URL('../../../../labs/containers/worker.ts', import.meta.url), { type: 'module', name: 'containers' }) as unknown as WorkerLike,
  });
  const [outcome, setOutcome] = useState<BuildOutcome | null>(null);
  const [details, setDetails] = useState<ImageDetails | null>(null);
  const [compose, setCompose] = useState<ComposeOutcome | null>(null);
  const [options, setOptions] = useState<BuildOptions>({});
  const [open, setOpen] = useState('Dockerfile');
  const editor = useRef<CodeEditorHandle | null>(null);
  const day = useRef(1);
  const shell = useLabShell(containers, lab, {
    environment: () => ({ 'build engine': 'course build simulator (BuildKit cache rules, simulated package world)', 'package world day': day.current }),
    onReset: () => {
      setOutcome(null);
      setDetails(null);
      setCompose(null);
      for (const [path, text] of Object.entries(textsOf(starterProject()))) editor.current?.setText(path, text);
    },
  });
  const state = shell.session.state;
  day.current = state.day;

  // The editor's texts, saved into the state a moment after typing stops.
  const [texts, setTexts] = useState<Record<string, string>>(() => textsOf(state.files));
  const pending = useRef(new Map<string, string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!pending.current.size) return;
    const edits = new Map(pending.current);
    pending.current.clear();
    shell.session.update((s) => ({ ...s, files: s.files.map((f) => (edits.has(f.path) && f.text !== edits.get(f.path) ? { ...f, text: edits.get(f.path)!, mtime: Date.now() } : f)) }));
  }, [shell.session]);
  const onEdit = useCallback(
    (path: string, text: string) => {
      setTexts((t) => (t[path] === text ? t : { ...t, [path]: text }));
      if (textsOf(shell.session.state.files)[path] === text) return;
      pending.current.set(path, text);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, 400);
    },
    [flush, shell.session],
  );
  useEffect(() => () => flush(), [flush]);
  // Another tab, an import or a reset changed the files: show them.
  const stored = useMemo(() => textsOf(state.files), [state.files]);
  useEffect(() => {
    if (pending.current.size) return;
    setTexts(stored);
    for (const [path, text] of Object.entries(stored)) editor.current?.setText(path, text);
  }, [stored]);

  const setText = useCallback(
    (path: string, text: string) => {
      flush();
      editor.current?.replace(path, text);
      setTexts((t) => ({ ...t, [path]: text }));
      pending.current.delete(path);
      shell.session.update((s) => ({ ...s, files: s.files.map((f) => (f.path === path ? { ...f, text, mtime: Date.now() } : f)) }));
    },
    [flush, shell.session],
  );

  const runBuild = useCallback(
    async (note?: string, change?: (files: ProjectFile[]) => ProjectFile[]) => {
      flush();
      const current = shell.session.state;
      if (current.builds.length >= MAX_BUILDS) {
        shell.warn(`The lab keeps at most ${MAX_BUILDS} builds. Download your report, then reset the lab to start a new series.`);
        return;
      }
      const files = change ? change(current.files) : current.files;
      if (change) {
        shell.session.update((s) => ({ ...s, files }));
        for (const f of files) if (f.text !== undefined && f.text !== textsOf(current.files)[f.path]) editor.current?.replace(f.path, f.text);
      }
      const id = newId('b', current.builds.length + 1);
      const made = await shell.run(`Build ${id}`, (onProgress) => {
        onProgress(0, 'building in the simulator');
        return client.call('build', { id, at: new Date().toISOString(), files, options, day: current.day, ...(note ? { note } : {}), history: current.builds, blobs: current.blobs });
      });
      if (!made) return;
      shell.session.update((s) => ({ ...s, builds: [...s.builds, made.record], blobs: { ...s.blobs, ...made.blobs } }));
      setOutcome(made);
      setDetails(made.details);
      shell.say(made.record.ok ? `Build ${id}: ${made.record.steps.filter((x) => x.decision === 'built' && x.keyword !== 'FROM').length} steps ran, ${made.record.steps.filter((x) => x.decision === 'cached').length} came from the cache.` : `Build ${id} failed at line ${made.record.error?.line}.`);
    },
    [client, flush, options, shell],
  );

  // After a reload: the details of the latest successful build come from the worker, which runs the builds again.
  const latest = state.builds.filter((b) => b.kind === 'build' && b.ok).at(-1);
  useEffect(() => {
    if (!latest || details || outcome) return;
    let gone = false;
    const job = client.call('details', { id: latest.id, history: state.builds, blobs: state.blobs });
    job.promise.then((d) => !gone && setDetails(d)).catch(() => undefined);
    return () => {
      gone = true;
    };
  }, [latest?.id]); // eslint-disable-line react-hooks/exhaustive-deps -- once per latest build

  const ctx: ContainersContext = {
    state,
    shell,
    client,
    busy: !!shell.job,
    texts,
    editor,
    setText,
    runBuild,
    options,
    setOptions,
    outcome,
    details,
    compose,
    setCompose,
    open,
    setOpen,
  };
  const builds = state.builds.filter((b) => b.kind === 'build').length;
  const status = `Build simulator ready (not Docker): ${builds} build${builds === 1 ? '' : 's'} recorded, package world on day ${state.day}.`;

  return (
    <LabShell shell={shell} status={<span data-testid="containers-status">{status}</span>}>
      <aside className="lab-notice ct-honest" aria-label="What this lab is">
        <p>
          <strong>A simulator, not Docker.</strong> Builds follow BuildKit&rsquo;s documented cache rules on a simulated package world: no container
          runs and nothing is downloaded. Export your project at the end and build it with Docker or Podman to see it for real.
        </p>
      </aside>
      <ProjectSection ctx={ctx} onEdit={onEdit} />
      <BuildSection ctx={ctx} />
      <ImageSection ctx={ctx} />
      <ComposeSection ctx={ctx} />
      <ExportSection ctx={ctx} />
    </LabShell>
  );
}
