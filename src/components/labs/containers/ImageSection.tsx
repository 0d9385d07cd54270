/** Step 3: the image the latest build made: docker history, its layers with their files, the wasted bytes, the smoke test. */
import { humanSize } from '../../../labkit/docker/fs.ts';
import { judgedBuild } from '../../../../labs/containers/lab.ts';
import { sizeChart, timeChart } from '../../../../labs/containers/charts.ts';
import { starterImageSize } from '../../../../labs/containers/records.ts';
import { Chart } from '../shell/Chart.tsx';
import { StatusIcon } from '../shell/StatusIcon.tsx';
import type { ContainersContext } from './ContainersWorkspace.tsx';

export function ImageSection({ ctx }: { ctx: ContainersContext }) {
  const { state, details } = ctx;
  const latest = state.builds.filter((b) => b.kind === 'build' && b.ok).at(-1);
  if (!latest) return null;
  const judged = judgedBuild(state);
  const starter = starterImageSize(latest.day);
  const size = sizeChart(state);
  const time = timeChart(state);
  const wasted = details?.waste ?? [];
  return (
    <section className="lab-section" aria-labelledby="ct-image">
      <h2 id="ct-image">3. The image</h2>
      <p data-testid="image-summary">
        Build {latest.id}: <strong>{humanSize(latest.size)}</strong> in {latest.layers} layers ({((latest.size / starter) * 100).toFixed(0)}% of the starter&rsquo;s{' '}
        {humanSize(starter)}), of which <strong>{humanSize(latest.wasted)}</strong> are hidden by later layers.{' '}
        {judged && judged.id !== latest.id ? `The criteria judge ${judged.id}, the latest build whose image passes the smoke test.` : ''}
      </p>
      {details && (
        <div data-testid="smoke">
          <h3>
            <StatusIcon status={details.smoke.ok ? 'met' : 'not-met'} /> Smoke test (a simulated docker run): {details.smoke.ok ? 'the container would start' : 'the container would not start'}
          </h3>
          <p className="lab-muted">
            Runs <code>{details.smoke.command.join(' ') || '(no command)'}</code> as {details.config.User || 'root'} in {details.config.WorkingDir || '/'}, on {details.base}.
          </p>
          <ul className="lab-cases">
            {details.smoke.checks.map((c) => (
              <li key={c.check}>
                <StatusIcon status={c.ok ? 'met' : 'not-met'} /> {c.check}: <span className="lab-muted">{c.detail}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {size && <Chart svg={size} testId="size-chart" caption="Size of each build, split into bytes the image shows and bytes hidden by a later layer (they still ship)." />}
      {time && <Chart svg={time} testId="time-chart" caption="Simulated build time: cached steps cost nothing." />}
      {latest.history && (
        <details open>
          <summary>docker history {latest.id}</summary>
          <div className="lab-scroll" role="region" aria-label="Newest layer first, as docker history prints it" tabIndex={0}>
            <table className="lab-table" data-testid="history">
              <caption>Newest layer first, as docker history prints it</caption>
              <thead>
                <tr>
                  <th scope="col">created by</th>
                  <th scope="col">size</th>
                </tr>
              </thead>
              <tbody>
                {[...latest.history].reverse().map((h, k) => (
                  <tr key={k}>
                    <td className="lab-text">
                      <code>{h.createdBy.length > 110 ? `${h.createdBy.slice(0, 110)}…` : h.createdBy}</code>
                    </td>
                    <td>{humanSize(h.size)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {details && (
        <details>
          <summary>Layers and their files</summary>
          <div className="lab-scroll" role="region" aria-label="Each layer, its largest entries and its deletions (whiteouts)" tabIndex={0}>
            <table className="lab-table" data-testid="layers">
              <caption>Each layer, its largest entries and its deletions (whiteouts)</caption>
              <thead>
                <tr>
                  <th scope="col">layer</th>
                  <th scope="col">made by</th>
                  <th scope="col">size</th>
                  <th scope="col">largest entries</th>
                </tr>
              </thead>
              <tbody>
                {details.layers.map((l) => (
                  <tr key={l.index}>
                    <td>{l.index + 1}</td>
                    <td className="lab-text">
                      <code>{l.createdBy.length > 70 ? `${l.createdBy.slice(0, 70)}…` : l.createdBy}</code>
                    </td>
                    <td>{humanSize(l.size)}</td>
                    <td className="lab-text">
                      {l.files.map((f) => (f.whiteout ? `deletes ${f.path}` : `${f.path} ${humanSize(f.size)}`)).join('; ')}
                      {l.more > 0 ? `; and ${l.more} more` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {details && (
        <div data-testid="waste">
          <h3>Wasted bytes: in the image, but hidden</h3>
          {wasted.length === 0 ? (
            <p className="lab-ok">No layer hides bytes of an earlier one.</p>
          ) : (
            <div className="lab-scroll" role="region" aria-label="Entries that a later layer deletes or replaces (they are still downloaded with the image)" tabIndex={0}>
              <table className="lab-table">
                <caption>Entries that a later layer deletes or replaces (they are still downloaded with the image)</caption>
                <thead>
                  <tr>
                    <th scope="col">path</th>
                    <th scope="col">in layer</th>
                    <th scope="col">size</th>
                    <th scope="col">hidden by</th>
                  </tr>
                </thead>
                <tbody>
                  {wasted
                    .slice()
                    .sort((a, b) => b.size - a.size)
                    .slice(0, 20)
                    .map((w, k) => (
                      <tr key={k}>
                        <td className="lab-text">
                          <code>{w.path}</code>
                          {w.label ? ` (${w.label})` : ''}
                        </td>
                        <td>{w.layer + 1}</td>
                        <td>{humanSize(w.size)}</td>
                        <td className="lab-text">
                          layer {w.by + 1} {w.how === 'deleted' ? 'deletes it' : 'replaces it'}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
