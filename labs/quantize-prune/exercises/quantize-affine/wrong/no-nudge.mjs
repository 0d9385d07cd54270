// A typical mistake: the range is not nudged, so 0 does not land on a level.
export function quantizeAffine(values, dtype) {
  const qmax = dtype === 'uint8' ? 255 : 65535;
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error('not finite');
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (min === max) return { q, scale: 1, min };
  const scale = (max - min) / qmax;
  for (let i = 0; i < values.length; i++) q[i] = Math.round((values[i] - min) / scale);
  return { q, scale, min };
}
