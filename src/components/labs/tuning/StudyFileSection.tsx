/** Step 1: the study file in the editor (objective, direction, grid), and a check that runs one replayed trial. */
import { useState } from 'react';
import type { TuningApi } from '../../../../labs/tuning/worker.ts';
import type { ResultOf } from '../../../labkit/lab/worker-rpc.ts';
import { CodeEditor, type EditorMarker } from '../code/CodeEditor.tsx';
import { syntaxProblem } from '../../../../labs/tuning/objective.ts';
import type { TuningContext } from './TuningWorkspace.tsx';

type Check = ResultOf<TuningApi['check']>;

export function StudyFileSection({ ctx, starter }: { ctx: TuningContext; starter: string }) {
  const [text, setText] = useState(ctx.currentSource());
  const [check, setCheck] = useState<Check | null>(null);
  const syntax = syntaxProblem(text);
  const markers: EditorMarker[] = syntax?.line ? [{ path: 'study.mjs', line: syntax.line, column: syntax.column, severity: 'error', message: syntax.message }] : [];

  const edit = (value: string) => {
    setText(value);
    setCheck(null);
    ctx.setSource(value);
  };

  const run = async () => {
    const result = await ctx.shell.run('Check the study file', (onProgress) => ctx.client.call('check', { source: text }, { onProgress }));
    setCheck(result ?? null);
  };

  return (
    <section className="lab-section" aria-labelledby="tuning-file">
      <h2 id="tuning-file">1. Your search space and objective</h2>
      <p>
        Write the objective as you would for Optuna. Each <code>trial.suggest…</code> call defines one dimension of the search space; <code>train(config)</code> trains
        the lab's network and <code>run.epoch()</code> gives its validation error after each epoch. Report it, and let the pruner stop the trial.
      </p>
      <div className="lab-file-editor">
        <CodeEditor files={{ 'study.mjs': text }} open="study.mjs" onEdit={(_, value) => edit(value)} onRun={run} markers={markers} label="Your study.mjs" height="24rem" />
      </div>
      <div className="lab-row">
        <button type="button" className="lab-primary" onClick={run} disabled={ctx.busy || !!syntax}>
          Check the study file
        </button>
        <button type="button" onClick={() => edit(starter)} disabled={ctx.busy || text === starter}>
          Back to the starter
        </button>
      </div>
      {syntax && (
        <p className="lab-alert" role="alert" data-testid="syntax-error">
          {syntax.message}
        </p>
      )}
      {check && (
        <div data-testid="check-result" className="lab-section">
          <p className={check.state === 'COMPLETE' ? 'lab-ok' : 'lab-alert'}>
            {check.state === 'COMPLETE'
              ? `One replayed trial ran: value ${check.value}, ${check.epochs} epochs. The study ${check.direction === 'minimize' ? 'minimises' : 'maximises'} it.`
              : `One replayed trial ${check.state === 'PRUNED' ? 'was pruned' : 'failed'}: ${check.reason}`}
          </p>
          <div className="lab-scroll" role="region" aria-label="The parameters your objective asked for" tabIndex={0}>
            <table className="lab-table">
              <caption>The parameters your objective asked for{check.grid ? `; your grid has ${Object.values(check.grid).reduce((n, v) => n * v.length, 1)} points` : '; no grid exported (grid search needs one)'}</caption>
              <thead>
                <tr>
                  <th>parameter</th>
                  <th className="lab-text">distribution</th>
                  <th>value in the trial</th>
                  <th className="lab-text">grid values</th>
                </tr>
              </thead>
              <tbody>
                {check.params.map((p) => (
                  <tr key={p.name}>
                    <td>{p.name}</td>
                    <td className="lab-text">{p.distribution}</td>
                    <td>{JSON.stringify(p.value)}</td>
                    <td className="lab-text">{check.grid?.[p.name] ? JSON.stringify(check.grid[p.name]) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
