/**
 * The tuning lab's view: the study file, studies (replayed or live), comparisons over many seeds, the dashboard,
 * the Hyperband calculator and the coding exercises. The shell (../shell) gives the status, the job bar with Cancel,
 * the criteria, the report and Reset; labs/tuning/lab.ts says what is measured; labs/tuning/worker.ts does the work.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import starter from '../../../../labs/tuning/starter/study.mjs?raw';
import { tuning } from '../../../../labs/tuning/lab.ts';
import { sourceKey, type Comparison, type StoredStudy, type StoredTrial, type TuningState } from '../../../../labs/tuning/records.ts';
import { strategyLabel, type Strategy } from '../../../../labs/tuning/strategy.ts';
import { journalLines } from '../../../labkit/tuning/journal.ts';
import { trialsCsv } from '../../../labkit/tuning/csv.ts';
import { journalStudy } from '../../../../labs/tuning/records.ts';
import { codeInUse } from '../../../labkit/lab/exercise.ts';
import { sha256Hex } from '../../../labkit/lab/evidence.ts';
import { downloadFile } from '../../../labkit/report/download.ts';
import { WorkerFailed } from '../../../labkit/lab/worker-rpc.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import { exercisesOf } from '../code/exercises.ts';
import { siteBase, WASM } from '../../../labkit/ml/tfjs-assets.ts';
import { progressRouter, useTuningWorker, type WorkerEvent } from './useTuningWorker.ts';
import { StudyFileSection } from './StudyFileSection.tsx';
import { RunSection } from './RunSection.tsx';
import { CompareSection } from './CompareSection.tsx';
import { DashboardSection } from './DashboardSection.tsx';
import { HyperbandSection } from './HyperbandSection.tsx';
import './tuning.css';

const EXERCISES = exercisesOf('tuning');
/** Replays a study at most this often after its objective blocked the worker. */
const MAX_REPLAYS = 3;

export const spareCores = () => Math.max(1, Math.min(4, (typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2) - 1));

export interface TuningContext {
  state: TuningState;
  /** The study file as it is in the editor now. */
  currentSource(): string;
  setSource(text: string): void;
  busy: boolean;
  shell: ReturnType<typeof useLabShell<TuningState>>;
  client: ReturnType<typeof useTuningWorker>['client'];
  selected: StoredStudy | null;
  select(id: string): void;
  runStudy(mode: 'replay' | 'live', strategy: Strategy, seed: number): Promise<void>;
  compare(strategies: Strategy[], firstSeed: number, seeds: number): Promise<Comparison | undefined>;
  test(study: StoredStudy): Promise<void>;
  exportStudy(study: StoredStudy, format: 'journal' | 'csv'): Promise<void>;
}

const newId = (prefix: string, n: number) => `${prefix}-${n}-${Math.random().toString(36).slice(2, 6)}`;

/** A study being run, built from the worker's trial updates, for the dashboard while it runs. */
function liveView(base: Omit<StoredStudy, 'trials'>, trials: Map<number, StoredTrial>): StoredStudy {
  return { ...base, trials: [...trials.values()].sort((a, b) => a.number - b.number) };
}

