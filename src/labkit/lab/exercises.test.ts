/** Every lab's coding exercises: the reference passes its tests, the starter and each deliberately wrong solution do not. */
import { describe, expect, it } from 'vitest';
import { runExercise } from './exercise.ts';
import { exercisesOf, labIds } from './node.ts';

for (const lab of labIds()) {
  const exercises = exercisesOf(lab);
  if (!exercises.length) continue;
  describe(`${lab}: coding exercises`, () => {
    for (const ex of exercises) {
      it(`${ex.id}: the reference passes every case`, async () => {
        const run = await runExercise(ex, ex.reference);
        expect(run.error).toBeUndefined();
        expect(run.cases.filter((c) => !c.passed)).toEqual([]);
        expect(run.cases.length).toBeGreaterThanOrEqual(5);
      });
      it(`${ex.id}: the starter does not pass, and says why`, async () => {
        const run = await runExercise(ex, ex.starter);
        const failed = run.cases.filter((c) => !c.passed);
        expect(failed.length).toBeGreaterThan(0);
        for (const c of failed) expect(c.message, c.name).toMatch(/\S{3,}/);
      });
      for (const [name, source] of Object.entries(ex.wrong)) {
        it(`${ex.id}: the wrong solution ${name} fails at least one case with a reason`, async () => {
          const run = await runExercise(ex, source);
          const failed = run.cases.filter((c) => !c.passed);
          expect(failed.length, `${name} should fail`).toBeGreaterThan(0);
          for (const c of failed) expect(c.message).toBeTruthy();
        });
      }
      it(`${ex.id}: code that does not load or exports nothing is an error, not a crash`, async () => {
        expect((await runExercise(ex, 'export function (')).error).toMatch(/does not load/);
        expect((await runExercise(ex, 'export const other = 1;')).error).toMatch(new RegExp(`export a function named \`${ex.exportName}\``));
      });
    }
  });
}
