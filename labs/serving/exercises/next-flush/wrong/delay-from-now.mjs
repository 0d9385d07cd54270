// A typical mistake: the delay counts from now instead of from the oldest request's arrival, so a steady trickle of
// requests keeps pushing the deadline back and the first request can wait far longer than maxQueueDelayMs.
export function nextFlush(queued, oldestArrivalMs, nowMs, { maxBatchSize, maxQueueDelayMs }) {
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new RangeError('maxBatchSize must be a whole number ≥ 1');
  if (!(maxQueueDelayMs >= 0)) throw new RangeError('maxQueueDelayMs must be ≥ 0');
  if (queued <= 0) return null;
  if (queued >= maxBatchSize) return { size: maxBatchSize, atMs: nowMs };
  return { size: queued, atMs: nowMs + maxQueueDelayMs };
}
