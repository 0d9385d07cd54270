/**
 * One random value of a parameter. `rand()` returns uniform numbers in [0, 1).
 *   { kind: 'float', low, high, log, step }   step is null for a continuous range
 *   { kind: 'int', low, high, log, step }
 *   { kind: 'categorical', choices }
 */
export function sampleRandom(distribution, rand) {
  const d = distribution;
  if (d.kind === 'categorical') {
    // TODO: each choice with the same probability
    return d.choices[0];
  }
  // TODO: log ranges uniformly in log space; stepped ranges on their grid, ends included
  return d.low + rand() * (d.high - d.low);
}
