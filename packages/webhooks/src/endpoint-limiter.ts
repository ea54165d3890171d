import { PublishError, PublishErrorCode } from '@events-protocol/publish';
import { webhookSinkName } from './attempt-outcome.js';
import { EndpointGate, type EndpointLimits, type HoldReason } from './endpoint-gate.js';

/** The longest an attempt waits in-process for its endpoint by default, in ms, before it is put back. */
export const defaultLimitWaitMs = 250;

/** An admitted attempt's hold on its endpoint; release it exactly once, when the attempt ends. */
export interface EndpointPermit {
  /** Ends the attempt: how long it took, and the `Retry-After` wait its answer asked for (429/503). */
  release(outcome?: { readonly durationMs?: number | undefined; readonly retryAfterMs?: number | undefined }): void;
}

/** What an {@link EndpointLimiter} needs. */
export interface EndpointLimiterOptions {
  /** How long an attempt may wait in this process before it is put back instead. */
  maxWaitMs: number;
  /** The clock, in ms since the epoch. */
  now: () => number;
}

// Past this many endpoints, idle gates are dropped as new ones are made.
const sweepAbove = 1000;

const holdText: Readonly<Record<HoldReason, string>> = {
  paused: 'paused by its Retry-After',
  concurrency: 'at its concurrency limit',
  rate: 'at its rate limit',
  ordered: 'ordered, with an earlier delivery in flight',
  aborted: 'waited for, and the attempt was aborted',
};

/**
 * Applies each endpoint's (subscription's) limits around its attempts, in this process: at most
 * `rateLimitPerSecond` attempts a second and `maxConcurrency` at once, one at a time when
 * `ordered`, and none while a `Retry-After` it answered lasts. An attempt that would wait up to
 * `maxWaitMs` waits; one that would wait longer is put back: `acquire` rejects with a
 * `PublishError` `DEFERRED` whose `retryAfterMs` says when to come back, and the relay makes the
 * entry due again then without spending an attempt. So a slow or limited endpoint holds at most
 * `maxWaitMs` of the worker's slots, and other endpoints are not starved.
 *
 * Limits hold per process: N dispatchers may together send N times an endpoint's rate.
 */
export class EndpointLimiter {
  readonly #gates = new Map<string, EndpointGate>();
  readonly #maxWaitMs: number;
  readonly #now: () => number;

  constructor(options: EndpointLimiterOptions) {
    this.#maxWaitMs = options.maxWaitMs;
    this.#now = options.now;
  }

  /**
   * Waits until the endpoint of `subscriptionId` may take one more attempt, for at most
   * `maxWaitMs`, and holds a slot of it.
   *
   * @throws {PublishError} `DEFERRED`, with `retryAfterMs`, when it would wait longer (or `signal` aborted).
   */
  async acquire(subscriptionId: string, limits: EndpointLimits, signal?: AbortSignal): Promise<EndpointPermit> {
    const gate = this.#gateOf(subscriptionId);
    const deadline = this.#now() + this.#maxWaitMs;
    for (;;) {
      const decision = gate.admit(limits, this.#now(), deadline, this.#maxWaitMs);
      if (decision.kind === 'admitted') return this.#permit(gate);
      if (decision.kind === 'defer') throw deferral(subscriptionId, decision.reason, decision.ms);
      if (signal?.aborted === true) throw deferral(subscriptionId, 'aborted', this.#maxWaitMs);
      await gate.wait(decision.ms, signal);
    }
  }

  #permit(gate: EndpointGate): EndpointPermit {
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        gate.release(this.#now(), outcome?.durationMs, outcome?.retryAfterMs);
      },
    };
  }

  #gateOf(subscriptionId: string): EndpointGate {
    let gate = this.#gates.get(subscriptionId);
    if (gate !== undefined) return gate;
    if (this.#gates.size >= sweepAbove) {
      const now = this.#now();
      for (const [id, held] of this.#gates) if (held.idle(now)) this.#gates.delete(id);
    }
    gate = new EndpointGate();
    this.#gates.set(subscriptionId, gate);
    return gate;
  }
}

function deferral(subscriptionId: string, reason: HoldReason, waitMs: number): PublishError {
  const ms = Math.max(1, Math.ceil(waitMs));
  return new PublishError(
    PublishErrorCode.Deferred,
    `not attempted: the endpoint of subscription '${subscriptionId}' is ${holdText[reason]}; due again in ${ms} ms`,
    { sink: webhookSinkName, retryAfterMs: ms },
  );
}
