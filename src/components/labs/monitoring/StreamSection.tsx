/** Step 1: replay two days of a scenario and look at what accuracy, a label-free estimate and the features show. */
import { useState } from 'react';
import { lineChart } from '../../../labkit/charts/index.ts';
import { SCENARIOS, type ScenarioId } from '../../../../labs/monitoring/scenarios.ts';
import { ScenarioSelect } from './ScenarioSelect.tsx';
import { FEATURES } from '../../../../labs/monitoring/images.ts';
import type { ReplayResult } from '../../../../labs/monitoring/worker.ts';
import { Chart } from '../shell/Chart.tsx';
import type { MonitoringContext } from './MonitoringWorkspace.tsx';

function accuracyChart(r: ReplayResult): string {
  const pts = (pick: (h: ReplayResult['hours'][number]) => number | null) => r.hours.flatMap((h) => (pick(h) === null ? [] : [{ x: h.hour, y: pick(h)! * 100 }]));
  return lineChart({
    title: `${SCENARIOS[r.scenario].title}: accuracy by the hour (seed ${r.seed})`,
    xLabel: 'hour since day 1, 00:00',
    yLabel: '%',
    series: [
      { name: 'realised accuracy (labels an hour later)', points: pts((h) => h.accuracy) },
      { name: 'estimated from confidence, no labels', points: pts((h) => h.estimated) },
      { name: 'mean confidence', points: pts((h) => h.confidence), muted: true },
    ],
  });
}

function featureChart(r: ReplayResult): string {
  return lineChart({
    title: `${SCENARIOS[r.scenario].title}: hourly feature means, in reference standard deviations`,
    xLabel: 'hour since day 1, 00:00',
    yLabel: 'change from the reference mean (σ)',
    series: FEATURES.map((f) => ({
      name: f,
      points: r.hours.flatMap((h) => (h.features[f] === null ? [] : [{ x: h.hour, y: (h.features[f]! - r.reference[f]!.mean) / r.reference[f]!.sd }])),
    })),
  });
}

export function StreamSection({ ctx }: { ctx: MonitoringContext }) {
  const { busy, shell, client } = ctx;
  const [scenario, setScenario] = useState<ScenarioId>('sudden');
  const [seed, setSeed] = useState('1');
  const [result, setResult] = useState<ReplayResult | null>(null);
  const seedError = /^\d{1,9}$/.test(seed.trim()) ? '' : 'Seed: use a whole number from 0 to 999,999,999.';

  const replay = async () => {
    if (seedError) return shell.warn(seedError);
    const r = await shell.run(`Replay: ${SCENARIOS[scenario].title}`, (onProgress) => client.call('replay', { scenario, seed: Number(seed.trim()) }, { onProgress }));
    if (r) setResult(r);
  };
  const rejected = result?.hours.reduce((s, h) => s + h.rejected, 0) ?? 0;

  return (
    <section className="lab-section" aria-labelledby="mon-stream">
      <h2 id="mon-stream">1. Replay the production stream</h2>
      <div className="lab-row">
        <ScenarioSelect value={scenario} onChange={setScenario} disabled={busy} />
        <label>
          Seed
          <input value={seed} onChange={(e) => setSeed(e.target.value)} inputMode="numeric" size={8} aria-invalid={!!seedError} aria-describedby={seedError ? 'mon-seed-error' : undefined} />
        </label>
        <button type="button" className="lab-primary" disabled={busy || !!seedError} onClick={replay}>
          Replay two days
        </button>
      </div>
      {seedError && <p id="mon-seed-error" className="lab-alert">{seedError}</p>}
      <p className="lab-muted">{SCENARIOS[scenario].story}</p>
      {result && (
        <div data-testid="replay">
          <p>
            {result.requests.toLocaleString('en')} requests over two days{rejected ? `, ${rejected.toLocaleString('en')} rejected for missing pixels` : ''}. The same seed replays the same stream.
          </p>
          <Chart svg={accuracyChart(result)} caption="Realised accuracy needs the labels, which arrive an hour late; the estimate uses only the model's confidence, calibrated on the reference." />
          <Chart svg={featureChart(result)} caption="Hourly means of the six input features, as a change from the reference mean in units of the reference's standard deviation (one request each)." />
        </div>
      )}
    </section>
  );
}
