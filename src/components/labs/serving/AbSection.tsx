/** Step 6 (stretch): an A/B test on a simulated conversion rate, with its sample size computed before it runs. */
import { useState } from 'react';
import { adequatelyPowered } from '../../../../labs/serving/lab.ts';
import { checkAbPlan, sampleSizePerArm, type AbPlan } from '../../../labkit/serving/abtest.ts';
import type { ServingContext } from './ServingWorkspace.tsx';

const num = (text: string) => (text.trim() === '' ? NaN : Number(text));

export function AbSection({ ctx }: { ctx: ServingContext }) {
  const { shell, state, client, busy, newId } = ctx;
  const [baseline, setBaseline] = useState('10');
  const [mde, setMde] = useState('2');
  const [alpha, setAlpha] = useState('0.05');
  const [power, setPower] = useState('80');
  const [perArm, setPerArm] = useState('');
  const [lift, setLift] = useState('2');
  const plan: AbPlan = { baseline: num(baseline) / 100, mde: num(mde) / 100, alpha: num(alpha), power: num(power) / 100 };
  const n = num(perArm);
  const problem =
    checkAbPlan(plan) ??
    (!(Number.isInteger(n) && n >= 10 && n <= 2_000_000) ? 'sessions per arm: write the number you computed (a whole number from 10 to 2,000,000)' : !(plan.baseline + num(lift) / 100 > 0 && plan.baseline + num(lift) / 100 < 1) ? 'the planted lift must keep B’s rate between 0 and 100%' : null);

  const run = async () => {
    if (problem) return shell.warn(`A/B test: ${problem}.`);
    const seed = 1 + Math.floor(Math.random() * 1e6);
    const trueLift = num(lift) / 100;
    const result = await shell.run(`A/B test, ${n} sessions per arm`, () => client.call('ab', { plan, perArm: n, trueLift, seed }));
    if (!result) return;
    const record = { id: newId('ab-'), at: new Date().toISOString(), plan, perArm: n, trueLift, seed, result };
    shell.session.update((s) => ({ ...s, abTests: [...s.abTests, record] }));
    const needed = sampleSizePerArm(plan);
    shell.say(`A/B test: ${result.decision} (p = ${result.pValue.toPrecision(3)}). Your plan needed ${needed.toLocaleString('en')} sessions per arm; you ran ${n.toLocaleString('en')}${n < needed ? ', too few for the power you asked for' : ''}.`);
  };

  return (
    <section className="lab-section" aria-labelledby="srv-ab">
      <h2 id="srv-ab">6. A/B test on a business metric (stretch)</h2>
      <p className="lab-muted">
        Sessions split 50/50 by the sticky router convert with A's rate or B's. Compute the sessions per arm first (two-sided two-proportion z-test): n = ((z₁₋α/₂·√(2p̄(1 − p̄)) + z_power·√(p₁(1 − p₁) + p₂(1 − p₂))) / δ)² with p₂ = p₁ + δ and p̄ = (p₁ + p₂)/2. The test
        runs once to that size: no peeking.
      </p>
      <fieldset className="lab-form">
        <legend>Plan</legend>
        <label>
          A's conversion rate (%)
          <input type="number" value={baseline} onChange={(e) => setBaseline(e.target.value)} min={0.1} max={99} step={0.1} />
        </label>
        <label>
          Smallest lift worth detecting (pp)
          <input type="number" value={mde} onChange={(e) => setMde(e.target.value)} min={0.1} step={0.1} />
        </label>
        <label>
          α (two-sided)
          <input type="number" value={alpha} onChange={(e) => setAlpha(e.target.value)} min={0.001} max={0.2} step={0.01} />
        </label>
        <label>
          Power (%)
          <input type="number" value={power} onChange={(e) => setPower(e.target.value)} min={51} max={99} />
        </label>
        <label>
          Sessions per arm (your computation)
          <input type="number" value={perArm} onChange={(e) => setPerArm(e.target.value)} min={10} />
        </label>
        <label>
          Lift planted in B (pp; the analysis does not know it)
          <input type="number" value={lift} onChange={(e) => setLift(e.target.value)} step={0.1} />
        </label>
      </fieldset>
      {problem && perArm !== '' && <p className="lab-alert">A/B test: {problem}.</p>}
      <div className="lab-row">
        <button type="button" className="lab-primary" disabled={busy || !!problem} onClick={() => void run()}>
          Run the A/B test
        </button>
      </div>
      {state.abTests.length > 0 && (
        <div className="lab-scroll" role="region" aria-label="A/B test results" tabIndex={0}>
          <table className="lab-table" data-testid="ab-tests">
            <caption>A/B tests, each looked at once at its planned size</caption>
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">planned / needed per arm</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
                <th scope="col">B − A (95% CI)</th>
                <th scope="col">p-value</th>
                <th scope="col">decision</th>
                <th scope="col">planted lift</th>
              </tr>
            </thead>
            <tbody>
              {state.abTests.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.id}
                    {t.restoredAt ? ' (restored)' : ''}
                  </td>
                  <td>
                    {t.perArm.toLocaleString('en')} / {sampleSizePerArm(t.plan).toLocaleString('en')}
                    {adequatelyPowered(t) ? '' : ' (underpowered)'}
                  </td>
                  <td>
                    {t.result.a.conversions} of {t.result.a.sessions}
                  </td>
                  <td>
                    {t.result.b.conversions} of {t.result.b.sessions}
                  </td>
                  <td>
                    {(t.result.difference.estimate * 100).toFixed(2)} pp ({(t.result.difference.lower * 100).toFixed(2)} to {(t.result.difference.upper * 100).toFixed(2)})
                  </td>
                  <td>{t.result.pValue.toPrecision(3)}</td>
                  <td>{t.result.decision}</td>
                  <td>{(t.trueLift * 100).toFixed(2)} pp</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
