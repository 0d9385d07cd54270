// Tests for quantizeAffine: each case runs your function and the reference on the same input and compares.

/** A small seeded generator, so every run checks the same values. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function same(student, reference, t, values, dtype, what) {
  const mine = student(values, dtype);
  const ref = reference(values, dtype);
  t.ok(mine && typeof mine === 'object', `${what}: return an object { q, scale, min }`);
  t.ok(dtype === 'uint8' ? mine.q instanceof Uint8Array : mine.q instanceof Uint16Array, `${what}: q must be a ${dtype === 'uint8' ? 'Uint8Array' : 'Uint16Array'}`);
  t.close(mine.scale, ref.scale, Math.abs(ref.scale) * 1e-12, `${what}: scale`);
  t.close(mine.min, ref.min, Math.abs(ref.scale) * 1e-9, `${what}: min (after the nudge)`);
  t.items(mine.q, ref.q, `${what}: levels q`);
}

export default [
  { name: 'a range holding 0: zero stays exactly zero', run: (s, r, t) => same(s, r, t, Float32Array.from([-1, 0, 0.5, 15, -0.3, 0.125]), 'uint8', 'mixed signs') },
  { name: 'all positive: no nudge', run: (s, r, t) => same(s, r, t, Float32Array.from([0.5, 1.5, 2, 3.75]), 'uint8', 'positive') },
  { name: 'all negative: no nudge', run: (s, r, t) => same(s, r, t, Float32Array.from([-2, -1.25, -1]), 'uint8', 'negative') },
  {
    name: 'a constant tensor',
    run: (s, r, t) => {
      same(s, r, t, Float32Array.from([0.7, 0.7, 0.7]), 'uint8', 'constant');
      same(s, r, t, Float32Array.from([-3]), 'uint16', 'one value');
    },
  },
  { name: 'uint16 uses 65,536 levels', run: (s, r, t) => same(s, r, t, Float32Array.from([-1, -0.001, 0, 0.3333, 1]), 'uint16', 'uint16') },
  {
    name: 'halfway cases round to even',
    run: (s, r, t) => same(s, r, t, Float32Array.from([0, 2.5, 3.5, 254.5, 255]), 'uint8', 'ties'),
  },
  {
    name: '1,000 weights of a real-looking layer',
    run: (s, r, t) => {
      const next = random(42);
      const w = Float32Array.from({ length: 1000 }, () => (next() + next() + next() - 1.5) * 0.2);
      same(s, r, t, w, 'uint8', 'uint8 layer');
      same(s, r, t, w, 'uint16', 'uint16 layer');
    },
  },
  {
    name: 'NaN and Infinity are refused',
    run: async (s, r, t) => {
      await t.throws(() => s(Float32Array.from([1, NaN]), 'uint8'), 'a tensor with NaN');
      await t.throws(() => s(Float32Array.from([1, Infinity]), 'uint8'), 'a tensor with Infinity');
    },
  },
];
