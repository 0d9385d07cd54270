// Tests for magnitudeMask: your mask against the reference's on the same weights.

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function same(student, reference, t, values, sparsity, what) {
  const mine = student(values, sparsity);
  const ref = reference(values, sparsity);
  t.ok(mine && mine.mask instanceof Uint8Array, `${what}: return { mask } with mask a Uint8Array`);
  t.equal(mine.mask.length, values.length, `${what}: one mask value per weight`);
  t.equal(mine.zeros, ref.zeros, `${what}: zeros`);
  t.equal(mine.mask.reduce((n, m) => n + (m ? 0 : 1), 0), ref.zeros, `${what}: weights the mask removes`);
  t.close(mine.threshold, ref.threshold, 0, `${what}: threshold`);
  t.items(mine.mask, ref.mask, `${what}: mask`);
}

export default [
  { name: 'keeps the largest magnitudes, of either sign', run: (s, r, t) => same(s, r, t, Float32Array.from([0.1, -0.9, 0.3, -0.05, 0.7, 0.2]), 0.5, 'six weights') },
  { name: 'sparsity 0 keeps everything', run: (s, r, t) => same(s, r, t, Float32Array.from([1, -2, 3]), 0, 'no pruning') },
  { name: 'high sparsity still keeps one weight', run: (s, r, t) => same(s, r, t, Float32Array.from([0.4, -0.6, 0.1]), 0.99, 'almost all') },
  { name: 'ties at the threshold: the earliest are kept', run: (s, r, t) => same(s, r, t, Float32Array.from([0.5, -0.5, 0.5, 0.1, -0.5]), 0.4, 'ties') },
  { name: 'n · (1 − s) exactly halfway rounds to even', run: (s, r, t) => same(s, r, t, Float32Array.from([5, 4, 3, 2, 1, 0.5]), 0.75, 'half') },
  {
    name: '10,000 weights at 80% and 90%',
    run: (s, r, t) => {
      const next = random(7);
      const w = Float32Array.from({ length: 10000 }, () => (next() - 0.5) * 0.3);
      same(s, r, t, w, 0.8, '80%');
      same(s, r, t, w, 0.9, '90%');
    },
  },
  {
    name: 'a sparsity outside [0, 1) is refused',
    run: async (s, r, t) => {
      await t.throws(() => s(Float32Array.from([1, 2]), 1), 'sparsity 1');
      await t.throws(() => s(Float32Array.from([1, 2]), -0.1), 'sparsity −0.1');
    },
  },
];
