/**
 * Step 4: compare strategies over many seeds. Each strategy replays the same study file once per seed; the table
 * and charts show how often its choice is truly within 1 pp of the best configuration, and what that cost.
 */
import { useState } from 'react';
import { comparisonCharts, comparisonTable } from '../../../../labs/tuning/lab.ts';
import { checkStrategy, type Strategy } from '../../../../labs/tuning/strategy.ts';
import { MIN_SEEDS } from '../../../../labs/tuning/compare.ts';
import { Chart } from '../shell/Chart.tsx';
import { StrategyFields } from './RunSection.tsx';
import type { TuningContext } from './TuningWorkspace.tsx';

const MAX_TRIALS = 300;
const MAX_SEEDS = 1000;
const MAX_STRATEGIES = 12;

const PRESETS: { name: string; strategies: (gridSize: number) => Strategy[] }[] = [
  {
    name: 'Grid against random search, equal trials',
    strategies: (g) => [
      { sampler: 'grid', pruner: 'none', trials: g, workers: 1 },
      { sampler: 'random', pruner: 'none', trials: g, workers: 1 },
    ],
  },
  {
    name: 'TPE with and without de-duplication, against random search',
    strategies: () => [
      { sampler: 'random', pruner: 'none', trials: 30, workers: 1 },
      { sampler: 'tpe', pruner: 'none', trials: 30, workers: 1 },
      { sampler: 'tpe-dedup', pruner: 'none', trials: 30, workers: 1 },
    ],
  },
  {
    name: 'Early stopping: ASHA and Hyperband',
    strategies: () => [
      { sampler: 'random', pruner: 'asha', trials: 80, workers: 1 },
      { sampler: 'tpe-dedup', pruner: 'asha', trials: 60, workers: 1 },
      { sampler: 'random', pruner: 'hyperband', trials: 60, workers: 1 },
      { sampler: 'random', pruner: 'asha', trials: 80, workers: 4 },
    ],
  },
];

