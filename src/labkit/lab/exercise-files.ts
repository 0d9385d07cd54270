/**
 * Reading the coding exercises from their folders (`labs/<lab>/exercises/<id>/exercise.json`, `starter.mjs`,
 * `tests.mjs`, the reference file the JSON names). The page gets the texts from Vite (components/labs/code/exercises.ts)
 * and Node from the file system (node.ts); both hand them to `specFrom`.
 */
import type { ExerciseSpec } from './exercise.ts';

export interface ExerciseMeta {
  title: string;
  file: string;
  exportName: string;
  brief: string;
  /** The reference implementation, as a path from the repository root. */
  reference: string;
  order: number;
}

export function specFrom(id: string, meta: ExerciseMeta, texts: { starter: string; tests: string; reference: string }): ExerciseSpec & { order: number } {
  return { id, title: meta.title, file: meta.file, exportName: meta.exportName, brief: meta.brief, order: meta.order, ...texts };
}
