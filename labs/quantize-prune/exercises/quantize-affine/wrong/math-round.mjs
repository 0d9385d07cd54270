// A subtle mistake: Math.round rounds halves up, numpy (and the converter) to even.
export function quantizeAffine(values, dtype) {
  const qmax = dtype === 'uint8' ? 255 : 65535;
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error('not finite');
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === hi) return { q, scale: 1, min: lo };
  const scale = (hi - lo) / qmax;
  let min = lo;
  let max = hi;
  if (lo <= 0 && 0 <= hi) {
    min = -Math.round(-lo / scale) * scale;
    max = qmax * scale + min;
  }
  for (let i = 0; i < values.length; i++) q[i] = Math.round((Math.min(Math.max(values[i], min), max) - min) / scale);
  return { q, scale, min };
}