export function CompareSection({ ctx }: { ctx: TuningContext }) {
  const [rows, setRows] = useState<Strategy[]>(PRESETS[1]!.strategies(18));
  const [seeds, setSeeds] = useState(100);
  const [firstSeed, setFirstSeed] = useState(1);
  const [errors, setErrors] = useState<{ rows: Partial<Record<keyof Strategy, string>>[]; seeds?: string; firstSeed?: string }>({ rows: [] });
  const [shown, setShown] = useState<string | null>(null);
  const comparison = ctx.state.comparisons.find((c) => c.id === shown) ?? ctx.state.comparisons.at(-1);

  const preset = async (p: (typeof PRESETS)[number]) => {
    let size = 18;
    try {
      const grid = (await ctx.client.call('check', { source: ctx.currentSource() }).promise).grid;
      if (grid) size = Object.values(grid).reduce((n, v) => n * v.length, 1);
    } catch {
      /* the study file does not load yet: the check in step 1 says why */
    }
    setRows(p.strategies(size));
    setErrors({ rows: [] });
  };

  const run = async () => {
    let grid = null;
    try {
      grid = (await ctx.client.call('check', { source: ctx.currentSource() }).promise).grid;
    } catch {
      /* reported by the run itself */
    }
    const rowErrors = rows.map((r) => checkStrategy(r, { maxTrials: MAX_TRIALS, maxWorkers: 8, grid }));
    const e = {
      rows: rowErrors,
      ...(Number.isInteger(seeds) && seeds >= 1 && seeds <= MAX_SEEDS ? {} : { seeds: `Seeds must be a whole number from 1 to ${MAX_SEEDS}.` }),
      ...(Number.isInteger(firstSeed) && firstSeed >= 0 && firstSeed < 2 ** 31 ? {} : { firstSeed: 'The first seed must be a whole number from 0.' }),
    };
    setErrors(e);
    if (rowErrors.some((r) => Object.keys(r).length) || e.seeds || e.firstSeed) return;
    const made = await ctx.compare(rows, firstSeed, seeds);
    if (made) setShown(made.id);
  };

  return (
    <section className="lab-section" aria-labelledby="tuning-compare">
      <h2 id="tuning-compare">4. Compare strategies over many seeds</h2>
      <p>
        One study is one draw of luck. Replaying each strategy with {MIN_SEEDS} or more seeds shows what it does on average: how often the configuration it chose is truly
        within 1 percentage point of the best in the benchmark, and how many epochs that cost.
      </p>
      <div className="lab-row">
        {PRESETS.map((p) => (
          <button key={p.name} type="button" onClick={() => void preset(p)} disabled={ctx.busy}>
            {p.name}
          </button>
        ))}
      </div>
      {rows.map((r, i) => (
        <fieldset key={i} className="lab-form" data-testid="compare-row">
          <legend>Strategy {i + 1}</legend>
          <StrategyFields value={r} onChange={(s) => setRows(rows.map((x, k) => (k === i ? s : x)))} errors={errors.rows[i] ?? {}} idPrefix={`compare-${i}`} workersLabel="Simulated workers" />
          <button type="button" onClick={() => setRows(rows.filter((_, k) => k !== i))} disabled={rows.length === 1}>
            Remove
          </button>
        </fieldset>
      ))}
      <div className="lab-row">
        <button type="button" onClick={() => setRows([...rows, { sampler: 'random', pruner: 'none', trials: 30, workers: 1 }])} disabled={rows.length >= MAX_STRATEGIES}>
          Add a strategy
        </button>
        <label>
          Seeds
          <input type="number" min={1} max={MAX_SEEDS} value={Number.isFinite(seeds) ? seeds : ''} onChange={(e) => setSeeds(e.target.valueAsNumber)} aria-describedby={errors.seeds ? 'compare-seeds-error' : undefined} />
        </label>
        <label>
          First seed
          <input type="number" min={0} value={Number.isFinite(firstSeed) ? firstSeed : ''} onChange={(e) => setFirstSeed(e.target.valueAsNumber)} aria-describedby={errors.firstSeed ? 'compare-first-error' : undefined} />
        </label>
        <button type="button" className="lab-primary" onClick={run} disabled={ctx.busy}>
          Compare
        </button>
      </div>
      {errors.seeds && (
        <p className="lab-field-error" id="compare-seeds-error">
          {errors.seeds}
        </p>
      )}
      {errors.firstSeed && (
        <p className="lab-field-error" id="compare-first-error">
          {errors.firstSeed}
        </p>
      )}
      {comparison && (
        <div className="lab-section" data-testid="comparison">
          {ctx.state.comparisons.length > 1 && (
            <label>
              Comparison
              <select value={comparison.id} onChange={(e) => setShown(e.target.value)}>
                {ctx.state.comparisons.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id}: {c.strategies.length} strategies, {c.seeds} seeds
                  </option>
                ))}
              </select>
            </label>
          )}
          <ComparisonTable comparison={comparison} />
          {comparisonCharts(comparison).map((c) => (
            <Chart key={c.title} svg={c.svg} />
          ))}
          {comparison.strategies
            .filter((s) => s.failure)
            .map((s, i) => (
              <p key={i} className="lab-alert">
                In some seeds no trial completed; the first failure: {s.failure}
              </p>
            ))}
        </div>
      )}
    </section>
  );
}

function ComparisonTable({ comparison }: { comparison: NonNullable<TuningContext['state']['comparisons'][number]> }) {
  const t = comparisonTable(comparison);
  return (
    <div className="lab-scroll" role="region" aria-label={t.title} tabIndex={0}>
      <table className="lab-table" data-testid="comparison-table">
        <caption>{t.title}</caption>
        <thead>
          <tr>
            {t.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, k) => (
                <td key={k}>{c === null || c === undefined ? '—' : String(c)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
