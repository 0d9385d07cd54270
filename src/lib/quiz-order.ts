/**
 * The order in which a knowledge check shows its options. Every attempt gets a random seed; the seed fixes a
 * shuffle of every question's options, so the order is the same after a reload during the attempt and new for the
 * next attempt. The page built for a student who has not started yet uses a fixed shuffle per module and question.
 * Answers are always recorded by the authored index, so attempts stay comparable whatever order was shown.
 */
import { mulberry32, permutation } from '../labkit/ml/random';

/** FNV-1a: a 32-bit hash of a string, to turn names into seeds. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A uniformly random permutation of 0…n−1: `order[shown position] = authored index`. */
export function shuffledOrder(n: number, random: () => number): number[] {
  return Array.from(permutation(n, random));
}

/** The order of one question's options in the attempt with this seed. */
export function attemptOrder(seed: number, question: number, optionCount: number): number[] {
  return shuffledOrder(optionCount, mulberry32(hash32(`${seed >>> 0}:${question}`)));
}

/** The order in the built page, before an attempt has started: fixed per module and question, unrelated to authoring. */
export function pageOrder(moduleId: string, question: number, optionCount: number): number[] {
  return shuffledOrder(optionCount, mulberry32(hash32(`${moduleId}:${question}`)));
}

/** A fresh seed for an attempt. */
export function newAttemptSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}
