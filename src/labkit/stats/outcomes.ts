/**
 * Per-item outcomes (right or wrong on each test image) packed into a compact base64 bit string, so a lab can keep
 * them in its state, compare two models on the same images, and a lecturer can check them against a re-scoring.
 */

export function packOutcomes(outcomes: ArrayLike<boolean | number>): string {
  const bytes = new Uint8Array(Math.ceil(outcomes.length / 8));
  for (let i = 0; i < outcomes.length; i++) if (outcomes[i]) bytes[i >> 3]! |= 1 << (i & 7);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function unpackOutcomes(packed: string, count: number): Uint8Array {
  let binary: string;
  try {
    binary = atob(packed);
  } catch {
    throw new RangeError('the outcomes are not valid base64');
  }
  if (binary.length !== Math.ceil(count / 8)) throw new RangeError(`the outcomes hold ${binary.length * 8} bits, not ${count}`);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (binary.charCodeAt(i >> 3) >> (i & 7)) & 1;
  return out;
}

export function countTrue(outcomes: ArrayLike<number | boolean>): number {
  let n = 0;
  for (let i = 0; i < outcomes.length; i++) if (outcomes[i]) n++;
  return n;
}
