/**
 * The hyperparameter tuning lab, as data: its state (every study and every comparison of strategies the student
 * ran, with the study files they ran), what it measures for the acceptance criteria (labs/tuning/index.mdx), its
 * report and its evidence (each study as an Optuna journal and as CSV, and the study files). Framework-free and
 * light: no tfjs, no React.
 *
 * Replay comparisons are judged by truth, not luck: a strategy's choice counts as "within 1 pp" when the chosen
 * configuration's true error (its mean over the benchmark's seeds) is within one percentage point of the best
 * configuration's, whatever single run the trial happened to see.
 */
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { wilson } from '../../src/labkit/stats/proportions.ts';
import { formatNumber } from '../../src/labkit/report/criteria.ts';
import type { ReportChart, ReportTable } from '../../src/labkit/report/report.ts';
import { barChart } from '../../src/labkit/charts/bar.ts';
import { journalLines } from '../../src/labkit/tuning/journal.ts';
import { trialsCsv } from '../../src/labkit/tuning/csv.ts';
import { duplicateCount } from '../../src/labkit/tuning/samplers.ts';
import { MIN_SEEDS, rateDifferencePp, summarise, WITHIN } from './compare.ts';
import { edfChart, historyChart, intermediateChart, NO_FILTER, parallelCoordinates, selected, timeline } from './dashboard.ts';
import { bestTrialOf, journalStudy, stateSchema, valueOf, type Comparison, type StoredStrategyResults, type StoredStudy, type TuningState } from './records.ts';
import { PRUNERS, SAMPLERS, strategyLabel, type Strategy } from './strategy.ts';

export const LAB_ID = 'tuning';
/** Pruned strategies must stay within this share of a full grid's epochs to count as "early stopping saves". */
export const EPOCH_BUDGET = 0.3;

const isPlain = (s: Strategy, sampler: Strategy['sampler']) => s.sampler === sampler && s.pruner === 'none';

/** Trials per seed a strategy really ran (a grid runs its grid, whatever its budget said). */
const trialsRun = (s: StoredStrategyResults) => (s.results.length ? s.results.reduce((a, r) => a + r[5] + r[6] + r[7], 0) / s.results.length : 0);

/** Pairs (a, b) of one comparison with at least MIN_SEEDS seeds each, run on the same number of trials. */
function pairs(state: TuningState, a: (s: Strategy) => boolean, b: (s: Strategy) => boolean): { c: Comparison; x: StoredStrategyResults; y: StoredStrategyResults }[] {
  const out: { c: Comparison; x: StoredStrategyResults; y: StoredStrategyResults }[] = [];
  for (const c of state.comparisons) {
    for (const x of c.strategies.filter((s) => a(s.strategy) && s.results.length >= MIN_SEEDS)) {
      for (const y of c.strategies.filter((s) => b(s.strategy) && s.results.length >= MIN_SEEDS)) {
        if (Math.abs(trialsRun(x) - trialsRun(y)) < 0.5 && x.strategy.workers === y.strategy.workers) out.push({ c, x, y });
      }
    }
  }
  return out;
}

/** The largest difference (x − y) among the pairs, with its interval. */
function bestDifference(found: ReturnType<typeof pairs>): Measured[string] | undefined {
  const diffs = found.map(({ c, x, y }) => rateDifferencePp(c, x, y));
  return diffs.sort((p, q) => q.value - p.value)[0];
}

/** The pruned strategy that best meets "within 1 pp on at most 30% of the grid's epochs". */
export function earlyStopping(state: TuningState): { c: Comparison; s: StoredStrategyResults } | undefined {
  const candidates = state.comparisons.flatMap((c) => c.strategies.filter((s) => s.strategy.pruner !== 'none' && s.results.length >= MIN_SEEDS).map((s) => ({ c, s, sum: summarise(c, s) })));
  candidates.sort((p, q) => {
    const fits = (x: typeof p) => (x.sum.epochShare <= EPOCH_BUDGET ? 1 : 0);
    return fits(q) - fits(p) || (fits(p) ? q.sum.rate - p.sum.rate : p.sum.epochShare - q.sum.epochShare);
  });
  return candidates[0];
}

