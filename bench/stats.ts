/** Latency summaries for the benchmarks: nearest-rank percentiles over milliseconds. */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index] as number;
}

/** Summarizes the first `count` samples (the rest of the buffer is unused space). */
export function summarize(samples: Float64Array, count = samples.length): LatencySummary {
  const sorted = samples.slice(0, count).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: count === 0 ? Number.NaN : sum / count,
    max: count === 0 ? Number.NaN : (sorted[count - 1] as number),
  };
}

/** The median of a few numbers (e.g. startup times). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
