import type { EndpointAttemptOutcome } from './endpoint-health.js';

/** A run of deliveries, or one failure, not yet written to an endpoint's health. */
type PendingOutcome = { delivered: true; count: number; at: Date } | { delivered: false; at: Date };

/**
 * The counted outcomes of each endpoint that are reported but not yet written, in attempt order,
 * consecutive deliveries folded into one run: what lets a dispatcher write one health update for
 * many deliveries while keeping every failing streak exact.
 *
 * Each reported outcome is {@link add}ed when it is reported, and its report later {@link take}s
 * what it must write, in the same order: the first delivery of a run writes the whole run (those
 * reported after it included), the others of the run find it written; a failure writes itself.
 */
export class PendingEndpointOutcomes {
  readonly #pending = new Map<string, PendingOutcome[]>();

  /** Notes one counted outcome of the endpoint, in report order. */
  add(endpoint: string, delivered: boolean, at: Date): void {
    const queue = this.#pending.get(endpoint) ?? [];
    const last = queue.at(-1);
    if (delivered && last?.delivered === true) {
      last.count++;
      if (at > last.at) last.at = at;
    } else {
      queue.push(delivered ? { delivered: true, count: 1, at } : { delivered: false, at });
    }
    this.#pending.set(endpoint, queue);
  }

  /**
   * What the report of a `delivered` (or failed) outcome writes now, oldest first: for a delivery,
   * its run unless an earlier report of the run wrote it; for a failure, any run before it, then it.
   */
  take(endpoint: string, delivered: boolean): EndpointAttemptOutcome[] {
    const queue = this.#pending.get(endpoint);
    if (queue === undefined) return [];
    const taken: EndpointAttemptOutcome[] = [];
    while (queue[0]?.delivered === true) {
      const run = queue.shift();
      if (run !== undefined) taken.push(run);
      if (delivered) break;
    }
    if (!delivered && queue[0]?.delivered === false) {
      const failure = queue.shift();
      if (failure !== undefined) taken.push(failure);
    }
    if (queue.length === 0) this.#pending.delete(endpoint);
    return taken;
  }
}
