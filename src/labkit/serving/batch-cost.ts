/**
 * What one batch of each size costs on a real model: the median of `reps` timed runs per size, the sizes interleaved
 * round by round (so a backend that warms up, or a machine that slows down, affects every size alike) after warm-up
 * rounds. The batching experiments replay these costs in virtual time; throughput at saturation is size / cost.
 */
export interface BatchCost {
  size: number;
  /** Median milliseconds per batch. */
  ms: number;
  /** Requests per second when batches of this size run back to back. */
  throughput: number;
}

export async function measureBatchCosts(predict: (size: number) => Promise<void>, sizes: readonly number[], reps: number, signal?: AbortSignal, warmup = 10): Promise<BatchCost[]> {
  const times = sizes.map(() => [] as number[]);
  for (let round = 0; round < warmup + reps; round++) {
    if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    for (const [i, size] of sizes.entries()) {
      const t0 = performance.now();
      await predict(size);
      if (round >= warmup) times[i]!.push(performance.now() - t0);
    }
  }
  return sizes.map((size, i) => {
    const sorted = times[i]!.sort((a, b) => a - b);
    const ms = Math.max(sorted[sorted.length >> 1]!, 1e-3);
    return { size, ms, throughput: (size / ms) * 1000 };
  });
}
