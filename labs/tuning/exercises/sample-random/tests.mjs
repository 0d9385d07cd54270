// Tests for sampleRandom: each case draws many values with your function and checks where they fall.

/** A small seeded generator, so every run checks the same draws. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 6000;

function draws(fn, d, seed = 7) {
  const rand = random(seed);
  return Array.from({ length: N }, () => fn(d, rand));
}

/** Every value lies in the range (and on the grid, when there is one). */
function inRange(t, values, d, what) {
  for (const v of values) {
    t.ok(typeof v === 'number' && Number.isFinite(v), `${what}: every draw must be a finite number, got ${JSON.stringify(v)}`);
    t.ok(v >= d.low && v <= d.high, `${what}: ${v} lies outside [${d.low}, ${d.high}]`);
    if (d.kind === 'int') t.ok(Number.isInteger(v), `${what}: ${v} is not a whole number`);
    if (d.step) {
      const k = (v - d.low) / d.step;
      t.ok(Math.abs(k - Math.round(k)) < 1e-9, `${what}: ${v} is not on the grid ${d.low} + k·${d.step}`);
    }
  }
}

/** Each value's share of the draws is within `tol` of 1/k. */
function evenly(t, values, expected, what, tol = 0.025) {
  for (const x of expected) {
    const share = values.filter((v) => v === x || Math.abs(v - x) < 1e-9).length / values.length;
    t.ok(Math.abs(share - 1 / expected.length) <= tol, `${what}: ${JSON.stringify(x)} came up in ${(share * 100).toFixed(1)}% of ${values.length} draws; each of the ${expected.length} values should get about ${(100 / expected.length).toFixed(1)}%`);
  }
}

export default [
  {
    name: 'categorical: every choice equally often',
    run: (s, r, t) => {
      const d = { kind: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] };
      const v = draws(s, d);
      t.ok(v.every((x) => d.choices.includes(x)), 'every draw must be one of the choices');
      evenly(t, v, d.choices, 'choices');
    },
  },
  {
    name: 'float: uniform over [low, high]',
    run: (s, r, t) => {
      const d = { kind: 'float', low: -2, high: 6, log: false, step: null };
      const v = draws(s, d);
      inRange(t, v, d, 'float');
      const below = v.filter((x) => x < 0).length / N;
      t.close(below, 0.25, 0.025, 'share of draws below 0 (a quarter of the range)');
    },
  },
  {
    name: 'float, log scale: every decade equally often',
    run: (s, r, t) => {
      const d = { kind: 'float', low: 1e-4, high: 1, log: true, step: null };
      const v = draws(s, d);
      inRange(t, v, d, 'log float');
      for (const [lo, hi] of [[1e-4, 1e-3], [1e-3, 1e-2], [1e-2, 1e-1], [1e-1, 1]]) {
        const share = v.filter((x) => x >= lo && x < hi).length / N;
        t.close(share, 0.25, 0.025, `share of draws in [${lo}, ${hi}) (one decade of four)`);
      }
    },
  },
  {
    name: 'float with a step: only grid points, the ends as likely as the middle',
    run: (s, r, t) => {
      const d = { kind: 'float', low: -3, high: -0.5, log: false, step: 0.5 };
      const v = draws(s, d);
      inRange(t, v, d, 'stepped float');
      evenly(t, v, [-3, -2.5, -2, -1.5, -1, -0.5], 'grid points');
    },
  },
  {
    name: 'int: both ends possible, every value equally likely',
    run: (s, r, t) => {
      const d = { kind: 'int', low: 1, high: 6, log: false, step: 1 };
      const v = draws(s, d);
      inRange(t, v, d, 'int');
      evenly(t, v, [1, 2, 3, 4, 5, 6], 'values');
    },
  },
  {
    name: 'int with a step',
    run: (s, r, t) => {
      const d = { kind: 'int', low: 1, high: 9, log: false, step: 2 };
      const v = draws(s, d);
      inRange(t, v, d, 'int step 2');
      evenly(t, v, [1, 3, 5, 7, 9], 'values');
    },
  },
  {
    name: 'int on a log scale: as often below the geometric middle as above',
    run: (s, r, t) => {
      const d = { kind: 'int', low: 16, high: 256, log: true, step: 1 };
      const mine = draws(s, d);
      inRange(t, mine, d, 'log int');
      const ref = draws(r, d, 8);
      const share = (vs) => vs.filter((x) => x <= 64).length / vs.length;
      t.close(share(mine), share(ref), 0.03, 'share of draws at most 64 (the reference draws about half there)');
    },
  },
  {
    name: 'a range of one value always gives that value',
    run: (s, r, t) => {
      const rand = random(3);
      t.equal(s({ kind: 'float', low: 0.5, high: 0.5, log: false, step: null }, rand), 0.5, 'float [0.5, 0.5]');
      t.equal(s({ kind: 'int', low: 4, high: 4, log: false, step: 1 }, rand), 4, 'int [4, 4]');
      t.equal(s({ kind: 'categorical', choices: ['only'] }, rand), 'only', 'one choice');
    },
  },
];
