/** Step 3: coordinated omission, replayed in virtual time on the service times of the latest load test. */
import { serviceTimes } from '../../../../labs/serving/records.ts';
import { PLANTED_STALL } from '../../../../labs/serving/experiments.ts';
import type { ServingContext } from './ServingWorkspace.tsx';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

export function OmissionSection({ ctx }: { ctx: ServingContext }) {
  const { shell, state, client, busy } = ctx;
  const source = state.loadTests.at(-1);
  const o = state.omission;

  const run = async () => {
    if (!source) return shell.warn('Run a load test first: the experiment replays its service times.');
    const service = serviceTimes(source);
    const seed = 1 + Math.floor(Math.random() * 1e6);
    const result = await shell.run('Coordinated omission (60 s in virtual time)', () => client.call('omission', { serviceMs: service, seed }));
    if (result) shell.session.update((s) => ({ ...s, omission: { at: new Date().toISOString(), loadTest: source.id, seed, result } }));
  };

  return (
    <section className="lab-section" aria-labelledby="srv-omission">
      <h2 id="srv-omission">3. Coordinated omission</h2>
      <p className="lab-muted">
        Your server's service times from the latest load test, on a server that stalls for {PLANTED_STALL.forMs / 1000} s every {PLANTED_STALL.everyMs / 1000} s. One closed-model user paced at 50 requests/s and an open model at
        50 requests/s each load it for 60 s, in virtual time.
      </p>
      <div className="lab-row">
        <button type="button" className="lab-primary" disabled={busy || !source} onClick={() => void run()}>
          Plant the stall and compare
        </button>
      </div>
      {o && (
        <div className="lab-scroll" role="region" aria-label="Coordinated omission results" tabIndex={0}>
          <table className="lab-table" data-testid="omission">
            <caption>
              With the stall, open p99 / closed p99 = <strong>{o.result.ratio.toFixed(1)}×</strong> (service times of {o.loadTest}){o.restoredAt ? ' (restored)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">load model</th>
                <th scope="col">requests recorded</th>
                <th scope="col">p99 from the actual send</th>
                <th scope="col">p99 from the intended time</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>closed, 1 user paced at 50/s</td>
                <td>{o.result.closed.samples}</td>
                <td>{ms(o.result.closed.p99)} ms</td>
                <td>{ms(o.result.closed.p99Intended)} ms</td>
              </tr>
              <tr>
                <td>open, constant 50/s</td>
                <td>{o.result.open.samples}</td>
                <td>{ms(o.result.open.p99Sent)} ms</td>
                <td>{ms(o.result.open.p99)} ms</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {o && <p className="lab-muted">Count the requests: while the server stalled, the closed user waited instead of sending, so the stall left one slow sample where real users would have left fifty.</p>}
    </section>
  );
}
