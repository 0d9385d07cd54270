/**
 * The order in which a knowledge check shows its options. Every attempt gets a random seed; the seed fixes a
 * shuffle of every question's options, so the order is the same after a reload during the attempt and new for the
 * next attempt. The page built for a student who has not started yet uses a fixed shuffle per module and question.
 * Answers are always recorded by the authored index, so attempts stay comparable whatever order was shown.
 */

/** FNV-1a: a 32-bit hash of a string, to turn names into seeds. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast pseudo-random generator with a 32-bit seed; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates): `order[shown position] = authored index`. */
export function shuffledOrder(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The order of one question's options in the attempt with this seed. */
export function attemptOrder(seed: number, question: number, optionCount: number): number[] {
  return shuffledOrder(optionCount, seededRandom(hash32(`${seed >>> 0}:${question}`)));
}

/** The order in the built page, before an attempt has started: fixed per module and question, unrelated to authoring. */
export function pageOrder(moduleId: string, question: number, optionCount: number): number[] {
  return shuffledOrder(optionCount, seededRandom(hash32(`${moduleId}:${question}`)));
}

/** A fresh seed for an attempt. */
export function newAttemptSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}
