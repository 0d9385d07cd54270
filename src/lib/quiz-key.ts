/**
 * The answer key of a knowledge-check question: which options are correct and why each option is right or wrong.
 * It is written into the page obfuscated, not in plain text, so that neither the HTML nor the page's text gives the
 * answers away before the student checks. This is not secrecy: the key and the code that reads it are both in the
 * page, and anyone who runs that code can read every answer. It only stops the answers being readable at a glance
 * (view source, reader mode, a search engine's snippet).
 */
import { mulberry32 } from '../labkit/ml/random';
import { hash32 } from './quiz-order';

export interface AnswerKey {
  /** Authored indices of the correct options. */
  correct: number[];
  /** Per authored option, the explanation as HTML. */
  why: string[];
}

/** A keystream from a seed, XORed over the bytes: the same call encodes and decodes. */
function mask(bytes: Uint8Array, salt: string): Uint8Array {
  const random = mulberry32(hash32(salt));
  return bytes.map((byte) => byte ^ Math.floor(random() * 256));
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** `salt` names the question (for example "intro:3"), so equal keys of two questions look different. */
export function encodeAnswerKey(key: AnswerKey, salt: string): string {
  return toBase64(mask(new TextEncoder().encode(JSON.stringify(key)), salt));
}

export function decodeAnswerKey(text: string, salt: string): AnswerKey {
  const key = JSON.parse(new TextDecoder().decode(mask(fromBase64(text), salt))) as AnswerKey;
  if (!Array.isArray(key.correct) || !Array.isArray(key.why)) throw new Error('the answer key of this question is damaged');
  return key;
}
