/// <reference lib="webworker" />
/**
 * The sandbox for a student's exercise code: a worker of its own with no network (the same lockdown as the offline
 * Node runtime), answering through the shared worker protocol. The page stops it when the code runs too long.
 */
import { runExercise, type ExerciseSpec } from './exercise.ts';
import { serveSandboxed } from './sandbox-worker.ts';

const api = {
  run: (p: { spec: Pick<ExerciseSpec, 'reference' | 'tests' | 'exportName'>; source: string }) => runExercise(p.spec, p.source),
};
export type ExerciseApi = typeof api;

serveSandboxed(api);
