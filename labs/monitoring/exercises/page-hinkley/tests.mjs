// Tests for pageHinkley: each case runs your function and the reference on the same stream and compares alarms.

function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const errors = (seed, parts) => {
  const r = random(seed);
  return parts.flatMap(([n, p]) => Array.from({ length: n }, () => (r() < p ? 1 : 0)));
};
const same = (s, r, t, values, options, what) => t.items(s(values, options), r(values, options), what);

export default [
  { name: 'a stable stream raises no alarm', run: (s, r, t) => same(s, r, t, errors(1, [[5000, 0.03]]), { threshold: 30 }, 'stable') },
  { name: 'the error rate jumps from 3% to 13%', run: (s, r, t) => same(s, r, t, errors(2, [[3000, 0.03], [2000, 0.13]]), { threshold: 30 }, 'jump') },
  { name: 'after an alarm the detector starts afresh', run: (s, r, t) => same(s, r, t, errors(3, [[500, 0.02], [3000, 0.5]]), { threshold: 20 }, 'repeated alarms') },
  { name: 'no alarm before minInstances values', run: (s, r, t) => same(s, r, t, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], { threshold: 1, minInstances: 8, delta: 0 }, 'short') },
  { name: 'the forgetting factor alpha', run: (s, r, t) => same(s, r, t, errors(4, [[2000, 0.05], [2000, 0.2]]), { threshold: 15, alpha: 0.99 }, 'alpha 0.99') },
  { name: 'the defaults (δ 0.005, λ 50, 30 instances, α 0.9999)', run: (s, r, t) => same(s, r, t, errors(5, [[1000, 0.1], [3000, 0.6]]), undefined, 'defaults') },
  {
    name: 'bad options are refused',
    run: async (s, r, t) => {
      await t.throws(() => s([0, 1], { threshold: 0 }), 'threshold 0');
      await t.throws(() => s([0, 1], { threshold: 'x' }), 'a threshold that is not a number');
      await t.throws(() => s([0, 1], { delta: -1 }), 'a negative delta');
    },
  },
];
