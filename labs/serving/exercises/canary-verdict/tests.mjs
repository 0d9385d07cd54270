// Tests for canaryVerdict: each case runs your check and the reference on the same counts and compares.

const options = { zCritical: 2.71, minRequests: 100 };
const same = (s, r, t, b, c, o, what) => {
  const mine = s(b, c, o);
  const ref = r(b, c, o);
  t.equal(mine?.decision, ref.decision, `${what}: decision`);
  t.close(mine?.z, ref.z, 1e-9, `${what}: z`);
};

export default [
  { name: '1% against 6% after 500 canary requests: roll back', run: (s, r, t) => same(s, r, t, { requests: 4500, errors: 45 }, { requests: 500, errors: 30 }, options, '1% vs 6%') },
  { name: 'equal error rates: pass', run: (s, r, t) => same(s, r, t, { requests: 900, errors: 9 }, { requests: 100, errors: 1 }, options, 'equal') },
  { name: 'a canary better than the baseline: pass (the test is one-sided)', run: (s, r, t) => same(s, r, t, { requests: 900, errors: 90 }, { requests: 100, errors: 0 }, options, 'better') },
  { name: 'a small difference within chance: pass', run: (s, r, t) => same(s, r, t, { requests: 1800, errors: 18 }, { requests: 200, errors: 4 }, options, '1% vs 2%') },
  { name: 'no errors anywhere: z is 0', run: (s, r, t) => same(s, r, t, { requests: 900, errors: 0 }, { requests: 100, errors: 0 }, options, 'no errors') },
  { name: 'too few canary requests: wait', run: (s, r, t) => same(s, r, t, { requests: 900, errors: 9 }, { requests: 99, errors: 50 }, options, '99 requests') },
  { name: 'a stricter threshold changes the decision, not z', run: (s, r, t) => same(s, r, t, { requests: 4500, errors: 45 }, { requests: 300, errors: 9 }, { zCritical: 4, minRequests: 100 }, 'zCritical 4') },
  {
    name: 'impossible counts are refused',
    run: async (s, r, t) => {
      await t.throws(() => s({ requests: 10, errors: 11 }, { requests: 100, errors: 0 }, options), 'more errors than requests');
      await t.throws(() => s({ requests: 10, errors: 1 }, { requests: 100.5, errors: 0 }, options), 'a fractional count');
      await t.throws(() => s({ requests: 10, errors: 1 }, { requests: 100, errors: -1 }, options), 'negative errors');
    },
  },
];
