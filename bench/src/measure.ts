/** Small statistics helpers for benchmark rounds. */

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The q-quantile (0..1) of recorded latencies. */
export function quantile(values: Float64Array, count: number, q: number): number {
  const sorted = values.slice(0, count).sort();
  return sorted[Math.min(count - 1, Math.floor(q * count))] ?? 0;
}

/** What one scenario measured, as medians over its rounds. */
export interface ScenarioResult {
  key: string;
  label: string;
  group: 'server' | 'client' | 'in-process' | 'delivery';
  /** requests (or events) per second */
  throughput: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Delivery: from an enqueue's commit to the first attempt, the median. */
  commitP50Ms?: number;
  peakRssMb?: number;
  errors: number;
  rounds: number[];
}
