import { describe, expect, it } from 'vitest';
import { decodeAnswerKey, encodeAnswerKey } from './quiz-key';
import { mulberry32 } from '../labkit/ml/random';
import { attemptOrder, pageOrder, shuffledOrder } from './quiz-order';

describe('answer keys', () => {
  const key = { correct: [2], why: ['Wrong: <code>x</code> is not it.', 'Also wrong, “quoted”.', 'Right: 0.99¹⁰⁰ ≈ 0.366.'] };

  it('decode to what was encoded, with the same salt only', () => {
    const text = encodeAnswerKey(key, 'serving:1');
    expect(decodeAnswerKey(text, 'serving:1')).toEqual(key);
    expect(() => decodeAnswerKey(text, 'serving:2')).toThrow();
  });

  it('do not show the answers or the explanations in the page text', () => {
    const text = encodeAnswerKey(key, 'serving:1');
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(atob(text)).not.toContain('correct');
    expect(atob(text)).not.toContain('Right');
  });
});

describe('option orders', () => {
  it('are permutations, the same for the same seed and question', () => {
    for (let seed = 0; seed < 50; seed++) {
      const order = attemptOrder(seed, 3, 5);
      expect([...order].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(attemptOrder(seed, 3, 5)).toEqual(order);
    }
    expect(pageOrder('intro', 0, 4)).toEqual(pageOrder('intro', 0, 4));
  });

  it('reach every permutation of three options about equally often', () => {
    const counts = new Map<string, number>();
    const random = mulberry32(42);
    for (let i = 0; i < 6000; i++) {
      const key = shuffledOrder(3, random).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // 6000 draws of 6 equally likely outcomes: 1000 ± 5 standard deviations (about 29 each).
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});
