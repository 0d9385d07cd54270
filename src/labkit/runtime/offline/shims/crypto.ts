/**
 * node:crypto's hashing (createHash, createHmac, hash) over @noble/hashes, an audited, synchronous implementation,
 * with the names and encodings Node accepts; random values and randomUUID from the browser's Web Crypto.
 * Ciphers, signatures and key generation are not here: they fail with a message that names them.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5, ripemd160, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';
import { Buffer } from './buffer.ts';

interface Hasher {
  update(data: Uint8Array): Hasher;
  digest(): Uint8Array;
}
type HashFunction = { create(): Hasher; outputLen: number; blockLen: number };

const HASHES: Record<string, HashFunction> = {
  md5,
  sha1,
  ripemd160,
  rmd160: ripemd160,
  sha224,
  sha256,
  sha384,
  sha512,
  'sha512-224': sha512_224,
  'sha512-256': sha512_256,
  'sha3-224': sha3_224,
  'sha3-256': sha3_256,
  'sha3-384': sha3_384,
  'sha3-512': sha3_512,
};

function hashFunction(algorithm: string): HashFunction {
  const found = HASHES[String(algorithm).toLowerCase().replace(/^rsa-/, '')];
  if (!found) throw new Error('Digest method not supported');
  return found;
}

const bytesOf = (data: unknown, encoding?: string): Uint8Array => {
  if (typeof data === 'string') return Buffer.from(data, (encoding ?? 'utf8') as BufferEncoding);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const error = new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.`) as TypeError & { code: string };
  error.code = 'ERR_INVALID_ARG_TYPE';
  throw error;
};

/** A Hash or Hmac object: update() as often as needed, then digest() once. */
class Digest {
  private state: Hasher;
  private done = false;
  constructor(state: Hasher) {
    this.state = state;
  }
  update(data: unknown, encoding?: string): this {
    if (this.done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    this.state.update(bytesOf(data, encoding));
    return this;
  }
  digest(encoding?: string): Buffer | string {
    if (this.done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    this.done = true;
    const out = Buffer.from(this.state.digest());
    return encoding && encoding !== 'buffer' ? out.toString(encoding as BufferEncoding) : out;
  }
}

const unsupported = (name: string) => () => {
  throw new Error(`crypto.${name}() is not available in the offline runtime (it provides hashes, HMAC and random values).`);
};

export function cryptoModule(): Record<string, unknown> {
  const webCrypto = globalThis.crypto;
  return {
    createHash: (algorithm: string) => new Digest(hashFunction(algorithm).create()),
    createHmac: (algorithm: string, key: unknown) => new Digest(hmac.create(hashFunction(algorithm) as never, bytesOf(key)) as unknown as Hasher),
    hash: (algorithm: string, data: unknown, encoding = 'hex') => new Digest(hashFunction(algorithm).create()).update(data).digest(encoding),
    getHashes: () => Object.keys(HASHES),
    randomUUID: () => webCrypto.randomUUID(),
    randomBytes: (n: number) => Buffer.from(webCrypto.getRandomValues(new Uint8Array(n))),
    randomInt: (a: number, b?: number) => {
      const [lo, hi] = b === undefined ? [0, a] : [a, b];
      return lo + Math.floor((webCrypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32) * (hi - lo));
    },
    getRandomValues: (array: Uint8Array<ArrayBuffer>) => webCrypto.getRandomValues(array),
    webcrypto: webCrypto,
    subtle: webCrypto.subtle,
    timingSafeEqual: (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((x, i) => x === b[i]),
    ...Object.fromEntries(
      ['createCipheriv', 'createDecipheriv', 'createSign', 'createVerify', 'generateKeyPair', 'generateKeyPairSync', 'pbkdf2Sync', 'scryptSync'].map((n) => [n, unsupported(n)]),
    ),
  };
}
