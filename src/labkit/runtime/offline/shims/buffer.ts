/**
 * node:buffer, from the `buffer` package (feross/buffer), a faithful port of Node's Buffer for browsers: the same
 * API, `<Buffer 68 69>` when printed (it defines Node's custom inspect symbol), and the same encodings.
 */
import { Buffer, constants, kMaxLength, SlowBuffer } from 'buffer';

export { Buffer };

export function bufferModule(): Record<string, unknown> {
  return {
    Buffer,
    SlowBuffer,
    constants,
    kMaxLength,
    atob: globalThis.atob,
    btoa: globalThis.btoa,
    Blob: globalThis.Blob,
    File: globalThis.File,
    isUtf8: (input: Uint8Array) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(input);
        return true;
      } catch {
        return false;
      }
    },
  };
}
