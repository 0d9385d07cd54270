// Tests for quantileSorted: each case runs your function and the reference on the same input and compares.

/** Skewed, latency-like timings from a small seeded generator, sorted. */
function latencies(n, seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from({ length: n }, () => 0.4 + 0.1 * -Math.log(1 - next())).sort();
}

function same(student, reference, t, sorted, ps, what) {
  for (const p of ps) t.close(student(sorted, p), reference(sorted, p), 1e-12, `${what}, p = ${p}`);
}

export default [
  {
    name: 'five values: interpolates between neighbours',
    run: (s, r, t) => same(s, r, t, [15, 20, 35, 40, 50], [0, 0.25, 0.4, 0.5, 0.75, 0.95, 1], '[15, 20, 35, 40, 50]'),
  },
  { name: 'ten values: the quartiles, p95 and p99 NumPy gives', run: (s, r, t) => same(s, r, t, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.25, 0.5, 0.75, 0.95, 0.99], '1…10') },
  { name: 'an even count: the median is the mean of the two middle values', run: (s, r, t) => t.close(s([1, 2, 3, 4], 0.5), 2.5, 1e-12, 'median of [1, 2, 3, 4]') },
  {
    name: 'one value, and none',
    run: (s, r, t) => {
      same(s, r, t, [7], [0, 0.5, 1], '[7]');
      t.ok(Number.isNaN(s([], 0.5)), 'an empty array gives NaN');
    },
  },
  {
    name: 'p outside [0, 1] is refused',
    run: async (s, r, t) => {
      await t.throws(() => s([1, 2, 3], 1.5), 'p = 1.5');
      await t.throws(() => s([1, 2, 3], -0.1), 'p = −0.1');
      await t.throws(() => s([1, 2, 3], NaN), 'p = NaN');
    },
  },
  { name: '1,000 skewed timings, many p', run: (s, r, t) => same(s, r, t, latencies(1000, 7), [0, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1], 'timings') },
  {
    name: 'the array is left as it was',
    run: (s, r, t) => {
      const sorted = Object.freeze([1, 2, 3, 4, 5]);
      t.close(s(sorted, 0.3), r(sorted, 0.3), 1e-12, 'a frozen array, p = 0.3');
    },
  },
];
