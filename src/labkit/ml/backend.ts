/**
 * Backend set-up for the ML labkit, in the browser and in Node.
 *
 * The wasm backend has no `Conv2DBackpropFilter` kernel, so it cannot train conv nets out of the box. It does have
 * `Conv3DBackpropFilterV2`, and a 2-D convolution is a 3-D one with depth 1, so `registerWasmConv2DGrad()` adds the
 * missing kernel by viewing NHWC tensors as NDHWC with D = 1. Only plain (NHWC, dilation 1, 'same'/'valid' padding)
 * convolutions are supported, which covers tf.layers.conv2d with its defaults.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

let convGradRegistered = false;

/** Adds a Conv2DBackpropFilter kernel to the wasm backend (idempotent). Call after the wasm backend is registered. */
export function registerWasmConv2DGrad(): void {
  if (convGradRegistered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    convGradRegistered = true;
    return;
  }
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (!conv3d) throw new Error('the wasm backend has no Conv3DBackpropFilterV2 kernel to build Conv2DBackpropFilter from');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: 'valid' | 'same' | number | unknown;
        dataFormat?: string;
        dimRoundingMode?: string;
        filterShape: [number, number, number, number];
      };
      if (a.dataFormat && a.dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter: only NHWC is supported, got ${a.dataFormat}`);
      if (a.pad !== 'valid' && a.pad !== 'same') throw new Error(`wasm Conv2DBackpropFilter: only 'valid' or 'same' padding is supported`);
      const [sh, sw] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      const [n, h, w, c] = x.shape;
      const [, oh, ow, f] = dy.shape;
      const [kh, kw] = a.filterShape;
      if (sh !== 1 || sw !== 1) {
        // The wasm Conv3DBackpropFilterV2 disagrees with the reference for strides > 1: compute it in JS instead.
        const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, [sh, sw], 1, a.pad as 'same');
        const b = backend as unknown as { readSync(id: object): Float32Array };
        const xv = b.readSync(x.dataId);
        const dyv = b.readSync(dy.dataId);
        const dw = new Float32Array(kh * kw * c * f);
        const top = info.padInfo.top;
        const left = info.padInfo.left;
        for (let b = 0; b < n; b++) {
          for (let oy = 0; oy < oh; oy++) {
            for (let ox = 0; ox < ow; ox++) {
              const dyBase = ((b * oh + oy) * ow + ox) * f;
              for (let ky = 0; ky < kh; ky++) {
                const iy = oy * sh - top + ky;
                if (iy < 0 || iy >= h) continue;
                for (let kx = 0; kx < kw; kx++) {
                  const ix = ox * sw - left + kx;
                  if (ix < 0 || ix >= w) continue;
                  const xBase = ((b * h + iy) * w + ix) * c;
                  const wBase = (ky * kw + kx) * c * f;
                  for (let ci = 0; ci < c; ci++) {
                    const xvv = xv[xBase + ci];
                    if (xvv === 0) continue;
                    const o = wBase + ci * f;
                    for (let fi = 0; fi < f; fi++) dw[o + fi] += xvv * dyv[dyBase + fi];
                  }
                }
              }
            }
          }
        }
        return (backend as unknown as { makeOutput(s: number[], d: string, o?: number, v?: Float32Array): tf.TensorInfo }).makeOutput(a.filterShape, 'float32', undefined, dw);
      }
      const x5: tf.TensorInfo = { dataId: x.dataId, shape: [n, 1, h, w, c], dtype: x.dtype };
      const dy5: tf.TensorInfo = { dataId: dy.dataId, shape: [n, 1, oh, ow, f], dtype: dy.dtype };
      const out = conv3d.kernelFunc({
        inputs: { x: x5, dy: dy5 },
        attrs: { strides: [1, sh, sw], pad: a.pad, filterShape: [1, kh, kw, c, f] },
        backend,
      }) as tf.TensorInfo;
      return { dataId: out.dataId, shape: a.filterShape, dtype: out.dtype };
    },
  });
  convGradRegistered = true;
}

/**
 * Selects a backend. For wasm, `wasmPath` is the folder (URL in the browser, file path ending in '/' in Node) that
 * holds the tfjs-backend-wasm .wasm files.
 */
export async function initBackend(name: BackendName, opts: { wasmPath?: string; threads?: boolean } = {}): Promise<string> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (opts.wasmPath) wasm.setWasmPaths(opts.wasmPath);
    if (opts.threads === false) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  } else if (name === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`the ${name} backend could not be initialised here`);
  await tf.ready();
  if (name === 'wasm') registerWasmConv2DGrad();
  return tf.getBackend();
}
