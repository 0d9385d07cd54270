/** The tour lab's view: throw darts, see each batch's estimate, and the coding track. The shell does the rest. */
import { useEffect, useRef, useState } from 'react';
import { DART_COUNTS, pooled, tour, type TourState } from '../../../../labs/tour/lab.ts';
import type { TourApi } from '../../../../labs/tour/worker.ts';
import { passedAll } from '../../../labkit/lab/exercise.ts';
import type { WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import { exercisesOf } from '../code/exercises.ts';
import { LabShell } from '../shell/LabShell.tsx';
import type { LabProps } from '../shell/types.ts';
import { useLabShell } from '../shell/useLabShell.ts';
import { useWorkerClient } from '../shell/useWorkerClient.ts';

const [EXERCISE] = exercisesOf('tour');
const fmt = (x: number) => x.toFixed(5);

export default function TourWorkspace({ lab }: LabProps) {
  const shell = useLabShell<TourState>(tour, lab);
  const [darts, setDarts] = useState(100_000);
  const record = EXERCISE ? shell.session.meta.code[EXERCISE.id] : undefined;
  const mine = record?.use && passedAll(record.last) ? record.source : undefined;
  const mineRef = useRef(mine);
  mineRef.current = mine;
  const { client } = useWorkerClient<TourApi>({
    create: () => new Worker(new URL('../../../../labs/tour/worker.ts', import.meta.url), { type: 'module', name: 'tour' }) as unknown as WorkerLike,
    setup: (call) => call('code', { wilson: mineRef.current }),
  });
  useEffect(() => {
    void client.call('code', { wilson: mine }).promise.catch(() => undefined);
  }, [mine, client]);

  const throwDarts = async () => {
    const batch = await shell.run(`Throw ${darts.toLocaleString('en')} darts`, (onProgress) => client.call('throw', { darts }, { onProgress }));
    if (batch) shell.session.update((s) => ({ batches: [...s.batches, batch] }));
  };

  const { batches } = shell.session.state;
  const all = batches.length ? pooled(batches) : null;
  return (
    <LabShell shell={shell} status={mine ? 'Intervals come from your own function.' : 'Intervals come from the lab’s function.'}>
      <section className="lab-section" aria-labelledby="tour-darts">
        <h2 id="tour-darts">1. Throw darts</h2>
        <div className="lab-row">
          <label>
            Darts
            <select value={darts} onChange={(e) => setDarts(Number(e.target.value))} disabled={!!shell.job}>
              {DART_COUNTS.map((n) => (
                <option key={n} value={n}>{n.toLocaleString('en')}</option>
              ))}
            </select>
          </label>
          <button type="button" className="lab-primary" onClick={throwDarts} disabled={!!shell.job}>
            Throw
          </button>
        </div>
        {all && (
          <p data-testid="pooled">
            All {all.darts.toLocaleString('en')} darts: π ≈ <strong>{fmt(all.value)}</strong> (95% interval {fmt(all.lower)} to {fmt(all.upper)}, ±
            {((all.upper - all.lower) / 2).toFixed(5)}). The true value is 3.14159.
          </p>
        )}
        {batches.length > 0 && (
          <div className="lab-scroll" role="region" aria-label="Each batch" tabIndex={0}>
            <table className="lab-table" data-testid="batches">
              <caption>Each batch</caption>
              <thead>
                <tr>
                  <th scope="col">darts</th>
                  <th scope="col">inside</th>
                  <th scope="col">π estimate</th>
                  <th scope="col">95% interval</th>
                  <th scope="col">covers π?</th>
                  <th scope="col">interval by</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => (
                  <tr key={b.id} data-restored={Boolean(b.restoredAt)}>
                    <td>{b.darts.toLocaleString('en')}</td>
                    <td>{b.inside.toLocaleString('en')}</td>
                    <td>{fmt((4 * b.inside) / b.darts)}</td>
                    <td>{fmt(b.lower)} to {fmt(b.upper)}</td>
                    <td>{b.lower <= Math.PI && Math.PI <= b.upper ? 'yes' : 'no'}</td>
                    <td>{b.studentCode ? 'your function' : 'the lab'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {EXERCISE && (
        <details>
          <summary>Coding track: write the interval yourself</summary>
          <ExercisePanel session={shell.session} spec={EXERCISE} />
        </details>
      )}
    </LabShell>
  );
}
