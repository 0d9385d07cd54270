/**
 * A drawn digit made into what the MNIST models were trained on: the stroke's bounding box scaled to fit 20 × 20
 * pixels, placed in a 28 × 28 image so that its centre of mass is the centre (LeCun et al.'s preparation of MNIST),
 * values from 0 (background) to 1 (ink). Framework-free: the preview page calls it on a canvas's pixels.
 */

export const SIDE = 28;
const BOX = 20;

/**
 * `ink` is the drawing's intensity per pixel (0 to 1), row by row, `width` × `height`. Returns 784 values, or null
 * when nothing is drawn. Resampling is by area: each output pixel averages the input it covers.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  let top = height;
  let left = width;
  let bottom = -1;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= 0) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  if (bottom < 0) return null;
  const boxW = right - left + 1;
  const boxH = bottom - top + 1;
  const scale = BOX / Math.max(boxW, boxH);
  // The box scaled into a 28 × 28 image, centred by its box first.
  const scaled = new Float64Array(SIDE * SIDE);
  const offX = (SIDE - boxW * scale) / 2;
  const offY = (SIDE - boxH * scale) / 2;
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const v = ink[y * width + x]!;
      if (v <= 0) continue;
      // The input pixel covers [x0, x1) × [y0, y1) of the output; spread its ink over the output pixels it overlaps.
      const x0 = offX + (x - left) * scale;
      const y0 = offY + (y - top) * scale;
      const x1 = x0 + scale;
      const y1 = y0 + scale;
      for (let oy = Math.floor(y0); oy < Math.ceil(y1); oy++) {
        for (let ox = Math.floor(x0); ox < Math.ceil(x1); ox++) {
          const overlap = (Math.min(x1, ox + 1) - Math.max(x0, ox)) * (Math.min(y1, oy + 1) - Math.max(y0, oy));
          if (overlap > 0 && ox >= 0 && oy >= 0 && ox < SIDE && oy < SIDE) scaled[oy * SIDE + ox]! += v * overlap;
        }
      }
    }
  }
  // Then moved so that the centre of mass sits at the image's centre.
  let mass = 0;
  let mx = 0;
  let my = 0;
  scaled.forEach((v, i) => {
    mass += v;
    mx += v * (i % SIDE);
    my += v * Math.floor(i / SIDE);
  });
  const dx = Math.round(SIDE / 2 - 0.5 - mx / mass);
  const dy = Math.round(SIDE / 2 - 0.5 - my / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < SIDE && sy < SIDE) out[y * SIDE + x] = Math.min(1, scaled[sy * SIDE + sx]!);
    }
  }
  return out;
}

/** The most probable class and the probabilities, from a V2 infer answer for one image. */
export function topClass(answer: unknown): { digit: number; probabilities: number[] } {
  const output = (answer as { outputs?: { data?: unknown }[] } | null)?.outputs?.[0];
  const data = output?.data;
  if (!Array.isArray(data) || data.length < 10 || !data.every((p) => typeof p === 'number')) throw new Error('the answer has no outputs[0].data with ten probabilities');
  const probabilities = (data as number[]).slice(0, 10);
  return { digit: probabilities.indexOf(Math.max(...probabilities)), probabilities };
}
