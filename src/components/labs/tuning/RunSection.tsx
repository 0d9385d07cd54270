/** Step 2: run one study, replayed from the benchmark (any number of simulated workers) or live (real training). */
import { useState } from 'react';
import { checkStrategy, PRUNER_DETAILS, PRUNERS, SAMPLERS, type Strategy } from '../../../../labs/tuning/strategy.ts';
import { spareCores, type TuningContext } from './TuningWorkspace.tsx';

export const MAX_TRIALS = { replay: 500, live: 100 } as const;

export function StrategyFields({ value, onChange, errors, idPrefix, workersLabel }: { value: Strategy; onChange: (s: Strategy) => void; errors: Partial<Record<keyof Strategy, string>>; idPrefix: string; workersLabel: string }) {
  const field = (k: keyof Strategy) => (errors[k] ? <span className="lab-field-error" id={`${idPrefix}-${k}-error`}>{errors[k]}</span> : null);
  const describedBy = (k: keyof Strategy) => (errors[k] ? `${idPrefix}-${k}-error` : undefined);
  return (
    <>
      <label>
        Sampler
        <select value={value.sampler} onChange={(e) => onChange({ ...value, sampler: e.target.value as Strategy['sampler'] })} aria-describedby={describedBy('sampler')}>
          {Object.entries(SAMPLERS).map(([k, name]) => (
            <option key={k} value={k}>
              {name}
            </option>
          ))}
        </select>
        {field('sampler')}
      </label>
      <label>
        Pruner
        <select value={value.pruner} onChange={(e) => onChange({ ...value, pruner: e.target.value as Strategy['pruner'] })} aria-describedby={describedBy('pruner')}>
          {Object.entries(PRUNERS).map(([k, name]) => (
            <option key={k} value={k}>
              {name}
            </option>
          ))}
        </select>
        {field('pruner')}
      </label>
      <label>
        Trials
        <input type="number" min={1} value={Number.isFinite(value.trials) ? value.trials : ''} onChange={(e) => onChange({ ...value, trials: e.target.valueAsNumber })} aria-describedby={describedBy('trials')} />
        {field('trials')}
      </label>
      <label>
        {workersLabel}
        <input type="number" min={1} value={Number.isFinite(value.workers) ? value.workers : ''} onChange={(e) => onChange({ ...value, workers: e.target.valueAsNumber })} aria-describedby={describedBy('workers')} />
        {field('workers')}
      </label>
    </>
  );
}

export function RunSection({ ctx }: { ctx: TuningContext }) {
  const [mode, setMode] = useState<'replay' | 'live'>('replay');
  const [strategy, setStrategy] = useState<Strategy>({ sampler: 'tpe-dedup', pruner: 'asha', trials: 60, workers: 1 });
  const [seed, setSeed] = useState(1);
  const [errors, setErrors] = useState<Partial<Record<keyof Strategy | 'seed', string>>>({});
  const maxWorkers = mode === 'live' ? spareCores() : 8;

  const switchMode = (m: 'replay' | 'live') => {
    setMode(m);
    setErrors({});
    if (m === 'live') setStrategy((s) => ({ ...s, trials: Math.min(s.trials, 20), workers: spareCores() }));
  };

  const run = async () => {
    const grid = await gridOf(ctx);
    const e: Partial<Record<keyof Strategy | 'seed', string>> = checkStrategy(strategy, { maxTrials: MAX_TRIALS[mode], maxWorkers, grid });
    if (mode === 'replay' && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31)) e.seed = 'The seed must be a whole number from 0 to 2,147,483,647.';
    setErrors(e);
    if (Object.keys(e).length) return;
    await ctx.runStudy(mode, strategy, mode === 'replay' ? seed : Math.floor(Math.random() * 2 ** 31));
  };

  return (
    <section className="lab-section" aria-labelledby="tuning-run">
      <h2 id="tuning-run">2. Run a study</h2>
      <div className="lab-row" role="radiogroup" aria-label="How the study trains">
        <label>
          <input type="radio" name="tuning-mode" checked={mode === 'replay'} onChange={() => switchMode('replay')} /> Replay the benchmark (seconds, repeatable)
        </label>
        <label>
          <input type="radio" name="tuning-mode" checked={mode === 'live'} onChange={() => switchMode('live')} /> Live: train in {spareCores()} worker{spareCores() > 1 ? 's' : ''} (minutes)
        </label>
      </div>
      <fieldset className="lab-form">
        <legend>Strategy</legend>
        <StrategyFields value={strategy} onChange={setStrategy} errors={errors} idPrefix="run" workersLabel={mode === 'live' ? `Workers (at most ${maxWorkers})` : 'Simulated workers'} />
        {mode === 'replay' && (
          <label>
            Seed
            <input type="number" min={0} value={Number.isFinite(seed) ? seed : ''} onChange={(e) => setSeed(e.target.valueAsNumber)} aria-describedby={errors.seed ? 'run-seed-error' : undefined} />
            {errors.seed && (
              <span className="lab-field-error" id="run-seed-error">
                {errors.seed}
              </span>
            )}
          </label>
        )}
      </fieldset>
      <p className="lab-muted">Pruner: {PRUNER_DETAILS[strategy.pruner] ?? ''}.</p>
      <div className="lab-row">
        <button type="button" className="lab-primary" onClick={run} disabled={ctx.busy}>
          {mode === 'live' ? 'Run the live study' : 'Replay the study'}
        </button>
      </div>
    </section>
  );
}

/** The grid the study file exports, for the form's check (null when it exports none or does not load). */
async function gridOf(ctx: TuningContext) {
  try {
    return (await ctx.client.call('check', { source: ctx.currentSource() }).promise).grid;
  } catch {
    return null;
  }
}
