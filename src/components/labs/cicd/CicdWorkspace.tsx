/**
 * The CI/CD lab's view: the node-project kit with the repository under CI (workflow problems and run annotations as
 * editor markers), the repository panel (commits, branches, pull requests), the runs, and the coding exercise.
 * The shell gives the status, criteria, report and Reset; lab.ts reads the criteria from the run records.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { REPO_FILES, WORKFLOW_PATH, REFERENCE_WORKFLOW } from '../../../../labs/cicd/files.ts';
import { cicd, type CicdState } from '../../../../labs/cicd/lab.ts';
import { BUILT_IN_ACTIONS } from '../../../labkit/ci/actions.ts';
import { SHELL_COMMANDS } from '../../../labkit/ci/shell.ts';
import { readWorkflow, type Problem } from '../../../labkit/ci/workflow.ts';
import { editsOf, projectFiles, type ProjectState } from '../../../labkit/lab/project.ts';
import type { LabRuntime } from '../../../labkit/runtime/types.ts';
import type { EditorMarker } from '../code/CodeEditor.tsx';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import { exercisesOf } from '../code/exercises.ts';
import { NodeProject, type ProjectConfig } from '../node-project/NodeProject.tsx';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { GitPanel } from './GitPanel.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import { useCi } from './useCi.ts';
import './workspace.css';

const EXERCISES = exercisesOf('cicd');
const isWorkflow = (path: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);

export default function CicdWorkspace({ lab }: LabProps) {
  const runtime = useRef<LabRuntime | null>(null);
  const shell = useLabShell<CicdState>(cicd, lab, {
    environment: () => ({ runtime: runtime.current?.kind ?? 'not started', runner: 'the lab runner: one job at a time' }),
    onReset: async () => {
      const rt = runtime.current;
      if (!rt) return;
      await rt.remove('');
      await rt.mount(REPO_FILES);
    },
  });
  const state = shell.session.state;
  const [files, setFiles] = useState(() => projectFiles(REPO_FILES, state.project));
  const filesRef = useRef(files);
  filesRef.current = files;
  const ci = useCi(shell, () => filesRef.current);
  const [selected, setSelected] = useState<number | null>(null);
  const [reveal, setReveal] = useState<{ path: string; line: number; column?: number } | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const busy = shell.job !== null;

  useEffect(() => ci.ensureRepo(), [ci.ensureRepo]); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the lab opens

  // Workflow problems as the student types (GitHub's parser), a moment after typing stops.
  useEffect(() => {
    const timer = setTimeout(async () => {
      const found: Problem[] = [];
      for (const path of Object.keys(files).filter(isWorkflow)) found.push(...(await readWorkflow(path, files[path]!)).problems);
      setProblems(found);
    }, 300);
    return () => clearTimeout(timer);
  }, [files]);

  const setProject = useCallback((change: (p: ProjectState) => ProjectState) => shell.session.update((s) => ({ ...s, project: change(s.project) })), [shell.session]);
  const config: ProjectConfig = useMemo(
    () => ({
      name: 'iris-ci',
      starter: REPO_FILES,
      solutions: [{ id: 'reference-workflow', label: 'The reference workflow', files: { [WORKFLOW_PATH]: REFERENCE_WORKFLOW } }],
      entryPoints: ['ci/lint.mjs', 'ci/validate-data.mjs', 'ci/train.mjs', 'ci/evaluate.mjs', 'ci/gate.mjs', 'ci/report.mjs', 'test/data.test.mjs', 'test/model.test.mjs', 'pipeline.mjs'],
      keep: (path: string) => /^(reports|models)\//.test(path),
      hint: 'Edit the workflow in .github/workflows/ci.yml, then Commit and push below. Run runs one script here, as on your own machine.',
    }),
    [],
  );

  const run = ci.live ?? state.runs.find((r) => r.id === selected) ?? state.runs.at(-1) ?? null;
  const markers: EditorMarker[] = useMemo(
    () => [
      ...problems.map((p) => ({ path: p.file, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn, severity: 'error' as const, message: p.message, source: 'workflow' })),
      ...(run?.annotations ?? [])
        .filter((a) => a.file && a.line && a.file in files)
        .map((a) => ({ path: a.file!, line: a.line!, column: a.col, severity: a.level === 'error' ? ('error' as const) : a.level === 'warning' ? ('warning' as const) : ('info' as const), message: `${a.title ? `${a.title}: ` : ''}${a.message} (run #${run!.id}, ${a.job})`, source: 'annotation' })),
    ],
    [problems, run, files],
  );

  const head = ci.repo.state.branches[state.branch];
  const changed = useMemo(() => (head ? Object.keys(editsOf(ci.repo.files(head), files)).concat(Object.keys(ci.repo.files(head)).filter((p) => !(p in files))) : []), [ci.repo, head, files]);

  return (
    <LabShell shell={shell} status={<span data-testid="ci-branch">On branch {state.branch}.</span>}>
      <NodeProject
        config={config}
        session={shell.session}
        project={state.project}
        setProject={setProject}
        onRuntime={(rt) => (runtime.current = rt)}
        markers={markers}
        reveal={reveal}
        onFiles={setFiles}
      />
      {problems.length > 0 && (
        <section className="lab-alert ci-problems" role="alert" aria-label="Workflow problems" data-testid="workflow-problems">
          <p>GitHub would not run this workflow:</p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                <button type="button" className="ci-link" onClick={() => setReveal({ path: p.file, line: p.line, column: p.column })}>
                  {p.file}:{p.line}:{p.column}
                </button>{' '}
                {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <GitPanel
        repo={ci.repo}
        branch={state.branch}
        changed={changed}
        runs={state.runs}
        busy={busy}
        scenarios={ci.scenarios}
        onCommit={(message) => void ci.commit(message)}
        onCheckout={(b) => void ci.checkout(b)}
        onCreateBranch={ci.createBranch}
        onOpenPull={(title) => void ci.openPull(title)}
        onMerge={(n) => void ci.merge(n)}
        onPlant={(s) => void ci.plant(s)}
        onDispatch={() => void ci.dispatch()}
        onShowRun={setSelected}
      />
      <RunsPanel
        runs={state.runs}
        live={ci.live}
        quiet={state.quiet}
        selected={ci.live ? ci.live.id : (selected ?? null)}
        onSelect={setSelected}
        onRerun={(r) => void ci.rerun(r)}
        onReveal={(path, line, column) => setReveal({ path, line, column })}
        busy={busy}
      />
      <details className="lab-section ci-supported">
        <summary>What the lab's runner supports</summary>
        <p>
          Actions it runs itself: {BUILT_IN_ACTIONS.join(', ')}. Any other action fails with the reason: the runner cannot download actions from GitHub
          offline, and container actions need Docker.
        </p>
        <p>
          The shell of <code>run:</code> steps: {SHELL_COMMANDS.join(', ')}, with <code>&amp;&amp;</code>, <code>||</code>, <code>;</code>, quotes,
          <code> $VAR</code> and <code>&gt;</code>/<code>&gt;&gt;</code>. No pipes, <code>$( )</code>, wildcards, <code>if</code>/<code>for</code>: put such logic
          in a node script. A step stops after 30 s (or its <code>timeout-minutes</code>).
        </p>
        <p>
          Jobs run one after another on one runner, in the order GitHub would start them. A pull request runs on its head commit (GitHub runs a merge commit,
          which has the same files while main has not moved).
        </p>
      </details>
      {EXERCISES.map((exercise) => (
        <section key={exercise.id} className="lab-section" aria-label={`Coding exercise: ${exercise.title}`}>
          <ExercisePanel session={shell.session} spec={exercise} />
        </section>
      ))}
    </LabShell>
  );
}
