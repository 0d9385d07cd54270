// quantizeAffine(values, dtype): quantize one weight tensor to uint8 or uint16 like tensorflowjs_converter.
//   values: an array (or Float32Array) of numbers
//   dtype:  'uint8' (levels 0..255) or 'uint16' (levels 0..65535)
// returns { q, scale, min }: q is a Uint8Array or Uint16Array, and q[i] * scale + min is the level nearest values[i].

/** numpy's round: to the nearest integer, and exactly halfway to the even one. */
function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function quantizeAffine(values, dtype) {
  const qmax = dtype === 'uint8' ? 255 : 65535;
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  // 1. find min and max (throw an Error on NaN or ±Infinity); if they are equal, return q (all zeros), scale 1, min.
  // 2. scale = (max - min) / qmax
  // 3. if min <= 0 <= max: zeroPoint = roundHalfEven((0 - min) / scale); min = -zeroPoint * scale; max = qmax * scale + min
  // 4. q[i] = roundHalfEven((clamp(values[i], min, max) - min) / scale)
  return { q, scale: 1, min: 0 };
}
