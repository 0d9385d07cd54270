/** Step 5: the Hyperband schedule for any R and η, so the budget of a study can be worked out before it runs. */
import { useState } from 'react';
import { hyperbandSchedule } from '../../../labkit/tuning/hyperband.ts';

export function HyperbandSection() {
  const [R, setR] = useState(81);
  const [eta, setEta] = useState(3);
  let schedule: ReturnType<typeof hyperbandSchedule> | null = null;
  let problem = '';
  try {
    schedule = hyperbandSchedule(R, eta);
  } catch (error) {
    problem = (error as Error).message;
  }
  return (
    <section className="lab-section" aria-labelledby="tuning-hyperband">
      <h2 id="tuning-hyperband">5. The Hyperband schedule</h2>
      <p>
        Hyperband runs successive halving several times (brackets), from many configurations on a small budget to a few on the full budget, so you do not have to guess
        how early a bad configuration shows. Each cell is configurations × epochs each, as in Li et al. (2018).
      </p>
      <div className="lab-row">
        <label>
          R (most epochs per configuration)
          <input type="number" min={1} value={Number.isFinite(R) ? R : ''} onChange={(e) => setR(e.target.valueAsNumber)} aria-describedby="hb-problem" />
        </label>
        <label>
          η
          <input type="number" min={2} value={Number.isFinite(eta) ? eta : ''} onChange={(e) => setEta(e.target.valueAsNumber)} aria-describedby="hb-problem" />
        </label>
      </div>
      <p id="hb-problem" className={problem ? 'lab-field-error' : 'lab-muted'} aria-live="polite">
        {problem || (schedule && `${schedule.brackets.length} brackets, ${schedule.configurations.toLocaleString('en')} configurations, ${schedule.cost.toLocaleString('en')} epochs in all: ${(schedule.cost / R).toFixed(1)} full trainings.`)}
      </p>
      {schedule && schedule.brackets.length <= 12 && (
        <div className="lab-scroll" role="region" aria-label="Hyperband brackets" tabIndex={0}>
          <table className="lab-table" data-testid="hyperband-table">
            <thead>
              <tr>
                <th>bracket s</th>
                {schedule.brackets[0]!.rungs.map((_, i) => (
                  <th key={i}>rung {i}</th>
                ))}
                <th>epochs</th>
              </tr>
            </thead>
            <tbody>
              {schedule.brackets.map((b) => (
                <tr key={b.s}>
                  <td>{b.s}</td>
                  {schedule.brackets[0]!.rungs.map((_, i) => (
                    <td key={i}>{b.rungs[i] ? `${b.rungs[i].configurations} × ${Number(b.rungs[i].resource.toPrecision(4))}` : ''}</td>
                  ))}
                  <td>{Number(b.cost.toPrecision(6)).toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
