/**
 * The pipeline lab's view: the node-project kit with the lab's project, and the runs panel. The shell gives the
 * status, criteria, report and Reset; lab.ts reads the criteria from the run records.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ENTRY_POINTS, SOLUTION_FILES, STARTER_FILES } from '../../../../labs/pipeline/files.ts';
import { fromLegacy, keep, LEGACY_KEY, pipeline, runRecords, type PipelineState } from '../../../../labs/pipeline/lab.ts';
import type { ProjectState, RunEntry } from '../../../labkit/lab/project.ts';
import type { LabRuntime } from '../../../labkit/runtime/types.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { NodeProject, type ProjectConfig } from '../node-project/NodeProject.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import './workspace.css';

const runId = (run: RunEntry) => `run-${String(run.id).padStart(3, '0')}`;

export default function PipelineWorkspace({ lab }: LabProps) {
  const runtime = useRef<LabRuntime | null>(null);
  const shell = useLabShell<PipelineState>(pipeline, lab, {
    environment: () => ({ runtime: runtime.current?.kind ?? 'not started' }),
    onReset: async () => {
      const rt = runtime.current;
      if (!rt) return;
      await rt.remove('');
      await rt.mount(STARTER_FILES);
    },
  });
  const project = shell.session.state.project;

  // Work kept by the first version of this lab, outside the progress store, moves into it once.
  useEffect(() => {
    try {
      const legacy = fromLegacy(localStorage.getItem(LEGACY_KEY));
      if (legacy && !project.runs.length && !Object.keys(project.edits).length) shell.session.update(() => ({ project: legacy }));
      localStorage.removeItem(LEGACY_KEY);
    } catch {
      /* storage blocked: nothing to move */
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, on the first visit
  const setProject = (change: (p: ProjectState) => ProjectState) => shell.session.update((s) => ({ ...s, project: change(s.project) }));
  const { records, problems } = useMemo(() => runRecords(project), [project]);
  const [selected, setSelected] = useState<string | null>(null);
  const config: ProjectConfig = useMemo(
    () => ({
      name: 'iris-pipeline-lab',
      starter: STARTER_FILES,
      solutions: Object.entries(SOLUTION_FILES).map(([step, files]) => ({ id: `step-${step}`, label: `Step ${step}`, files })),
      entryPoints: ENTRY_POINTS,
      provided: { 'criteria.json': `${JSON.stringify(lab.criteria, null, 2)}\n` },
      keep,
      hint: 'Press Run (or Ctrl/Cmd+Enter) to run the pipeline. Its output appears here.',
    }),
    [lab.criteria],
  );
  // A run the page stopped (or that was cut off by a reload) left a record that still says "running".
  const stopped = new Set(project.runs.filter((r) => r.reason !== 'exit' && r.reason !== 'running').map(runId));
  const shown = records.map((r) => (r.state === 'running' && stopped.has(r.runId) ? { ...r, state: 'stopped' } : r));

  return (
    <LabShell shell={shell}>
      <NodeProject
        config={config}
        session={shell.session}
        project={project}
        setProject={setProject}
        onRuntime={(rt) => (runtime.current = rt)}
        onRunDone={(run) => setSelected(runId(run))}
      />
      {problems.length > 0 && (
        <p className="lab-notice" data-testid="record-problems">
          Some run records do not have the shape the lab reads, so they are left out of the criteria:{' '}
          {problems.map((p) => `${p.path} (${p.message})`).join('; ')}.
        </p>
      )}
      <RunsPanel runs={shown} selected={selected ?? shown.at(-1)?.runId ?? null} onSelect={setSelected} files={project.generated} />
    </LabShell>
  );
}
