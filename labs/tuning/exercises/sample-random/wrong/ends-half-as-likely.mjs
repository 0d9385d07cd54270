// Wrong: rounds a uniform draw over [low, high] to the grid, so the two end points get half the share of the others.
export function sampleRandom(d, rand) {
  if (d.kind === 'categorical') return d.choices[Math.floor(rand() * d.choices.length)];
  if (d.log) {
    const x = Math.exp(Math.log(d.low) + rand() * (Math.log(d.high) - Math.log(d.low)));
    return d.kind === 'int' ? Math.round(x) : x;
  }
  const x = d.low + rand() * (d.high - d.low);
  if (d.step === null) return x;
  return Math.round((x - d.low) / d.step) * d.step + d.low;
}
