// A typical mistake: a full queue leaves as one batch of everything waiting, larger than the model takes.
export function nextFlush(queued, oldestArrivalMs, nowMs, { maxBatchSize, maxQueueDelayMs }) {
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new RangeError('maxBatchSize must be a whole number ≥ 1');
  if (!(maxQueueDelayMs >= 0)) throw new RangeError('maxQueueDelayMs must be ≥ 0');
  if (queued <= 0) return null;
  if (queued >= maxBatchSize) return { size: queued, atMs: nowMs };
  return { size: queued, atMs: Math.max(nowMs, oldestArrivalMs + maxQueueDelayMs) };
}
