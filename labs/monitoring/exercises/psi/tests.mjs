// Tests for psi: each case runs your function and the reference on the same samples and compares.

function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normalish = (seed, n, shift = 0, scale = 1) => {
  const r = random(seed);
  return Float64Array.from({ length: n }, () => (r() + r() + r() + r() - 2) * scale + shift);
};
const same = (s, r, t, a, b, bins, what) => t.close(s(a, b, bins), r(a, b, bins), 1e-9, what);

export default [
  { name: 'the same sample: PSI = 0', run: (s, r, t) => same(s, r, t, normalish(1, 1000), normalish(1, 1000), 10, 'same') },
  { name: 'no drift, a window of 100', run: (s, r, t) => same(s, r, t, normalish(1, 5000), normalish(2, 100), 10, 'n=100') },
  { name: 'a 0.5 σ shift, a window of 500', run: (s, r, t) => same(s, r, t, normalish(1, 5000), normalish(3, 500, 0.5 * Math.sqrt(1 / 3)), 10, 'shifted') },
  { name: 'other bin counts (5 and 20)', run: (s, r, t) => { same(s, r, t, normalish(4, 2000), normalish(5, 300, 0.1), 5, '5 bins'); same(s, r, t, normalish(4, 2000), normalish(5, 300, 0.1), 20, '20 bins'); } },
  { name: 'empty bins take a share of 0.0001', run: (s, r, t) => same(s, r, t, normalish(6, 1000), normalish(7, 200, 3), 10, 'all far right') },
  { name: 'a discrete feature: repeated edges are dropped', run: (s, r, t) => same(s, r, t, normalish(8, 1000).map((x) => Math.floor(x)), normalish(9, 200).map((x) => Math.floor(x)), 10, 'integers') },
  { name: 'a value on an edge belongs to the lower bin', run: (s, r, t) => same(s, r, t, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 2, 2, 3.5, 10], 10, 'edges') },
  {
    name: 'bad input is refused',
    run: async (s, r, t) => {
      await t.throws(() => s([1, 2, 3], [1, NaN]), 'a NaN');
      await t.throws(() => s([], [1]), 'an empty reference');
      await t.throws(() => s([1, 2], [1], 1), 'one bin');
    },
  },
];
