/** Every lab's coding exercises for the page, read by Vite from their folders (see src/labkit/lab/exercise.ts). */
import type { ExerciseSpec } from '../../../labkit/lab/exercise.ts';
import { specFrom, type ExerciseMeta } from '../../../labkit/lab/exercise-files.ts';

const metas = import.meta.glob<ExerciseMeta>('../../../../labs/*/exercises/*/exercise.json', { eager: true, import: 'default' });
const texts = import.meta.glob<string>(['../../../../labs/*/exercises/*/{starter,tests}.mjs', '../../../labkit/**/*.mjs'], { eager: true, query: '?raw', import: 'default' });

const ROOT = '../../../../';
const fromRoot = (path: string) => (path.startsWith('src/') ? `../../../${path.slice('src/'.length)}` : `${ROOT}${path}`);

export function exercisesOf(lab: string): ExerciseSpec[] {
  const prefix = `${ROOT}labs/${lab}/exercises/`;
  return Object.entries(metas)
    .filter(([path]) => path.startsWith(prefix))
    .map(([path, meta]) => {
      const folder = path.slice(0, -'exercise.json'.length);
      const id = folder.slice(prefix.length, -1);
      const reference = texts[fromRoot(meta.reference)];
      if (reference === undefined) throw new Error(`labs/${lab}/exercises/${id}/exercise.json names a reference ${meta.reference} that does not exist`);
      return specFrom(id, meta, { starter: texts[`${folder}starter.mjs`] ?? '', tests: texts[`${folder}tests.mjs`] ?? '', reference });
    })
    .sort((a, b) => a.order - b.order);
}
