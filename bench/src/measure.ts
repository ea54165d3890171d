/** Small statistics helpers for benchmark rounds, and the shapes of what a run measured. */
import type { MemoryResult } from './memory-bench.js';
import type { TypeCheckCost } from './type-check-cost.js';

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
  group: 'server' | 'client' | 'in-process' | 'delivery' | 'streams' | 'console';
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

/** What a group run in a process of its own (the streams group) hands back: its rows and its caption's facts. */
export interface GroupRun {
  readonly results: ScenarioResult[];
  /** The servers and settings the rows were measured with, for the table's caption. */
  readonly setup: string;
}

/** A group that failed in a run: the others still ran, and its section says so. */
export interface GroupFailure {
  readonly group: string;
  readonly message: string;
}

/** Everything one run of the groups measured on one Node.js version: what its section of RESULTS.md shows. */
export interface VersionRun {
  /** `process.version` of the run, e.g. `v22.23.5`. */
  readonly nodeVersion: string;
  /** Cores and CPU model, e.g. `2 × AMD EPYC`. */
  readonly machine: string;
  /** When the run started and ended (ISO 8601). */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The rounds, warm-up and pinning the figures come from, in words. */
  readonly settings: string;
  readonly results: ScenarioResult[];
  readonly memory: MemoryResult[];
  /** The type-check cost, when measured in this run or handed over from the run that measured it. */
  readonly typeCheck?: readonly TypeCheckCost[] | undefined;
  /** The `process.version` the type-check cost was measured on, when another run measured it. */
  readonly typeCheckMeasuredOn?: string | undefined;
  /** The streams group's servers and durability settings, for its table's caption. */
  readonly streamsSetup?: string | undefined;
  readonly failures: GroupFailure[];
}
