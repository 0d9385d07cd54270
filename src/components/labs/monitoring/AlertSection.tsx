/** Step 4: Prometheus alert rules with for and keep_firing_for, their states over two days, and their unit tests. */
import { useState } from 'react';
import { STARTER_RULES, STARTER_TESTS } from '../../../../labs/monitoring/alerting.ts';
import { clock, proven, type AlertRecord } from '../../../../labs/monitoring/lab.ts';
import { alertTimelineChart } from '../../../../labs/monitoring/charts.ts';
import { CodeEditor } from '../code/CodeEditor.tsx';
import { StatusIcon } from '../shell/StatusIcon.tsx';
import { Chart } from '../shell/Chart.tsx';
import type { MonitoringContext } from './MonitoringWorkspace.tsx';

type TestResults = { name: string; checks: { kind: string; evalTime: number; alertname?: string; expr?: string; passed: boolean; line: number }[] }[];

export function AlertSection({ ctx }: { ctx: MonitoringContext }) {
  const { busy, shell, client, state, newId } = ctx;
  const last = state.alerts.at(-1);
  const [files, setFiles] = useState({ 'rules.yml': last?.rules ?? STARTER_RULES, 'rules.test.yml': last?.tests ?? STARTER_TESTS });
  const [tests, setTests] = useState<TestResults | null>(null);
  const [open, setOpen] = useState<'rules.yml' | 'rules.test.yml'>('rules.yml');

  const run = async () => {
    const r = await shell.run('Check the alert rules', (onProgress) => client.call('alerts', { rules: files['rules.yml'], tests: files['rules.test.yml'] }, { onProgress }));
    if (!r) return;
    setTests(r.tests);
    const record: AlertRecord = { id: newId('rule-'), createdAt: new Date().toISOString(), rules: files['rules.yml'], tests: files['rules.test.yml'], verdict: r.verdict, sudden: r.sudden, seasonal: r.seasonal, notifications: r.notifications };
    shell.session.update((s) => ({ ...s, alerts: [...s.alerts, record] }));
  };

  return (
    <section className="lab-section" aria-labelledby="mon-alerts">
      <h2 id="mon-alerts">4. Alert on the drift, not on the daylight</h2>
      <p className="lab-muted">
        Your rules run every minute over two days of the service's metrics (scraped every 15 s), once for the sudden drift and once for the seasonal cycle. The starter
        rule fires on both: change it so that it fires only on the drift, and prove it with unit tests in promtool's format.
      </p>
      <div className="lab-row" role="group" aria-label="File">
        {(['rules.yml', 'rules.test.yml'] as const).map((f) => (
          <button key={f} type="button" aria-pressed={open === f} onClick={() => setOpen(f)}>
            {f === 'rules.yml' ? 'rules.yml (alert rules)' : 'rules.test.yml (unit tests)'}
          </button>
        ))}
      </div>
      <CodeEditor files={files} open={open} onEdit={(name, text) => setFiles((f) => ({ ...f, [name]: text }))} onRun={run} label="Alert rules and their unit tests" height="22rem" />
      <div className="lab-row">
        <button type="button" className="lab-primary" disabled={busy} onClick={run}>
          Check the rules on both scenarios
        </button>
        <button type="button" disabled={busy} onClick={() => setFiles({ 'rules.yml': STARTER_RULES, 'rules.test.yml': STARTER_TESTS })}>
          Back to the starter
        </button>
      </div>
      {last && (
        <div data-testid="alert-result">
          <ul className="lab-cases">
            <li><StatusIcon status={last.verdict.firesOnDrift && !last.verdict.firedBeforeChange ? 'met' : 'not-met'} /> fires on the sudden drift{last.verdict.firedBeforeChange ? ', but also before the change' : last.verdict.firesOnDrift ? ' after it starts' : ': never'}</li>
            <li><StatusIcon status={last.verdict.silentOnSeasonal ? 'met' : 'not-met'} /> {last.verdict.silentOnSeasonal ? 'silent for both seasonal days' : `fires on the seasonal days: ${Object.entries(last.seasonal).flatMap(([n, i]) => i.firing.slice(0, 3).map(([a, b]) => `${n} ${clock(a)}–${clock(b)}`)).join(', ')}`}</li>
            <li><StatusIcon status={last.verdict.checks >= 2 && last.verdict.checks === last.verdict.checksPassed ? 'met' : 'not-met'} /> unit tests: {last.verdict.checksPassed} of {last.verdict.checks} checks pass{last.verdict.checks < 2 ? ' (write at least two)' : ''}</li>
          </ul>
          <p>{proven(last) ? 'Proven: this rule set meets the criterion.' : 'Not proven yet.'}</p>
          {last.notifications && (
            <p className="lab-muted">
              Grouped by alert name like Alertmanager (30 s group wait, 5 min group interval, 4 h repeat), the on-call person would get {last.notifications.sudden} notification{last.notifications.sudden === 1 ? '' : 's'} over the two drift days and {last.notifications.seasonal} over the two seasonal days.
            </p>
          )}
          <Chart svg={alertTimelineChart(last)} testId="alert-timeline" caption="Each alert's state every minute: 0 inactive, 1 pending (waiting out for:), 2 firing; the drift starts at day 2, 06:00." />
        </div>
      )}
      {tests && (
        <ul className="lab-cases" data-testid="rule-tests">
          {tests.flatMap((t) =>
            t.checks.map((c, i) => (
              <li key={`${t.name}-${i}`}>
                <StatusIcon status={c.passed ? 'met' : 'not-met'} /> {t.name}, line {c.line}: {c.kind === 'alert' ? `alert ${c.alertname}` : `expr ${c.expr}`} at {c.evalTime / 60000} min
              </li>
            )),
          )}
        </ul>
      )}
    </section>
  );
}
