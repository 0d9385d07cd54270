// Tests for ksStatistic: each case runs your function and the reference on the same samples and compares.

function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normalish = (seed, n, shift = 0) => {
  const r = random(seed);
  return Float64Array.from({ length: n }, () => r() + r() + r() + r() - 2 + shift);
};
const same = (s, r, t, a, b, what) => t.close(s(a, b), r(a, b), 1e-12, what);

export default [
  { name: 'identical samples: D = 0', run: (s, r, t) => same(s, r, t, [1, 2, 3], [3, 2, 1], 'same values') },
  { name: 'samples that do not overlap: D = 1', run: (s, r, t) => same(s, r, t, [1, 2, 3], [10, 11], 'apart') },
  { name: 'a hand-checked case', run: (s, r, t) => t.close(s([1, 2, 3, 4], [2.5, 3.5]), 0.5, 1e-12, 'D of [1,2,3,4] and [2.5,3.5]') },
  { name: 'numbers sort as numbers, not as text', run: (s, r, t) => same(s, r, t, [10, 9, 100, 2], [1, 20, 3], 'mixed digits') },
  { name: 'ties within and across samples count every copy', run: (s, r, t) => same(s, r, t, [1, 1, 2, 2, 2, 3], [2, 2, 3, 3], 'ties') },
  { name: 'a discrete feature (values on a grid)', run: (s, r, t) => same(s, r, t, normalish(5, 300).map((x) => Math.floor(x * 4) / 4), normalish(6, 120, 0.2).map((x) => Math.floor(x * 4) / 4), 'grid') },
  { name: '5,000 reference values against a shifted window of 500', run: (s, r, t) => same(s, r, t, normalish(1, 5000), normalish(2, 500, 0.25), 'shifted') },
  { name: 'unequal sizes, no drift', run: (s, r, t) => same(s, r, t, normalish(3, 1234), normalish(4, 77), 'no drift') },
  {
    name: 'an empty sample or NaN is refused',
    run: async (s, r, t) => {
      await t.throws(() => s([], [1, 2]), 'an empty sample');
      await t.throws(() => s([1, NaN], [1, 2]), 'a sample with NaN');
    },
  },
];
