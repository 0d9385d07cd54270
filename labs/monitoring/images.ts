/**
 * What the monitored service sees of each request: a 28×28 digit, possibly corrupted the way a changing world
 * corrupts inputs (MNIST-C-style: contrast, brightness, rotation, noise, a unit ×1000 from a broken client), and the
 * input features a monitor watches. Pure functions on Float32Array pixels in [0, 1], cheap (well under 1 ms per image).
 */
import { mulberry32 } from '../../src/labkit/ml/random.ts';

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

export type CorruptionKind = 'none' | 'contrast' | 'brightness' | 'rotation' | 'noise' | 'scale';
export interface Corruption {
  kind: CorruptionKind;
  /** contrast: factor around the image mean (1 = none); brightness: added offset; rotation: degrees; noise: σ; scale: factor. */
  level: number;
}

export const NONE: Corruption = { kind: 'none', level: 0 };

/** A stable key per corruption (the worker caches features and predictions by it). */
export const corruptionKey = (c: Corruption) => (c.kind === 'none' ? 'none' : `${c.kind}:${c.level}`);

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Pixels of one image (uint8) as floats in [0, 1], corrupted. `seed` makes noise reproducible per image. */
export function corrupt(image: ArrayLike<number>, c: Corruption, seed = 0, out = new Float32Array(PIXELS)): Float32Array {
  for (let i = 0; i < PIXELS; i++) out[i] = image[i]! / 255;
  switch (c.kind) {
    case 'none':
      return out;
    case 'contrast': {
      let mean = 0;
      for (let i = 0; i < PIXELS; i++) mean += out[i]!;
      mean /= PIXELS;
      for (let i = 0; i < PIXELS; i++) out[i] = clamp01((out[i]! - mean) * c.level + mean);
      return out;
    }
    case 'brightness':
      for (let i = 0; i < PIXELS; i++) out[i] = clamp01(out[i]! + c.level);
      return out;
    case 'noise': {
      const r = mulberry32(seed);
      for (let i = 0; i < PIXELS; i += 2) {
        // Box–Muller: two standard normal values per pair of uniforms.
        const u = 1 - r();
        const v = r();
        const rad = Math.sqrt(-2 * Math.log(u));
        out[i] = clamp01(out[i]! + c.level * rad * Math.cos(2 * Math.PI * v));
        if (i + 1 < PIXELS) out[i + 1] = clamp01(out[i + 1]! + c.level * rad * Math.sin(2 * Math.PI * v));
      }
      return out;
    }
    case 'rotation':
      return rotate(out, c.level);
    case 'scale':
      for (let i = 0; i < PIXELS; i++) out[i] = out[i]! * c.level;
      return out;
  }
}

/** Rotates about the image centre by `degrees` (counter-clockwise), bilinear, zero outside. In place. */
function rotate(px: Float32Array, degrees: number): Float32Array {
  const src = px.slice();
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const c = (SIDE - 1) / 2;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      // The source point that lands on (x, y).
      const sx = cos * (x - c) + sin * (y - c) + c;
      const sy = -sin * (x - c) + cos * (y - c) + c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const at = (xx: number, yy: number) => (xx >= 0 && yy >= 0 && xx < SIDE && yy < SIDE ? src[yy * SIDE + xx]! : 0);
      px[y * SIDE + x] = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  return px;
}

/** The input features the monitor watches, in this order. */
export const FEATURES = ['brightness', 'contrast', 'ink', 'centre_x', 'centre_y', 'slant'] as const;
export type Feature = (typeof FEATURES)[number];
export const FEATURE_HELP: Record<Feature, string> = {
  brightness: 'mean pixel value',
  contrast: 'standard deviation of the pixel values',
  ink: 'share of pixels above 0.5',
  centre_x: 'horizontal centre of mass (pixels)',
  centre_y: 'vertical centre of mass (pixels)',
  slant: 'horizontal shift of the ink per pixel of height (second moments)',
};

/** Writes the features of one image into `out` at `offset`. */
export function features(px: ArrayLike<number>, out: Float32Array | Float64Array, offset = 0): void {
  let sum = 0;
  let sq = 0;
  let ink = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = px[y * SIDE + x]!;
      sum += v;
      sq += v * v;
      if (v > 0.5) ink++;
      mx += v * x;
      my += v * y;
    }
  }
  const mean = sum / PIXELS;
  const cx = sum > 0 ? mx / sum : (SIDE - 1) / 2;
  const cy = sum > 0 ? my / sum : (SIDE - 1) / 2;
  let sxy = 0;
  let syy = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = px[y * SIDE + x]!;
      sxy += v * (x - cx) * (y - cy);
      syy += v * (y - cy) * (y - cy);
    }
  }
  out[offset] = mean;
  out[offset + 1] = Math.sqrt(Math.max(0, sq / PIXELS - mean * mean));
  out[offset + 2] = ink / PIXELS;
  out[offset + 3] = cx;
  out[offset + 4] = cy;
  out[offset + 5] = syy > 0 ? sxy / syy : 0;
}