const finished = (s: StoredStudy) => s.trials.filter((t) => t.state !== 'RUNNING').length;

function measure(state: TuningState): Measured {
  const out: Measured = {};
  const gridRandom = bestDifference(pairs(state, (s) => isPlain(s, 'random'), (s) => isPlain(s, 'grid')));
  if (gridRandom) out['random.vsGridPp'] = gridRandom;
  const tpe = bestDifference(pairs(state, (s) => isPlain(s, 'tpe-dedup'), (s) => isPlain(s, 'random')));
  if (tpe) out['tpeDedup.vsRandomPp'] = tpe;
  const early = earlyStopping(state);
  if (early) {
    const sum = summarise(early.c, early.s);
    out['early.within1pp'] = { value: sum.rate * 100, lower: sum.lower * 100, upper: sum.upper * 100 };
    out['early.epochShare'] = { value: sum.epochShare * 100 };
  }
  const plainTpe = state.comparisons.flatMap((c) => c.strategies.filter((s) => s.strategy.sampler === 'tpe'));
  const tpeTrials = plainTpe.reduce((a, s) => a + s.results.reduce((b, r) => b + r[5] + r[6] + r[7], 0), 0);
  if (tpeTrials) {
    const dup = plainTpe.reduce((a, s) => a + s.results.reduce((b, r) => b + r[4], 0), 0);
    const w = wilson(dup, tpeTrials);
    out['tpe.duplicatesPct'] = { value: (dup / tpeTrials) * 100, lower: w.lower * 100, upper: w.upper * 100 };
  }
  const live = state.studies.filter((s) => s.mode === 'live' && (s.environment?.workers ?? s.strategy.workers) >= 2 && s.trials.some((t) => t.state === 'PRUNED'));
  if (live.length) out['live.parallelTrials'] = { value: Math.max(...live.map(finished)) };
  if (state.studies.length) {
    out['test.studies'] = { value: state.studies.filter((s) => s.test).length };
    out['journal.studies'] = { value: state.studies.filter((s) => s.exports.some((e) => e.format === 'journal')).length };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const pct = (x: number) => (Number.isFinite(x) ? formatNumber(x * 100) : null);
const origin = (x: { restoredAt?: string }) => (x.restoredAt ? 'restored' : 'measured');

function studyRows(state: TuningState) {
  return state.studies.map((s) => {
    const best = bestTrialOf(s);
    const count = (st: string) => s.trials.filter((t) => t.state === st).length;
    const test = s.test ? wilson(s.test.images - s.test.wrong, s.test.images) : null;
    return [
      s.id,
      s.mode,
      strategyLabel(s.strategy),
      s.seed,
      `${count('COMPLETE')} / ${count('PRUNED')} / ${count('FAIL')}`,
      duplicateCount(s.trials),
      s.epochs,
      best ? formatNumber(valueOf(best)!) : null,
      best ? (best.userAttrs?.config as string | undefined) ?? JSON.stringify(best.params) : null,
      s.test && test ? `${formatNumber((1 - s.test.wrong / s.test.images) * 100)} (${formatNumber(test.lower * 100)}–${formatNumber(test.upper * 100)}), trial ${s.test.trial}, ${s.test.images.toLocaleString('en')} images` : 'not evaluated',
      s.environment ? `${s.environment.backend}, ${s.environment.workers} workers × ${s.environment.threadsPerWorker} thread` : s.mode === 'replay' ? 'benchmark (simulated time)' : null,
      s.stopped ?? null,
      origin(s),
    ];
  });
}

export function comparisonTable(c: Comparison): ReportTable {
  return {
    title: `Comparison ${c.id}: ${c.seeds} seeds from ${c.firstSeed}; best true error in the benchmark ${formatNumber(c.bestTruth * 100)}%`,
    columns: ['strategy', 'seeds', `within ${WITHIN * 100} pp of the best % (95% CI)`, 'median true error of the choice %', "epochs % of a grid's", 'trials per seed', 'duplicates %', 'pruned %', 'failed %', 'origin'],
    rows: c.strategies.map((s) => {
      const m = summarise(c, s);
      return [strategyLabel(s.strategy), m.seeds, `${pct(m.rate)} (${pct(m.lower)}–${pct(m.upper)})`, pct(m.medianTruth), pct(m.epochShare), formatNumber(m.trialsPerSeed), pct(m.duplicateShare), pct(m.prunedShare), pct(m.failedShare), origin(c)];
    }),
  };
}

export const shortLabel = (s: Strategy) => `${{ grid: 'grid', random: 'random', tpe: 'TPE', 'tpe-dedup': 'TPE-dd', gp: 'GP' }[s.sampler]}${s.pruner === 'none' ? '' : `+${{ median: 'med', asha: 'ASHA', hyperband: 'HB' }[s.pruner]}`} ${s.trials}`;

export function comparisonCharts(c: Comparison): ReportChart[] {
  const rates = barChart({
    title: `Share of seeds within ${WITHIN * 100} pp of the best (95% Wilson interval)`,
    yLabel: '% of seeds',
    unit: '%',
    bars: c.strategies.map((s) => {
      const m = summarise(c, s);
      return { label: shortLabel(s.strategy), value: m.rate * 100, lower: m.lower * 100, upper: m.upper * 100 };
    }),
  });
  const edf = edfChart(
    'Empirical distribution of the chosen configurations’ true errors',
    c.strategies.map((s) => ({ name: shortLabel(s.strategy), values: s.results.map(([, t]) => (t === null ? NaN : t * 100)) })),
    'true validation error of the chosen configuration (%)',
  );
  return [
    { title: `Within 1 pp, comparison ${c.id}`, svg: rates },
    { title: `Distribution of results, comparison ${c.id}`, svg: edf },
  ];
}

function studyCharts(s: StoredStudy): ReportChart[] {
  const keep = selected(s, NO_FILTER);
  return [
    { title: `History, ${s.id}`, svg: historyChart(s, keep) },
    { title: `Learning curves, ${s.id}`, svg: intermediateChart(s, keep) },
    { title: `Parallel coordinates, ${s.id}`, svg: parallelCoordinates(s, keep) },
    { title: `Workers, ${s.id}`, svg: timeline(s, keep) },
  ];
}

function report(state: TuningState) {
  const tables: ReportTable[] = [];
  if (state.studies.length) {
    tables.push({
      title: 'Studies',
      columns: ['id', 'mode', 'strategy', 'seed', 'complete / pruned / failed', 'duplicate trials', 'epochs trained', 'best value', 'best configuration', 'test accuracy % (95% CI), once', 'ran on', 'ended early', 'origin'],
      rows: studyRows(state),
    });
  }
  for (const c of state.comparisons) tables.push(comparisonTable(c));
  const failures = state.studies.flatMap((s) => s.trials.filter((t) => t.state === 'FAIL').map((t) => [s.id, t.number, t.reason ?? ''])).slice(0, 50);
  if (failures.length) tables.push({ title: 'Failed trials (first 50) and why', columns: ['study', 'trial', 'reason'], rows: failures });
  const charts = [...state.comparisons.slice(-2).flatMap(comparisonCharts), ...state.studies.slice(-3).flatMap(studyCharts)];
  return {
    tables,
    charts,
    notes: [
      `A replayed trial looks its learning curve up in the lab's benchmark (every configuration of the space trained with 3 seeds in Node, wasm backend). A choice is "within ${WITHIN * 100} pp" when the chosen configuration's true error, its mean validation error over the benchmark's seeds after the last epoch, is at most the best configuration's + ${WITHIN * 100} pp. Comparisons count for the criteria from ${MIN_SEEDS} seeds per strategy; differences between strategies carry Newcombe's 95% interval for independent samples.`,
      `Samplers: ${Object.values(SAMPLERS).join(', ')}; pruners: ${Object.values(PRUNERS).join(', ')}, all with Optuna 3.1's rules (η = 3, rungs at 1, 3 and 9 epochs for successive halving). De-duplicated TPE never repeats a configuration it has tried; plain TPE does, which is Optuna's most reported complaint (optuna/optuna#2021).`,
      'Test accuracy is measured once per study, on the chosen configuration only, after the study ended: choosing by the validation set and reporting the validation score would overfit it.',
      'Each study is in the evidence as an Optuna journal (open it with optuna.load_study(storage=JournalStorage(JournalFileStorage(path))) or Optuna Dashboard) and as CSV.',
    ].join('\n\n'),
  };
}

export const journalPath = (s: StoredStudy) => `studies/${s.id}/journal.jsonl`;
export const csvPath = (s: StoredStudy) => `studies/${s.id}/trials.csv`;

export const tuning = defineLab<TuningState>({
  id: LAB_ID,
  version: 1,
  quantities: {
    'random.vsGridPp': { describe: 'random search minus grid search, equal trials: difference in the share of seeds whose choice is within 1 pp of the best', unit: 'pp', min: -100, max: 100, interval: true },
    'tpeDedup.vsRandomPp': { describe: 'de-duplicated TPE minus random search, equal trials: difference in the share of seeds within 1 pp of the best', unit: 'pp', min: -100, max: 100, interval: true },
    'early.within1pp': { describe: 'share of seeds in which the best pruned strategy (within the epoch budget) chose a configuration within 1 pp of the best', unit: '%', min: 0, max: 100, interval: true },
    'early.epochShare': { describe: "epochs that pruned strategy trained, as a share of a full grid's", unit: '%', min: 0, max: 10_000 },
    'tpe.duplicatesPct': { describe: 'share of plain TPE trials that repeated a configuration already tried', unit: '%', min: 0, max: 100, interval: true },
    'live.parallelTrials': { describe: 'finished trials of the largest live study that ran on at least 2 workers and pruned a trial', unit: 'trials', min: 0, max: 2000 },
    'test.studies': { describe: 'studies whose chosen configuration was tested once, after the study', unit: 'studies', min: 0, max: 60 },
    'journal.studies': { describe: 'studies exported as an Optuna journal', unit: 'studies', min: 0, max: 60 },
  },
  empty: () => ({ studies: [], comparisons: [], sources: {} }),
  parse: (value) => parseWith(stateSchema)(value),
  measure,
  merge(stored, mine) {
    const byId = <T extends { id: string }>(a: T[], b: T[]) => [...new Map([...a, ...b].map((x) => [x.id, x])).values()];
    const draft = mine.draft ?? stored.draft;
    return { studies: byId(stored.studies, mine.studies), comparisons: byId(stored.comparisons, mine.comparisons), sources: { ...stored.sources, ...mine.sources }, ...(draft === undefined ? {} : { draft }) };
  },
  markRestored(state, at) {
    return {
      studies: state.studies.map((s) => ({ ...s, restoredAt: s.restoredAt ?? at })),
      comparisons: state.comparisons.map((c) => ({ ...c, restoredAt: c.restoredAt ?? at })),
      sources: state.sources,
      ...(state.draft === undefined ? {} : { draft: state.draft }),
    };
  },
  report,
  async evidence(state) {
    const files = [];
    for (const s of state.studies) {
      const js = journalStudy(s);
      files.push({ path: journalPath(s), content: journalLines(js) }, { path: csvPath(s), content: trialsCsv(js) });
    }
    for (const [key, text] of Object.entries(state.sources)) files.push({ path: `sources/${key}.mjs`, content: text });
    return files;
  },
});
export default tuning;
