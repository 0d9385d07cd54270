// The flush rule of a dynamic batcher, as Triton's dynamic batcher and BentoML's adaptive batching apply it: requests
// wait in a queue; a batch leaves as soon as `maxBatchSize` requests are waiting, or when the oldest has waited
// `maxQueueDelayMs`, whichever comes first, and then it takes everything waiting (at most maxBatchSize). Plain
// JavaScript on purpose: the serving lab shows this file as the reference of its coding exercise and runs the
// student's own rule in its place.

/**
 * When the next batch leaves and how large it is, if nothing else arrives meanwhile.
 * @param {number} queued requests waiting
 * @param {number} oldestArrivalMs when the oldest waiting request arrived
 * @param {number} nowMs the time now
 * @param {{ maxBatchSize: number, maxQueueDelayMs: number }} options
 * @returns {{ size: number, atMs: number } | null} null when nothing waits
 */
export function nextFlush(queued, oldestArrivalMs, nowMs, { maxBatchSize, maxQueueDelayMs }) {
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new RangeError('maxBatchSize must be a whole number ≥ 1');
  if (!(maxQueueDelayMs >= 0)) throw new RangeError('maxQueueDelayMs must be ≥ 0');
  if (queued <= 0) return null;
  if (queued >= maxBatchSize) return { size: maxBatchSize, atMs: nowMs };
  return { size: queued, atMs: Math.max(nowMs, oldestArrivalMs + maxQueueDelayMs) };
}
