// nextFlush(queued, oldestArrivalMs, nowMs, { maxBatchSize, maxQueueDelayMs }): when does the next batch leave?

export function nextFlush(queued, oldestArrivalMs, nowMs, { maxBatchSize, maxQueueDelayMs }) {
  // 1. check the options (maxBatchSize a whole number >= 1, maxQueueDelayMs >= 0): throw a RangeError
  // 2. nothing waiting: null
  // 3. a full batch waiting: { size: maxBatchSize, atMs: nowMs }
  // 4. otherwise everything waiting leaves once the oldest has waited maxQueueDelayMs
  return { size: queued, atMs: nowMs };
}
