/** Step 5: a canary rollout with a planted regression, judged by the automated analysis. */
import { useState } from 'react';
import { caughtAtTen } from '../../../../labs/serving/lab.ts';
import { serviceTimes } from '../../../../labs/serving/records.ts';
import { checkPlan, DEFAULT_PLAN, type RolloutPlan } from '../../../labkit/serving/canary.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import type { ServingContext } from './ServingWorkspace.tsx';

const num = (text: string) => (text.trim() === '' ? NaN : Number(text));

export function CanarySection({ ctx }: { ctx: ServingContext }) {
  const { shell, state, client, busy, newId, exercises, using } = ctx;
  const [mode, setMode] = useState<RolloutPlan['mode']>('canary');
  const [share, setShare] = useState('10');
  const [baselinePct, setBaselinePct] = useState('1');
  const [regression, setRegression] = useState('5');
  const [testers, setTesters] = useState('0');
  const exercise = exercises.find((e) => e.exportName === 'canaryVerdict');
  const plan: RolloutPlan = { ...DEFAULT_PLAN, mode, steps: [...new Set([num(share), 50, 100])].filter((s) => s >= num(share)).sort((a, b) => a - b) };
  const problem =
    checkPlan(plan) ??
    (!(num(baselinePct) >= 0 && num(baselinePct) <= 50) ? 'baseline errors must be from 0 to 50%' : !(num(regression) >= 0 && num(regression) + num(baselinePct) <= 100) ? 'the regression must be ≥ 0 pp and keep errors within 100%' : !(num(testers) >= 0 && num(testers) <= 50) ? 'testers must send from 0 to 50% of requests' : null);
  const source = state.loadTests.at(-1);
  const last = state.rollouts.at(-1);

  const run = async () => {
    if (problem) return shell.warn(`Rollout: ${problem}.`);
    if (!source) return shell.warn('Run a load test first: the rollout draws its latencies from it.');
    const seed = 1 + Math.floor(Math.random() * 1e6);
    const args = { plan, baselineErrorPct: num(baselinePct), regressionPp: num(regression), testerPct: num(testers), serviceMs: serviceTimes(source), seed };
    const result = await shell.run(`Canary rollout, +${args.regressionPp} pp errors`, () => client.call('canary', args));
    if (!result) return;
    const record = { id: newId('roll-'), at: new Date().toISOString(), plan, baselineErrorPct: args.baselineErrorPct, regressionPp: args.regressionPp, testerPct: args.testerPct, seed, loadTest: source.id, verdictBy: using.canaryVerdict ? ('yours' as const) : ('reference' as const), result };
    shell.session.update((s) => ({ ...s, rollouts: [...s.rollouts, record] }));
    const at = result.looks.at(-1)!;
    const users = mode === 'shadow' ? 'no user saw a canary answer (shadow traffic)' : `users received ${result.userFacingCanaryErrors} failed answers from the canary`;
    shell.say(result.outcome === 'rolled back' ? `Rolled back at ${at.share}% after ${result.canaryRequests} canary requests: ${at.reason}; ${users}.` : `Promoted to 100% after ${result.canaryRequests} canary requests; ${users}.`);
  };

  return (
    <section className="lab-section" aria-labelledby="srv-canary">
      <h2 id="srv-canary">5. Canary rollout</h2>
      <p className="lab-muted">
        Simulated traffic from 20,000 users, sticky by a hash of the user id, latencies drawn from your latest load test. In shadow mode every user is answered by the baseline and the chosen share is
        copied to the canary, whose answers only the analysis sees. Testers' requests carry <code>x-version: canary</code>: they reach the canary at any share and stay out of the analysis, which compares only randomly assigned users. The analysis looks every {DEFAULT_PLAN.lookEvery} canary requests ({DEFAULT_PLAN.looksPerStep} looks per step) and
        splits a {DEFAULT_PLAN.alpha * 100}% false-rollback budget over all looks.
      </p>
      <div className="lab-row">
        <label>
          Mode
          <select value={mode} onChange={(e) => setMode(e.target.value as RolloutPlan['mode'])}>
            <option value="canary">canary: its users get its answers</option>
            <option value="shadow">shadow: mirrored, answers discarded</option>
          </select>
        </label>
        <label>
          {mode === 'shadow' ? 'Mirrored share (%)' : 'Canary share (%)'}
          <input type="number" value={share} onChange={(e) => setShare(e.target.value)} min={1} max={100} />
        </label>
        <label>
          Baseline errors (%)
          <input type="number" value={baselinePct} onChange={(e) => setBaselinePct(e.target.value)} min={0} max={50} step={0.5} />
        </label>
        <label>
          Planted regression (pp)
          <input type="number" value={regression} onChange={(e) => setRegression(e.target.value)} min={0} max={50} step={0.5} />
        </label>
        <label>
          Tester requests, x-version: canary (%)
          <input type="number" value={testers} onChange={(e) => setTesters(e.target.value)} min={0} max={50} />
        </label>
        <button type="button" className="lab-primary" disabled={busy || !!problem || !source} onClick={() => void run()}>
          Roll out
        </button>
      </div>
      {problem && <p className="lab-alert">Rollout: {problem}.</p>}
      {!source && <p className="lab-muted">Run a load test first (step 2).</p>}
      {last && (
        <div className="lab-scroll" role="region" aria-label="Rollout looks" tabIndex={0}>
          <table className="lab-table" data-testid="rollout">
            <caption>
              {last.plan.mode === 'shadow' ? 'Shadow rollout' : 'Rollout'} {last.id} ({last.baselineErrorPct}% baseline errors, +{last.regressionPp} pp on the canary, check: {last.verdictBy === 'yours' ? 'yours' : "the lab's"}): <strong>{last.result.outcome}</strong>
              {caughtAtTen(last) ? ' during the 10% step' : ''}; canary share in the first step {last.result.firstStepShare.toFixed(1)}%;{' '}
              {last.plan.mode === 'shadow' ? 'no user saw a canary answer' : `failed canary answers users received: ${last.result.userFacingCanaryErrors}`}
              {last.result.headerRequests ? `; ${last.result.headerRequests} tester requests routed by their header, left out of the analysis` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">share</th>
                <th scope="col">baseline errors</th>
                <th scope="col">canary errors</th>
                <th scope="col">difference (95% CI)</th>
                <th scope="col">z</th>
                <th scope="col">decision</th>
                <th scope="col">why</th>
              </tr>
            </thead>
            <tbody>
              {last.result.looks.map((l, i) => (
                <tr key={i}>
                  <td>{l.share}%</td>
                  <td>
                    {l.baseline.errors} of {l.baseline.requests}
                  </td>
                  <td>
                    {l.canary.errors} of {l.canary.requests}
                  </td>
                  <td>
                    {(l.difference.estimate * 100).toFixed(2)} pp ({(l.difference.lower * 100).toFixed(2)} to {(l.difference.upper * 100).toFixed(2)})
                  </td>
                  <td>{l.z.toFixed(2)}</td>
                  <td>{l.decision}</td>
                  <td>{l.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {exercise && (
        <details>
          <summary>Coding track: {exercise.title}</summary>
          <ExercisePanel session={shell.session} spec={exercise} />
        </details>
      )}
    </section>
  );
}
