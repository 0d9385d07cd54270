// Wrong: draws log ranges on a linear scale, so nearly every draw lands in the top decade.
export function sampleRandom(d, rand) {
  if (d.kind === 'categorical') return d.choices[Math.floor(rand() * d.choices.length)];
  const step = d.kind === 'int' ? d.step : d.step;
  const x = d.low - (step ?? 0) / 2 + rand() * (d.high - d.low + (step ?? 0));
  if (step === null) return Math.min(d.high, Math.max(d.low, x));
  return Math.min(d.high, Math.max(d.low, Math.round((x - d.low) / step) * step + d.low));
}
