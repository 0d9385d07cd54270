// Tests for promotable: each case asks your function and the reference the same question.

/** A small seeded generator, so every run checks the same cases. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ask(s, r, t, value, others, eta, direction, what) {
  const expected = r(value, [...others], eta, direction);
  t.equal(s(value, [...others], eta, direction), expected, `${what} (value ${value}, others [${others.join(', ')}], η = ${eta}, ${direction}): ${expected ? 'promote' : 'prune'}`);
}

export default [
  {
    name: 'the best third goes on (η = 3, minimising)',
    run: (s, r, t) => {
      const others = [0.3, 0.25, 0.4, 0.35, 0.5];
      ask(s, r, t, 0.2, others, 3, 'minimize', 'the best of six');
      ask(s, r, t, 0.28, others, 3, 'minimize', 'second of six');
      ask(s, r, t, 0.32, others, 3, 'minimize', 'third of six');
    },
  },
  {
    name: "the trial's own value counts in n",
    run: (s, r, t) => ask(s, r, t, 0.3, [0.1, 0.2, 0.4, 0.5, 0.6], 3, 'minimize', 'n = 6 keeps two, not one'),
  },
  {
    name: 'fewer than η trials: only the best so far goes on',
    run: (s, r, t) => {
      ask(s, r, t, 0.5, [], 3, 'minimize', 'the first trial at a rung');
      ask(s, r, t, 0.4, [0.3], 3, 'minimize', 'worse than the only other');
      ask(s, r, t, 0.2, [0.3], 3, 'minimize', 'better than the only other');
    },
  },
  {
    name: 'a tie goes on',
    run: (s, r, t) => ask(s, r, t, 0.25, [0.25, 0.3, 0.4], 2, 'minimize', 'equal to the threshold'),
  },
  {
    name: 'maximising an accuracy',
    run: (s, r, t) => {
      ask(s, r, t, 0.9, [0.8, 0.85, 0.7, 0.6, 0.95], 3, 'maximize', 'second best of six');
      ask(s, r, t, 0.7, [0.8, 0.85, 0.9], 2, 'maximize', 'worst of four');
    },
  },
  {
    name: 'η = 2 and η = 4',
    run: (s, r, t) => {
      ask(s, r, t, 3, [1, 2, 4, 5, 6, 7, 8], 2, 'minimize', 'third of eight, η = 2');
      ask(s, r, t, 3, [1, 2, 4, 5, 6, 7, 8], 4, 'minimize', 'third of eight, η = 4');
    },
  },
  {
    name: '300 random rungs agree with the reference',
    run: (s, r, t) => {
      const next = random(11);
      for (let i = 0; i < 300; i++) {
        const others = Array.from({ length: Math.floor(next() * 12) }, () => Math.round(next() * 50) / 100);
        const value = Math.round(next() * 50) / 100;
        ask(s, r, t, value, others, 2 + Math.floor(next() * 3), next() < 0.5 ? 'minimize' : 'maximize', `case ${i + 1}`);
      }
    },
  },
];
