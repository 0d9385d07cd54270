// Wrong: floors a draw over [low, high), so the highest value never comes up.
export function sampleRandom(d, rand) {
  if (d.kind === 'categorical') return d.choices[Math.floor(rand() * d.choices.length)];
  if (d.log) {
    const x = Math.exp(Math.log(d.low) + rand() * (Math.log(d.high) - Math.log(d.low)));
    return d.kind === 'int' ? Math.floor(x) : x;
  }
  if (d.step === null) return d.low + rand() * (d.high - d.low);
  const k = Math.floor((rand() * (d.high - d.low)) / d.step);
  return d.low + k * d.step;
}
