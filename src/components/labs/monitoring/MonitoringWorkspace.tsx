/**
 * The monitoring lab's view: its controls and results. The shell (../shell) gives the status, the job bar with
 * Cancel, the criteria, the report and Reset; lab.ts says what is measured; the worker serves the stream and runs the
 * experiments.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { monitoring, type MonitoringState } from '../../../../labs/monitoring/lab.ts';
import type { ModelName, StudentCode } from '../../../../labs/monitoring/worker.ts';
import type { TfjsInfo } from '../../../labkit/ml/worker-env.ts';
import { codeInUse } from '../../../labkit/lab/exercise.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { exercisesOf } from '../code/exercises.ts';
import { useMonitoringWorker } from './useMonitoringWorker.ts';
import { StreamSection } from './StreamSection.tsx';
import { DetectorSection } from './DetectorSection.tsx';
import { ConceptSection } from './ConceptSection.tsx';
import { AlertSection } from './AlertSection.tsx';
import { LogSection } from './LogSection.tsx';
import { MetricsSection } from './MetricsSection.tsx';

const EXERCISES = exercisesOf('monitoring');

export interface MonitoringContext {
  state: MonitoringState;
  model: { name: ModelName; params: number; accuracy: number } | null;
  busy: boolean;
  shell: ReturnType<typeof useLabShell<MonitoringState>>;
  client: ReturnType<typeof useMonitoringWorker>['client'];
  exercises: typeof EXERCISES;
  /** A short random id for a new result. */
  newId: (prefix: string) => string;
}

export default function MonitoringWorkspace({ lab }: LabProps) {
  const [info, setInfo] = useState<TfjsInfo | Error | null>(null);
  const [model, setModel] = useState<MonitoringContext['model']>(null);
  const code = useRef<StudentCode>({});
  const worker = useMonitoringWorker(setInfo, () => code.current);
  const shell = useLabShell(monitoring, lab, {
    environment: () => ({
      'tfjs backend': info && !(info instanceof Error) ? info.backend : null,
      'tfjs version': info && !(info instanceof Error) ? info.tfjs : null,
      model: model?.name ?? null,
      'reference accuracy': model ? model.accuracy : null,
    }),
  });
  const state = shell.session.state;
  const busy = !!shell.job || !info || info instanceof Error;

  // The student's own statistics, once their tests pass and they switch them on, replace the reference in the worker.
  const using: StudentCode = codeInUse(EXERCISES, shell.session.meta.code);
  const usingKey = JSON.stringify(using);
  useEffect(() => {
    code.current = using;
    void worker.client.call('code', using).promise.catch(() => undefined);
  }, [usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the code in use

  const load = async (name: ModelName) => {
    const loaded = await shell.run(`Load the ${name} model`, (onProgress) => worker.client.call('load', name, { onProgress }));
    if (!loaded) return;
    worker.model.current = name;
    setModel({ name, params: loaded.params, accuracy: loaded.accuracy });
  };

  // The dense model loads by itself once the worker is ready: every section needs it.
  useEffect(() => {
    if (info && !(info instanceof Error) && !model && !shell.job) void load('dense');
  }, [info]); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the worker is ready

  const ctx: MonitoringContext = { state, model, busy: busy || !model, shell, client: worker.client, exercises: EXERCISES, newId: (p) => `${p}${Math.random().toString(36).slice(2, 6)}` };
  const tensors = worker.stats?.numTensors;
  const mine = Object.keys(using);
  const status = useMemo(() => {
    if (!info) return 'Starting TensorFlow.js in a worker…';
    if (info instanceof Error) return `TensorFlow.js could not start: ${info.message}`;
    const serving = model ? `Serving the ${model.name} model (${model.params.toLocaleString('en')} parameters, ${(model.accuracy * 100).toFixed(1)}% on the reference).` : 'Loading the model…';
    return `TensorFlow.js ${info.tfjs} on ${info.backend}, in a Web Worker. ${serving}${tensors !== undefined ? ` Tensors in memory: ${tensors}.` : ''}${mine.length ? ` Using your ${mine.join(', ')}.` : ''}`;
  }, [info, model, tensors, usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- usingKey stands for mine

  return (
    <LabShell shell={shell} status={<span data-testid="tfjs-status">{status}</span>}>
      <section className="lab-section" aria-labelledby="mon-model">
        <h2 id="mon-model">Model</h2>
        <div className="lab-row">
          <label>
            Model serving the stream
            <select value={model?.name ?? 'dense'} disabled={busy} onChange={(e) => void load(e.target.value as ModelName)}>
              <option value="dense">dense (784 → 128 → 64 → 10)</option>
              <option value="cnn">small CNN</option>
            </select>
          </label>
        </div>
        <p className="lab-muted">The criteria were calibrated with the dense model; the CNN shows how a stronger model changes the picture.</p>
      </section>
      <StreamSection ctx={ctx} />
      <MetricsSection ctx={ctx} />
      <DetectorSection ctx={ctx} />
      <ConceptSection ctx={ctx} />
      <AlertSection ctx={ctx} />
      <LogSection ctx={ctx} />
    </LabShell>
  );
}
