import { FaultPlanError } from './fault-plan-error.js';
import { seededRandom } from './seeded-random.js';

/** The faults a plan can inject. `latency` adds to any outcome; the others replace it. */
export type FaultKind = 'latency' | 'timeout' | 'reset' | 'errorEvent' | 'failure';

/** What to inject and how often. Rates are probabilities in [0, 1]; the outcome faults together at most 1. */
export interface FaultPlanOptions {
  /** The seed of the pseudo-random draws; the same seed replays the same faults. Printed in {@link FaultPlan.describe}. */
  seed: number;
  /** Extra delay before the call goes on, uniformly between `minMs` and `maxMs`. */
  latency?: { rate: number; minMs: number; maxMs: number };
  /** No answer: the call waits until the caller's time is up (or `hangMs`, 30 s by default). */
  timeout?: { rate: number; hangMs?: number };
  /** The connection is reset: sockets destroyed, transports throw `ECONNRESET`. */
  reset?: { rate: number };
  /** An error event answers instead of the handler: `<name>:<errorType>` (default `error`) with `code`. */
  errorEvent?: { rate: number; errorType?: string; code?: string };
  /** The call fails outright: HTTP 503 for listeners and transports, a rejected publish for sinks. */
  failure?: { rate: number };
}

/** One draw: which outcome fault, if any, and how much latency first. */
export interface FaultDecision {
  readonly fault: Exclude<FaultKind, 'latency'> | undefined;
  readonly latencyMs: number;
}

const outcomeKinds = ['timeout', 'reset', 'errorEvent', 'failure'] as const;

/**
 * A seeded plan of faults: each call draws whether to delay it and whether to replace its outcome
 * with a timeout, a reset, an error event or a failure. Counts what it injected.
 *
 * @example
 * const plan = new FaultPlan({ seed: 7, latency: { rate: 0.3, minMs: 5, maxMs: 50 }, reset: { rate: 0.1 } });
 * http.createServer(faultyListener(toNodeListener(processor), plan));
 * @throws {FaultPlanError} when a rate is outside [0, 1], the outcome rates sum above 1, or a latency range is inverted.
 */
export class FaultPlan {
  readonly options: Readonly<FaultPlanOptions>;
  readonly #random: () => number;
  readonly #counts: Record<FaultKind | 'none', number> = {
    latency: 0,
    timeout: 0,
    reset: 0,
    errorEvent: 0,
    failure: 0,
    none: 0,
  };

  constructor(options: FaultPlanOptions) {
    const rates = outcomeKinds.map((kind) => options[kind]?.rate ?? 0);
    const all = [...rates, options.latency?.rate ?? 0];
    if (!Number.isFinite(options.seed)) throw new FaultPlanError('seed must be a finite number');
    if (all.some((rate) => !(rate >= 0 && rate <= 1))) throw new FaultPlanError('every rate must be between 0 and 1');
    if (rates.reduce((sum, rate) => sum + rate, 0) > 1 + 1e-9) {
      throw new FaultPlanError('timeout, reset, errorEvent and failure rates must sum to at most 1');
    }
    if (
      options.latency !== undefined &&
      !(options.latency.minMs >= 0 && options.latency.maxMs >= options.latency.minMs)
    ) {
      throw new FaultPlanError('latency needs 0 <= minMs <= maxMs');
    }
    this.options = Object.freeze({ ...options });
    this.#random = seededRandom(options.seed);
  }

  /** Draws the faults of the next call. */
  next(): FaultDecision {
    const { latency } = this.options;
    let latencyMs = 0;
    if (latency !== undefined && this.#random() < latency.rate) {
      latencyMs = latency.minMs + Math.floor(this.#random() * (latency.maxMs - latency.minMs + 1));
      this.#counts.latency++;
    }
    let roll = this.#random();
    for (const kind of outcomeKinds) {
      const rate = this.options[kind]?.rate ?? 0;
      if (roll < rate) {
        this.#counts[kind]++;
        return { fault: kind, latencyMs };
      }
      roll -= rate;
    }
    this.#counts.none++;
    return { fault: undefined, latencyMs };
  }

  /** How many of each fault were injected so far (`none`: calls left alone). */
  get injected(): Readonly<Record<FaultKind | 'none', number>> {
    return { ...this.#counts };
  }

  /** How long a `timeout` fault holds a call that has no deadline of its own. */
  get hangMs(): number {
    return this.options.timeout?.hangMs ?? 30_000;
  }

  /** A line to print with test output, so a failing run can be replayed with its seed. */
  describe(): string {
    return `fault plan seed ${this.options.seed}: ${JSON.stringify(this.injected)}`;
  }
}

/** Waits `ms` (no timer when 0). */
export function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
