/** The coding track: the student writes the order statistics every summary in this lab is built from. */
import type { ExerciseSpec } from '../../../labkit/lab/exercise.ts';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import type { SpeedShell } from './SpeedWorkspace.tsx';

export function CodeSection({ shell, exercises }: { shell: SpeedShell; exercises: ExerciseSpec[] }) {
  if (!exercises.length) return null;
  return (
    <section className="lab-section" aria-labelledby="speed-code">
      <h2 id="speed-code">3. Coding track: the statistics yourself</h2>
      <p>
        Every median, percentile and interval in the results comes from two functions. Write them, test them against the lab's own, and switch them on: the next run's
        summaries are computed with your code, and the report says so.
      </p>
      {exercises.map((ex) => (
        <details key={ex.id}>
          <summary>{ex.title}</summary>
          <ExercisePanel session={shell.session} spec={ex} />
        </details>
      ))}
    </section>
  );
}