export default function TuningWorkspace({ lab }: LabProps) {
  const code = useRef<{ sampleRandom?: string; promotable?: string }>({});
  const { client } = useTuningWorker(() => code.current);
  // The study file's section starts afresh (from the starter) after a reset.
  const [generation, setGeneration] = useState(0);
  // The text in the editor now: edits reach the stored state a moment later, but a run always takes the latest.
  const latest = useRef<string | null>(null);
  const shell = useLabShell(tuning, lab, {
    environment: () => ({ 'spare cores used for live studies': spareCores() }),
    onReset: () => {
      latest.current = null;
      setGeneration((g) => g + 1);
    },
  });
  const state = shell.session.state;
  const currentSource = () => latest.current ?? shell.session.state.draft ?? starter;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [running, setRunning] = useState<StoredStudy | null>(null);
  const busy = !!shell.job;

  // The student's own functions, once their tests pass and they switch them on, replace the lab's in the worker.
  const using = codeInUse(EXERCISES, shell.session.meta.code) as { sampleRandom?: string; promotable?: string };
  const usingKey = JSON.stringify(using);
  useEffect(() => {
    code.current = using;
    void client.call('code', using).promise.catch(() => undefined);
  }, [usingKey]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the code in use

  const draftTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const setSource = (text: string) => {
    latest.current = text;
    clearTimeout(draftTimer.current);
    draftTimer.current = setTimeout(() => shell.session.update((s) => ({ ...s, draft: text })), 400);
  };

  const keep = (study: StoredStudy, source: string) => {
    shell.session.update((s) => ({ ...s, studies: [...s.studies, study], sources: { ...s.sources, [study.source]: source } }));
    setSelectedId(study.id);
  };

  const runStudy: TuningContext['runStudy'] = async (mode, strategy, seed) => {
    const source = currentSource();
    const id = newId(mode, state.studies.filter((s) => s.mode === mode).length + 1);
    const createdAt = new Date().toISOString();
    const base: Omit<StoredStudy, 'trials'> = { id, name: id, mode, createdAt, strategy, seed, direction: 'minimize', source: sourceKey(source), space: {}, epochs: 0, exports: [] };
    const trials = new Map<number, StoredTrial>();
    let active = -1;
    const onEvent = (e: WorkerEvent) => {
      if (e.kind === 'active') active = e.trial;
      else {
        trials.set(e.trial.number, { ...e.trial });
        setRunning(liveView(base, trials));
      }
    };
    const label = `${mode === 'live' ? 'Live study' : 'Replay'}: ${strategyLabel(strategy)}`;
    const skip: number[] = [];
    try {
      for (let attempt = 0; attempt <= MAX_REPLAYS; attempt++) {
        let failed: unknown = null;
        const result = await shell.run(label, (onProgress) => {
          const route = progressRouter(onProgress, onEvent);
          const job =
            mode === 'live'
              ? client.call('live', { id, createdAt, source, strategy, seed, setup: { backend: 'wasm', base: siteBase(), wasm: WASM } }, { onProgress: route })
              : client.call('replay', { id, createdAt, source, strategy, seed, skip }, { onProgress: route });
          job.promise.catch((error) => (failed = error));
          return job;
        });
        if (result) {
          keep(result, source);
          if (skip.length) shell.say(`${label}: done. Trial${skip.length > 1 ? 's' : ''} ${skip.join(', ')} blocked the worker and failed; the study was replayed from its seed without running ${skip.length > 1 ? 'them' : 'it'} again.`);
          return;
        }
        // A replay whose objective blocked the worker: replay it again from its seed, failing that trial at once.
        if (mode === 'replay' && failed instanceof WorkerFailed && /sent nothing/.test(failed.message) && active >= 0 && !skip.includes(active)) {
          skip.push(active);
          continue;
        }
        if (mode === 'live' && trials.size) shell.warn(`${label}: stopped. The ${[...trials.values()].filter((t) => t.state !== 'RUNNING').length} trials that finished are shown below but not kept.`);
        return;
      }
    } finally {
      setRunning(null);
    }
  };

  const compare: TuningContext['compare'] = async (strategies, firstSeed, seeds) => {
    const source = currentSource();
    const id = newId('compare', state.comparisons.length + 1);
    const result = await shell.run(`Compare ${strategies.length} strategies over ${seeds} seeds`, (onProgress) =>
      client.call('compare', { id, createdAt: new Date().toISOString(), source, strategies, firstSeed, seeds }, { onProgress: progressRouter(onProgress, () => undefined) }),
    );
    if (!result) return undefined;
    shell.session.update((s) => ({ ...s, comparisons: [...s.comparisons, result], sources: { ...s.sources, [result.source]: source } }));
    return result;
  };

  const test: TuningContext['test'] = async (study) => {
    if (study.test) return shell.warn(`Study ${study.id} has had its one look at the test images already.`);
    const result = await shell.run(`Test the chosen configuration of ${study.id}`, (onProgress) => client.call('test', { study, setup: { backend: 'wasm', base: siteBase(), wasm: WASM } }, { onProgress: progressRouter(onProgress, () => undefined) }));
    if (!result) return;
    shell.session.update((s) => ({ ...s, studies: s.studies.map((x) => (x.id === study.id && !x.test ? { ...x, test: { trial: result.trial, wrong: result.wrong, images: result.images, epochs: result.epochs, at: new Date().toISOString() } } : x)) }));
    if (result.note) shell.say(`Tested. Note: ${result.note}.`);
  };

  const exportStudy: TuningContext['exportStudy'] = async (study, format) => {
    const js = journalStudy(study);
    const text = format === 'journal' ? journalLines(js) : trialsCsv(js);
    downloadFile(`${study.id}.${format === 'journal' ? 'jsonl' : 'csv'}`, text, format === 'journal' ? 'application/x-ndjson' : 'text/csv');
    const sha256 = await sha256Hex(new TextEncoder().encode(text));
    shell.session.update((s) => ({ ...s, studies: s.studies.map((x) => (x.id === study.id ? { ...x, exports: [...x.exports, { format, at: new Date().toISOString(), sha256 }].slice(-100) } : x)) }));
  };

  const selected = running ?? state.studies.find((s) => s.id === selectedId) ?? state.studies.at(-1) ?? null;
  const ctx: TuningContext = { state, currentSource, setSource, busy, shell, client, selected, select: setSelectedId, runStudy, compare, test, exportStudy };
  const mine = Object.keys(using);
  const status = useMemo(
    () => `Studies run in a worker of their own; live studies train on up to ${spareCores()} more.${mine.length ? ` Using your ${mine.join(' and ')}.` : ''}`,
    [usingKey], // eslint-disable-line react-hooks/exhaustive-deps -- usingKey stands for mine
  );

  return (
    <LabShell shell={shell} status={<span data-testid="tuning-status">{status}</span>}>
      <StudyFileSection key={generation} ctx={ctx} starter={starter} />
      <RunSection ctx={ctx} />
      <DashboardSection ctx={ctx} running={!!running} />
      <CompareSection ctx={ctx} />
      <HyperbandSection />
      <section className="lab-section" aria-labelledby="tuning-exercises">
        <h2 id="tuning-exercises">6. Write a sampler and a pruner yourself</h2>
        {EXERCISES.map((spec) => (
          <ExercisePanel key={spec.id} session={shell.session} spec={spec} />
        ))}
      </section>
    </LabShell>
  );
}
