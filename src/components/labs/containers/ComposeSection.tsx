/** Step 4: the Compose stack: the official schema and semantic checks, then a simulated docker compose up. */
import { COMPOSE } from '../../../../labs/containers/project.ts';
import type { ContainersContext } from './ContainersWorkspace.tsx';

export function ComposeSection({ ctx }: { ctx: ContainersContext }) {
  const { state, shell, client, busy, texts, compose, setCompose, setOpen, editor } = ctx;
  const text = texts[COMPOSE];
  if (text === undefined) return null;
  const image = state.builds.filter((b) => b.kind === 'build' && b.ok).at(-1);

  const check = async () => {
    const id = `c${state.compose.length + 1}`;
    const outcome = await shell.run(`Compose check ${id}`, () =>
      client.call('compose', { id, at: new Date().toISOString(), compose: text, env: texts['.env'] ?? '', image: image ? { id: image.id, history: state.builds, blobs: state.blobs } : null }),
    );
    if (!outcome) return;
    setCompose(outcome);
    shell.session.update((s) => ({ ...s, compose: [...s.compose, outcome.record] }));
  };

  const problems = compose?.record.compose === text ? compose.validation.problems : [];
  const run = compose?.record.compose === text ? compose.run : null;
  return (
    <section className="lab-section" aria-labelledby="ct-compose">
      <h2 id="ct-compose">4. The Compose stack</h2>
      <p className="lab-muted">
        Edit <code>{COMPOSE}</code> in the editor (values from <code>.env</code> are interpolated). The API service runs the image of your latest
        successful build{image ? ` (${image.id})` : ''}; it reads <code>MODEL_STORE_URL</code> at start-up and exits when the store does not answer yet.
      </p>
      <div className="lab-row">
        <button type="button" onClick={() => setOpen(COMPOSE)}>
          Open compose.yaml
        </button>
        <button type="button" className="lab-primary" onClick={() => void check()} disabled={busy}>
          Check and start the stack
        </button>
      </div>
      {compose && compose.record.compose !== text && <p className="lab-muted">compose.yaml changed since the last check: check it again.</p>}
      {compose && compose.record.compose === text && (
        <div aria-live="polite" data-testid="compose-result">
          <p className={compose.validation.valid ? 'lab-ok' : 'lab-alert'}>
            {compose.validation.valid ? 'The file is valid: the official Compose schema accepts it, and the stack is consistent.' : `The file has ${compose.record.errors} error${compose.record.errors === 1 ? '' : 's'}.`}{' '}
            {compose.record.warnings ? `${compose.record.warnings} warning${compose.record.warnings === 1 ? '' : 's'}.` : ''}
          </p>
          {problems.length > 0 && (
            <ul className="ct-findings" data-testid="compose-problems">
              {problems.map((p, k) => (
                <li key={k} data-severity={p.severity}>
                  <button type="button" className="ct-link" onClick={() => (setOpen(COMPOSE), editor.current?.reveal(p.line))}>
                    line {p.line}
                  </button>{' '}
                  <span className={`ct-sev ct-sev-${p.severity}`}>{p.severity}</span> <code>{p.path || '(file)'}</code>: {p.message}
                </li>
              ))}
            </ul>
          )}
          {run && (
            <>
              <h3>docker compose up (simulated)</h3>
              {run.error && <p className="lab-alert">Error response: {run.error}</p>}
              <p>
                Final states: {Object.entries(run.final).map(([name, s]) => `${name} ${s}`).join(', ')}.{' '}
                {compose.record.startedAfterHealthy ? 'The API started after the model store was healthy.' : compose.record.api && compose.record.store ? 'The API did not wait for a healthy model store.' : ''}
              </p>
              <div className="lab-scroll" role="region" aria-label="What happened, second by second" tabIndex={0}>
                <table className="lab-table" data-testid="compose-events">
                  <caption>What happened, second by second</caption>
                  <thead>
                    <tr>
                      <th scope="col">t (s)</th>
                      <th scope="col">service</th>
                      <th scope="col">event</th>
                      <th scope="col">detail</th>
                    </tr>
                  </thead>
                  <tbody>
                    {run.events.slice(0, 80).map((e, k) => (
                      <tr key={k} data-event={e.event}>
                        <td>{e.t.toFixed(1)}</td>
                        <td className="lab-text">{e.service}</td>
                        <td className="lab-text">{e.event}</td>
                        <td className="lab-text">{e.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
