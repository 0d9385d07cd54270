// Tests for medianCISorted: each case runs your function and the reference on the same input and compares.

/** Skewed, latency-like timings from a small seeded generator, sorted. */
function latencies(n, seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => 0.4 + 0.1 * -Math.log(1 - next())).sort((x, y) => x - y);
}

function same(student, reference, t, sorted, level, what) {
  const mine = level === undefined ? student(sorted) : student(sorted, level);
  const ref = reference(sorted, level);
  t.ok(mine && typeof mine === 'object', `${what}: return an object { lower, upper, lowerRank, upperRank, coverage, level }`);
  t.equal(mine.lowerRank, ref.lowerRank, `${what}: lowerRank`);
  t.equal(mine.upperRank, ref.upperRank, `${what}: upperRank`);
  t.equal(mine.lower, ref.lower, `${what}: lower (the value at lowerRank)`);
  t.equal(mine.upper, ref.upper, `${what}: upper (the value at upperRank)`);
  t.close(mine.coverage, ref.coverage, 1e-9, `${what}: coverage`);
  t.equal(mine.level, ref.level, `${what}: level`);
}

export default [
  { name: 'ten timings: ranks 2 and 9, coverage 1 − 22/1024', run: (s, r, t) => same(s, r, t, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], undefined, 'n = 10') },
  { name: 'thirty timings: the 10th and the 21st', run: (s, r, t) => same(s, r, t, latencies(30, 1), undefined, 'n = 30') },
  { name: 'a hundred timings: the 40th and the 61st', run: (s, r, t) => same(s, r, t, latencies(100, 2), undefined, 'n = 100') },
  {
    name: 'too few timings for 95%: the whole range, with the coverage it really has',
    run: (s, r, t) => {
      same(s, r, t, [1, 2, 3, 4, 5], undefined, 'n = 5');
      same(s, r, t, [1, 2], undefined, 'n = 2');
      same(s, r, t, [3], undefined, 'n = 1');
    },
  },
  {
    name: 'no timings at all',
    run: (s, r, t) => {
      const mine = s([]);
      t.ok(Number.isNaN(mine.lower) && Number.isNaN(mine.upper), 'an empty array: lower and upper are NaN');
      t.equal(mine.lowerRank, 0, 'an empty array: lowerRank');
      t.equal(mine.coverage, 0, 'an empty array: coverage');
    },
  },
  {
    name: 'another level: 99% and 90%',
    run: (s, r, t) => {
      same(s, r, t, latencies(50, 3), 0.99, 'n = 50 at 99%');
      same(s, r, t, latencies(50, 3), 0.9, 'n = 50 at 90%');
    },
  },
  {
    name: 'every n from 6 to 120',
    run: (s, r, t) => {
      for (let n = 6; n <= 120; n++) same(s, r, t, latencies(n, n), undefined, `n = ${n}`);
    },
  },
  { name: '1,000 timings (the lab’s cap)', run: (s, r, t) => same(s, r, t, latencies(1000, 4), undefined, 'n = 1000') },
];
