/**
 * Step 3: the dashboard of one study. One filter (trial states, the best k %, brushed ranges) applies to every chart
 * and to the trial table. The study's one look at the test images, and its export (Optuna journal, CSV), are here.
 */
import { useMemo, useState } from 'react';
import { bestTrialOf, intermediateOf, valueOf, type StoredStudy } from '../../../../labs/tuning/records.ts';
import { MIN_IMPORTANCE_TRIALS, historyChart, importanceChart, intermediateChart, NO_FILTER, OBJECTIVE, paramNames, parallelOptions, selected as selectTrials, sliceChart, timeline, edfChart, type DashboardFilter } from '../../../../labs/tuning/dashboard.ts';
import { strategyLabel } from '../../../../labs/tuning/strategy.ts';
import { duplicateCount } from '../../../labkit/tuning/samplers.ts';
import { wilson } from '../../../labkit/stats/proportions.ts';
import type { Brush } from '../../../labkit/charts/parallel.ts';
import type { TrialState } from '../../../labkit/tuning/study.ts';
import { Chart } from '../shell/Chart.tsx';
import { ParallelCoordinates } from './ParallelCoordinates.tsx';
import type { TuningContext } from './TuningWorkspace.tsx';

const STATES: TrialState[] = ['COMPLETE', 'PRUNED', 'FAIL'];
const fmt = (v: number | null) => (v === null ? '—' : Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

export function DashboardSection({ ctx, running }: { ctx: TuningContext; running: boolean }) {
  const study = ctx.selected;
  const [filter, setFilter] = useState<DashboardFilter>(NO_FILTER);
  const [slice, setSlice] = useState<string | null>(null);
  const keep = useMemo(() => (study ? selectTrials(study, filter) : new Set<number>()), [study, filter]);
  const charts = useMemo(() => {
    if (!study) return null;
    return {
      history: historyChart(study, keep),
      curves: intermediateChart(study, keep),
      importance: running || study.trials.filter((t) => t.state === 'COMPLETE' && keep.has(t.number)).length < MIN_IMPORTANCE_TRIALS ? null : importanceChart(study, keep),
      edf: edfChart(
        `Empirical distribution of the objective: ${study.name}`,
        [{ name: 'complete trials', values: study.trials.filter((t) => t.state === 'COMPLETE' && keep.has(t.number)).map((t) => valueOf(t)!) }],
        'objective value',
      ),
      timeline: timeline(study, keep),
    };
  }, [study, keep, running]);
  const parallel = useMemo(() => (study ? parallelOptions(study, keep) : null), [study, keep]);
  if (!study || !charts || !parallel) {
    return (
      <section className="lab-section" aria-labelledby="tuning-dashboard">
        <h2 id="tuning-dashboard">3. Dashboard</h2>
        <p className="lab-muted">Run a study: its charts appear here.</p>
      </section>
    );
  }
  const names = paramNames(study);
  const sliceParam = slice && names.includes(slice) ? slice : (names[0] ?? null);
  const best = bestTrialOf(study);
  const finished = !running && study.trials.every((t) => t.state !== 'RUNNING');
  const count = (s: TrialState) => study.trials.filter((t) => t.state === s).length;
  const brush = (name: string, b: Brush | null) =>
    setFilter((f) => {
      const brushes = { ...f.brushes };
      if (b) brushes[name] = b;
      else delete brushes[name];
      return { ...f, brushes };
    });
  const testAccuracy = study.test ? 1 - study.test.wrong / study.test.images : null;
  const testInterval = study.test ? wilson(study.test.images - study.test.wrong, study.test.images) : null;

  return (
    <section className="lab-section" aria-labelledby="tuning-dashboard" data-testid="dashboard">
      <h2 id="tuning-dashboard">3. Dashboard</h2>
      <div className="lab-row">
        <label>
          Study
          <select value={study.id} onChange={(e) => ctx.select(e.target.value)} disabled={running}>
            {(running ? [study] : ctx.state.studies).map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}: {strategyLabel(s.strategy)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p data-testid="study-summary">
        {study.mode === 'replay' ? `Replayed with seed ${study.seed}` : `Live${study.environment ? ` on ${study.environment.workers} worker${study.environment.workers > 1 ? 's' : ''} (${study.environment.backend}, 1 thread each)` : ''}`}: {count('COMPLETE')} complete,{' '}
        {count('PRUNED')} pruned, {count('FAIL')} failed{running ? `, ${count('RUNNING')} running` : ''}; {duplicateCount(study.trials)} repeated an earlier trial's parameters; {study.epochs || study.trials.reduce((a, t) => a + t.intermediate.length, 0)} epochs trained.
        {best && ` Best value ${fmt(valueOf(best))} (trial ${best.number}${best.userAttrs?.config ? `, ${String(best.userAttrs.config)}` : ''}).`}
        {study.stopped && ` The study ended early: ${study.stopped}.`}
      </p>

      <fieldset className="lab-form">
        <legend>Filter (applies to every chart and the table)</legend>
        {STATES.map((s) => (
          <label key={s} className="tuning-inline">
            <input type="checkbox" checked={filter.states.includes(s)} onChange={(e) => setFilter((f) => ({ ...f, states: e.target.checked ? [...f.states, s] : f.states.filter((x) => x !== s) }))} /> {s.toLowerCase()}
          </label>
        ))}
        <label>
          Best % of complete trials
          <input type="number" min={1} max={100} value={filter.topPercent} onChange={(e) => setFilter((f) => ({ ...f, topPercent: Number.isFinite(e.target.valueAsNumber) ? Math.min(100, Math.max(1, e.target.valueAsNumber)) : 100 }))} />
        </label>
        <p className="lab-muted">
          {keep.size} of {study.trials.length} trials shown.{' '}
          {Object.keys(filter.brushes).length > 0 && (
            <button type="button" onClick={() => setFilter((f) => ({ ...f, brushes: {} }))}>
              Clear {Object.keys(filter.brushes).length} range{Object.keys(filter.brushes).length > 1 ? 's' : ''}
            </button>
          )}
        </p>
      </fieldset>

      <Chart svg={charts.history} caption="Each complete trial's value, and the best so far. Pruned trials keep their last reported value (faint)." testId="history-chart" />
      <Chart svg={charts.curves} caption="What each trial reported after each epoch; pruned trials faint. Pruners compare these curves at the rungs." testId="curves-chart" />
      <ParallelCoordinates options={parallel} brushes={filter.brushes} onBrush={brush} />
      <RangeForm study={study} filter={filter} onBrush={brush} />
      {charts.importance ? (
        <Chart svg={charts.importance} caption="How much of the spread of the complete trials' values each parameter explains alone (ω²), with a bootstrap interval." testId="importance-chart" />
      ) : (
        <p className="lab-muted">{running ? 'Parameter importance appears when the study has finished.' : `Parameter importance needs at least ${MIN_IMPORTANCE_TRIALS} complete trials among those the filter keeps.`}</p>
      )}
      <div className="lab-row">
        <label>
          Slice by
          <select value={sliceParam ?? ''} onChange={(e) => setSlice(e.target.value)}>
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
      {sliceParam && <Chart svg={sliceChart(study, keep, sliceParam)} testId="slice-chart" />}
      <Chart svg={charts.edf} testId="edf-chart" />
      <Chart svg={charts.timeline} caption="Which worker ran which trial when: gaps are idle workers." testId="timeline-chart" />

      <details>
        <summary>Trial table ({keep.size} trials)</summary>
        <div className="lab-scroll" role="region" aria-label="Trial table" tabIndex={0}>
          <table className="lab-table" data-testid="trial-table">
            <thead>
              <tr>
                <th>trial</th>
                <th className="lab-text">state</th>
                <th>value</th>
                {names.map((n) => (
                  <th key={n}>{n}</th>
                ))}
                <th>epochs</th>
                <th>worker</th>
                <th className="lab-text">why it failed or was pruned</th>
              </tr>
            </thead>
            <tbody>
              {study.trials
                .filter((t) => keep.has(t.number))
                .map((t) => (
                  <tr key={t.number} data-state={t.state}>
                    <td>{t.number}</td>
                    <td className="lab-text">{t.state.toLowerCase()}</td>
                    <td>{fmt(valueOf(t))}</td>
                    {names.map((n) => (
                      <td key={n}>{JSON.stringify(t.params[n] ?? null)}</td>
                    ))}
                    <td>{intermediateOf(t).length}</td>
                    <td>{t.worker + 1}</td>
                    <td className="lab-text">{t.reason ?? ''}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>

      <h3>The one look at the test images</h3>
      <p>
        The study chose its configuration by the validation images, so their score flatters it. The test images were never used: score the chosen configuration on
        them once, after the study. A second look, and a choice made after it, would overfit the test set too, so the lab refuses it.
      </p>
      {study.test && testAccuracy !== null && testInterval ? (
        <p className="lab-ok" data-testid="test-result">
          Trial {study.test.trial}, after {study.test.epochs} epochs: test accuracy {(testAccuracy * 100).toFixed(2)}% (95% interval {(testInterval.lower * 100).toFixed(2)}–{(testInterval.upper * 100).toFixed(2)}%) on{' '}
          {study.test.images.toLocaleString('en')} images; its validation error was {fmt(best ? valueOf(best) : null)}. This study has had its one look.
        </p>
      ) : (
        <button type="button" onClick={() => void ctx.test(study)} disabled={ctx.busy || !finished || !best}>
          Test the chosen configuration (once)
        </button>
      )}

      <h3>Export</h3>
      <div className="lab-row">
        <button type="button" onClick={() => void ctx.exportStudy(study, 'journal')} disabled={running}>
          Download the Optuna journal (.jsonl)
        </button>
        <button type="button" onClick={() => void ctx.exportStudy(study, 'csv')} disabled={running}>
          Download CSV
        </button>
      </div>
      <p className="lab-muted">
        Open the journal with Optuna: <code>optuna.load_study(study_name=&quot;{study.name}&quot;, storage=JournalStorage(JournalFileStorage(&quot;{study.id}.jsonl&quot;)))</code>, or
        with Optuna Dashboard.
      </p>
    </section>
  );
}

/** The brushes as fields: a range per numeric parameter, a set per categorical one. */
function RangeForm({ study, filter, onBrush }: { study: StoredStudy; filter: DashboardFilter; onBrush(name: string, b: Brush | null): void }) {
  const names = [...paramNames(study), OBJECTIVE];
  return (
    <details>
      <summary>Set the ranges by typing</summary>
      <fieldset className="lab-form">
        <legend>Keep trials whose values lie in these ranges</legend>
        {names.map((n) => {
          const d = study.space[n];
          const b = filter.brushes[n];
          if (d?.kind === 'categorical') {
            const chosen = b && 'categories' in b ? b.categories : d.choices;
            return (
              <fieldset key={n} className="tuning-choices">
                <legend>{n}</legend>
                {d.choices.map((c) => (
                  <label key={JSON.stringify(c)} className="tuning-inline">
                    <input
                      type="checkbox"
                      checked={chosen.includes(c)}
                      onChange={(e) => {
                        const next = e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c);
                        onBrush(n, next.length === d.choices.length ? null : { categories: next });
                      }}
                    />{' '}
                    {JSON.stringify(c)}
                  </label>
                ))}
              </fieldset>
            );
          }
          const range = b && 'min' in b ? b : null;
          const set = (k: 'min' | 'max', v: number) => {
            const next = { min: range?.min ?? -Infinity, max: range?.max ?? Infinity, [k]: Number.isFinite(v) ? v : k === 'min' ? -Infinity : Infinity };
            onBrush(n, next.min === -Infinity && next.max === Infinity ? null : next);
          };
          return (
            <div key={n} className="lab-field">
              <span>{n}</span>
              <span className="lab-row">
                <input type="number" aria-label={`${n} at least`} value={range && Number.isFinite(range.min) ? range.min : ''} onChange={(e) => set('min', e.target.valueAsNumber)} step="any" />
                <input type="number" aria-label={`${n} at most`} value={range && Number.isFinite(range.max) ? range.max : ''} onChange={(e) => set('max', e.target.valueAsNumber)} step="any" />
              </span>
            </div>
          );
        })}
      </fieldset>
    </details>
  );
}
