/**
 * The quantize-and-prune lab's view: the lab's own controls and results. The shell (../shell) gives the status,
 * the job bar with Cancel, the criteria, the report and Reset; lab.ts says what is measured; worker.ts does the work.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { strToU8 } from 'fflate';
import { artifactNames, artifacts, quantizePrune, type QpState, type Variant } from '../../../../labs/quantize-prune/lab.ts';
import type { Backend, ModelSource, ModelSummary, NewVariants } from '../../../../labs/quantize-prune/protocol.ts';
import type { TfjsInfo } from '../../../labkit/ml/worker-env.ts';
import type { ExerciseSpec } from '../../../labkit/lab/exercise.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { ModelSection } from './ModelSection.tsx';
import { QuantizeSection } from './QuantizeSection.tsx';
import { PruneSection } from './PruneSection.tsx';
import { ResultsSection } from './ResultsSection.tsx';
import { useQpWorker, type StudentCode } from './useQpWorker.ts';
import { codeInUse } from '../../../labkit/lab/exercise.ts';
import { exercisesOf } from '../code/exercises.ts';

const EXERCISES = exercisesOf('quantize-prune');

export interface QpContext {
  state: QpState;
  summary: ModelSummary | null;
  busy: boolean;
  /** Runs a worker job that makes variants, keeps their files and adds them to the state. */
  make: (label: string, method: 'quantize' | 'experiment' | 'prune' | 'structured', params: never) => Promise<Variant[] | undefined>;
  shell: ReturnType<typeof useLabShell<QpState>>;
  client: ReturnType<typeof useQpWorker>['client'];
  exercises: ExerciseSpec[];
}

export default function QuantizePruneWorkspace({ lab }: LabProps) {
  const [info, setInfo] = useState<TfjsInfo | Error | null>(null);
  const [summary, setSummary] = useState<ModelSummary | null>(null);
  const code = useRef<StudentCode>({});
  const worker = useQpWorker(setInfo, () => code.current);
  const shell = useLabShell(quantizePrune, lab, {
    environment: () => ({
      'tfjs backend': info && !(info instanceof Error) ? info.backend : worker.backend.current,
      'tfjs version': info && !(info instanceof Error) ? info.tfjs : null,
      'wasm SIMD': info && !(info instanceof Error) ? info.simd : null,
      'threads used': info && !(info instanceof Error) ? info.threads : null,
      'test images': 5000,
    }),
    onReset: async () => {
      await artifacts.clear();
      setSummary(null);
    },
  });
  const state = shell.session.state;
  const busy = !!shell.job || !info || info instanceof Error;

  // The student's own functions, once their tests pass and they switch them on, replace the reference in the worker.
  const using: StudentCode = codeInUse(EXERCISES, shell.session.meta.code);
  const usingKey = JSON.stringify(using);
  useEffect(() => {
    code.current = using;
    void worker.client.call('code', using).promise.catch(() => undefined);
  }, [usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the code in use

  const keep = async (made: NewVariants) => {
    for (const f of made.files) {
      const names = artifactNames(f.id);
      await artifacts.put(names.json, strToU8(f.json));
      await artifacts.put(names.weights, f.weights);
    }
    shell.session.update((s) => ({ ...s, variants: [...s.variants, ...made.variants] }));
    return made.variants;
  };

  const make: QpContext['make'] = async (label, method, params) => {
    const made = await shell.run(label, (onProgress) => worker.client.call(method, params, { onProgress }));
    return made ? keep(made) : undefined;
  };

  const load = async (source: ModelSource, label: string) => {
    const loaded = await shell.run(label, (onProgress) => worker.client.call('load', source, { onProgress }));
    if (!loaded) {
      // A failed load may leave a half-built model behind: a fresh worker frees its memory.
      if (source.kind === 'upload') worker.client.restart('settings', 'a fresh worker after a failed upload');
      return;
    }
    worker.source.current = source;
    setSummary(loaded.summary);
    // One baseline per model in the results: a model loaded again keeps its earlier variants and baseline.
    if (!state.variants.some((v) => v.model === loaded.summary.key && v.kind === 'baseline')) await keep(loaded);
  };

  const switchBackend = (backend: Backend) => {
    worker.backend.current = backend;
    setInfo(null);
    worker.client.restart('settings', 'switching the backend');
  };

  const ctx: QpContext = { state, summary, busy, make, shell, client: worker.client, exercises: EXERCISES };
  const tensors = worker.stats?.numTensors;
  const status = useMemo(() => {
    if (!info) return 'Starting TensorFlow.js in a worker…';
    if (info instanceof Error) return `TensorFlow.js could not start: ${info.message}`;
    const mine = Object.keys(using);
    return `TensorFlow.js ${info.tfjs} on ${info.backend}${info.simd ? ' (SIMD)' : ''}, ${info.threads} thread, in a Web Worker.${tensors !== undefined ? ` Tensors in memory: ${tensors}.` : ''}${mine.length ? ` Using your ${mine.join(' and ')}.` : ''}`;
  }, [info, tensors, usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- usingKey stands for using

  return (
    <LabShell shell={shell} status={<span data-testid="tfjs-status">{status}</span>}>
      <ModelSection ctx={ctx} backend={worker.backend.current} onBackend={switchBackend} onLoad={load} />
      <QuantizeSection ctx={ctx} />
      <PruneSection ctx={ctx} />
      <ResultsSection ctx={ctx} />
    </LabShell>
  );
}
