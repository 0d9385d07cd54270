// Wrong: rounds instead of flooring the categorical index, so the first and last choices get half a share each.
export function sampleRandom(d, rand) {
  if (d.kind === 'categorical') return d.choices[Math.round(rand() * (d.choices.length - 1))];
  if (d.log) {
    if (d.kind === 'int') return Math.min(d.high, Math.max(d.low, Math.round(Math.exp(Math.log(d.low - 0.5) + rand() * (Math.log(d.high + 0.5) - Math.log(d.low - 0.5))))));
    return Math.exp(Math.log(d.low) + rand() * (Math.log(d.high) - Math.log(d.low)));
  }
  if (d.step === null) return d.low + rand() * (d.high - d.low);
  const x = d.low - d.step / 2 + rand() * (d.high - d.low + d.step);
  return Math.min(d.high, Math.max(d.low, Math.round((x - d.low) / d.step) * d.step + d.low));
}
