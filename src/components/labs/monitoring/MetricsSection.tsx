/** The service's metrics: PromQL over two days of a scenario, every 5 minutes, as a dashboard panel. */
import { useState } from 'react';
import { lineChart } from '../../../labkit/charts/index.ts';
import { SCENARIOS, type ScenarioId } from '../../../../labs/monitoring/scenarios.ts';
import { Chart } from '../shell/Chart.tsx';
import { ScenarioSelect } from './ScenarioSelect.tsx';
import type { MonitoringContext } from './MonitoringWorkspace.tsx';

const PANELS: [string, string][] = [
  ['p95 latency (s)', 'histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket[15m])))'],
  ['requests per second by client', 'sum by (client) (rate(requests_total[15m]))'],
  ['share of rejected requests', 'sum(rate(requests_total{code="400"}[30m])) / sum(rate(requests_total[30m]))'],
  ['mean contrast, 1 h', 'rate(input_feature_sum{feature="contrast"}[1h]) / ignoring(feature) rate(input_feature_count[1h])'],
  ['error rate of labelled requests, 1 h', 'rate(prediction_errors_total[1h]) / rate(labels_received_total[1h])'],
  ['largest pixel value', 'max_over_time(input_pixel_max[15m])'],
];

const name = (labels: Record<string, string>) => Object.entries(labels).filter(([k]) => k !== 'job').map(([k, v]) => `${k}=${v}`).join(', ') || 'value';

export function MetricsSection({ ctx }: { ctx: MonitoringContext }) {
  const { busy, shell, client } = ctx;
  const [scenario, setScenario] = useState<ScenarioId>('sudden');
  const [expr, setExpr] = useState(PANELS[0]![1]);
  const [chart, setChart] = useState<string | null>(null);

  const run = async (text = expr) => {
    setExpr(text);
    const r = await shell.run('Query the metrics', (onProgress) => client.call('query', { scenario, expr: text }, { onProgress }));
    if (!r) return;
    if (!r.series.length) return shell.warn('The query returned no series: check the metric and label names (see the list above the editor of step 4).');
    setChart(lineChart({ title: `${SCENARIOS[scenario].title}: ${text}`, xLabel: 'hour since day 1, 00:00', yLabel: 'value', series: r.series.map((s) => ({ name: name(s.labels), points: s.points })) }));
  };

  return (
    <section className="lab-section" aria-labelledby="mon-metrics">
      <h2 id="mon-metrics">Metrics: query the service with PromQL</h2>
      <p className="lab-muted">The service's metrics, scraped every 15 simulated seconds for two days, queried every 5 minutes.</p>
      <div className="lab-row">
        <ScenarioSelect value={scenario} onChange={setScenario} disabled={busy} />
        <label className="lab-grow">
          PromQL
          <input value={expr} onChange={(e) => setExpr(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !busy && void run()} spellCheck={false} size={60} />
        </label>
        <button type="button" className="lab-primary" disabled={busy} onClick={() => void run()}>
          Run the PromQL query
        </button>
      </div>
      <div className="lab-row">
        {PANELS.map(([label, text]) => (
          <button key={label} type="button" disabled={busy} onClick={() => void run(text)}>
            {label}
          </button>
        ))}
      </div>
      {chart && <Chart svg={chart} testId="metrics-chart" />}
    </section>
  );
}
