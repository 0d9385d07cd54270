/**
 * One coding exercise in a lab: the student's function in the editor, its tests run against the lab's reference in
 * a sandbox worker (5 s limit, no network), which cases fail and why, the reference and tests once the student has
 * made an honest attempt, and the switch that makes the lab use the student's own function.
 */
import { useEffect, useRef, useState } from 'react';
import { canReveal, passedAll, type ExerciseRecord, type ExerciseRun, type ExerciseSpec } from '../../../labkit/lab/exercise.ts';
import type { ExerciseApi } from '../../../labkit/lab/exercise-worker.ts';
import { JobCancelled, type WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import type { LabSession } from '../../../labkit/lab/session.ts';
import { StatusIcon } from '../shell/StatusIcon.tsx';
import { useWorkerClient } from '../shell/useWorkerClient.ts';
import { CodeEditor } from './CodeEditor.tsx';

const LIMIT_MS = 5000;

export function ExercisePanel<S>({ session, spec }: { session: LabSession<S>; spec: ExerciseSpec }) {
  const stored = session.meta.code[spec.id];
  const record: ExerciseRecord = stored ?? { source: spec.starter, runs: 0, use: false };
  const [source, setSource] = useState(record.source);
  const [running, setRunning] = useState(false);
  const [reveal, setReveal] = useState(false);
  const { client } = useWorkerClient<ExerciseApi>({
    create: () => new Worker(new URL('../../../labkit/lab/exercise-worker.ts', import.meta.url), { type: 'module', name: 'exercise-sandbox' }) as unknown as WorkerLike,
    graceMs: 100,
  });
  const sourceRef = useRef(source);
  sourceRef.current = source;

  const save = (patch: Partial<ExerciseRecord>) =>
    session.updateMeta((m) => {
      const now = m.code[spec.id] ?? { source: spec.starter, runs: 0, use: false };
      return { ...m, code: { ...m.code, [spec.id]: { ...now, ...patch } } };
    });

  // Keep edits a moment after typing stops; an edit makes the last run out of date, and the lab stops using the code.
  useEffect(() => {
    if (source === record.source) return;
    const timer = setTimeout(() => {
      // A test run may have saved this very source (with its result) in the meantime.
      if (session.meta.code[spec.id]?.source !== source) save({ source, last: undefined, use: false });
    }, 400);
    return () => clearTimeout(timer);
  }, [source]); // eslint-disable-line react-hooks/exhaustive-deps -- saves the latest edit only

  const run = async () => {
    setRunning(true);
    const job = client.call('run', { spec: { reference: spec.reference, tests: spec.tests, exportName: spec.exportName }, source: sourceRef.current });
    const timer = setTimeout(() => job.cancel(), LIMIT_MS);
    let last: ExerciseRun;
    try {
      last = await job.promise;
    } catch (error) {
      last = {
        at: new Date().toISOString(),
        cases: [],
        error: error instanceof JobCancelled ? `your code was still running after ${LIMIT_MS / 1000} s (a loop that never ends?), so it was stopped` : error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
      setRunning(false);
    }
    save({ source: sourceRef.current, last, runs: record.runs + 1, use: passedAll(last) && record.use });
  };

  const last = stored?.source === source ? stored.last : undefined;
  const passed = last ? last.cases.filter((c) => c.passed).length : 0;
  const revealable = canReveal(spec, stored);
  const showReference = () => {
    session.markShown(`reference of ${spec.id}`);
    setReveal(true);
  };

  return (
    <section className="lab-section lab-exercise" aria-labelledby={`ex-${spec.id}`} data-exercise={spec.id}>
      <h3 id={`ex-${spec.id}`}>Write it yourself: {spec.title}</h3>
      <p>{spec.brief}</p>
      <CodeEditor files={{ [spec.file]: source }} open={spec.file} onEdit={(_, text) => setSource(text)} onRun={run} label={`Your ${spec.file}`} height="20rem" />
      <div className="lab-row">
        <button type="button" className="lab-primary" onClick={run} disabled={running} aria-keyshortcuts="Control+Enter Meta+Enter">
          {running ? 'Running the tests…' : 'Run the tests'}
        </button>
        <button type="button" onClick={() => setSource(spec.starter)} disabled={running || source === spec.starter}>
          Back to the starter
        </button>
        <label>
          <input type="checkbox" checked={!!stored?.use && passedAll(last)} disabled={!passedAll(last)} onChange={(e) => save({ use: e.target.checked })} /> use my function in the
          lab
        </label>
        {!reveal && (
          <button type="button" onClick={showReference} disabled={!revealable} title={revealable ? '' : 'Run the tests on your own code first'}>
            Show the reference and the tests
          </button>
        )}
      </div>
      <div aria-live="polite" data-testid={`exercise-result-${spec.id}`}>
        {last?.error && <p className="lab-alert">{last.error}</p>}
        {last && !last.error && (
          <>
            <p>
              {passed} of {last.cases.length} test cases pass{passed === last.cases.length ? ': well done. You can now use your function in the lab.' : '.'}
            </p>
            <ul className="lab-cases">
              {last.cases.map((c) => (
                <li key={c.name}>
                  <StatusIcon status={c.passed ? 'met' : 'not-met'} /> {c.name}
                  {c.message && <span className="lab-muted">: {c.message}</span>}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {reveal && (
        <details open>
          <summary>The reference and its tests (your report records that you opened them)</summary>
          <pre className="lab-code">{spec.reference}</pre>
          <pre className="lab-code">{spec.tests}</pre>
        </details>
      )}
    </section>
  );
}
