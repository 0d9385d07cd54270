// Tests for wilson: your interval against the reference's.
function same(student, reference, t, k, n, what) {
  const mine = student(k, n);
  const ref = reference(k, n);
  t.ok(mine && typeof mine === 'object', `${what}: return { lower, upper }`);
  if (Number.isNaN(ref.lower)) {
    t.ok(Number.isNaN(mine.lower) && Number.isNaN(mine.upper), `${what}: expected NaN for both ends, got ${mine.lower} and ${mine.upper}`);
    return;
  }
  t.close(mine.lower, ref.lower, 1e-12, `${what}: lower end`);
  t.close(mine.upper, ref.upper, 1e-12, `${what}: upper end`);
}

export default [
  { name: 'a share in the middle: 3 of 10', run: (s, r, t) => same(s, r, t, 3, 10, '3/10') },
  { name: 'none: the interval still has width', run: (s, r, t) => same(s, r, t, 0, 10, '0/10') },
  { name: 'all: the upper end is 1', run: (s, r, t) => same(s, r, t, 10, 10, '10/10') },
  { name: 'a large sample: 785,398 of 1,000,000 darts', run: (s, r, t) => same(s, r, t, 785398, 1000000, 'a million darts') },
  { name: 'one trial', run: (s, r, t) => same(s, r, t, 1, 1, '1/1') },
  {
    name: 'impossible counts give NaN',
    run: (s, r, t) => {
      same(s, r, t, 5, 0, 'no trials');
      same(s, r, t, 11, 10, 'more successes than trials');
    },
  },
];
