/**
 * Random search's sampler: one value of a parameter, drawn as Optuna's RandomSampler draws it. `rand()` returns
 * uniform numbers in [0, 1); `distribution` is one of
 *   { kind: 'float', low, high, log, step }   step is null for a continuous range
 *   { kind: 'int', low, high, log, step }
 *   { kind: 'categorical', choices }
 *
 * - A log range is sampled uniformly in log space, so every decade gets the same share of the draws.
 * - A stepped range (an int, or a float with a step) is sampled uniformly over [low − step/2, high + step/2] and
 *   rounded to the nearest point low + k·step, so the end points are as likely as the inner ones.
 * - A log int is sampled log-uniformly over [low − ½, high + ½] and rounded.
 * - A categorical picks each choice with the same probability.
 */
export function sampleRandom(distribution, rand) {
  const d = distribution;
  if (d.kind === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.floor(rand() * d.choices.length))];
  const between = (low, high) => low + rand() * (high - low);
  const clip = (x) => Math.min(d.high, Math.max(d.low, x));
  if (d.log) {
    if (d.kind === 'int') return clip(Math.round(Math.exp(between(Math.log(d.low - 0.5), Math.log(d.high + 0.5)))));
    return clip(Math.exp(between(Math.log(d.low), Math.log(d.high))));
  }
  if (d.step === null) return between(d.low, d.high);
  const k = Math.round((between(d.low - d.step / 2, d.high + d.step / 2) - d.low) / d.step);
  return clip(k * d.step + d.low);
}
