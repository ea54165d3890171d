/** The limits of one endpoint (a subscription), read from it at every attempt. */
export interface EndpointLimits {
  readonly rateLimitPerSecond?: number | undefined;
  readonly maxConcurrency?: number | undefined;
  readonly ordered?: boolean | undefined;
}

/** Why an attempt may not start now (`aborted`: its signal ended the wait). */
export type HoldReason = 'paused' | 'concurrency' | 'rate' | 'ordered' | 'aborted';

/**
 * What the gate says to an attempt: start now; wait in this process (at most `ms`, woken early
 * when an attempt ends); or be put back for `ms` without being made.
 */
export type GateDecision =
  | { readonly kind: 'admitted' }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'defer'; readonly ms: number; readonly reason: HoldReason };

// A target cannot pause its endpoint for longer than the relay honours a Retry-After.
const maxPauseMs = 24 * 60 * 60 * 1000;
// How much each new attempt's duration moves the running average.
const averageWeight = 0.2;

/**
 * One endpoint's state in one process: a token bucket of one token for `rateLimitPerSecond`
 * (attempts start at least 1/rate apart), a counter for `maxConcurrency`, one attempt at a time
 * when `ordered`, and the pause a `Retry-After` asked for. Attempts put back are given staggered
 * waits (the next free rate slot, or the average attempt time per free concurrency slot), so
 * they come back one after another rather than all at once.
 */
export class EndpointGate {
  #inFlight = 0;
  #orderedBusy = false;
  #pausedUntil = 0;
  // The earliest start of the next attempt under the rate limit (GCRA's theoretical arrival time).
  #nextSlotAt = 0;
  // Where the last attempt put back is due: the next one put back is due after it.
  #rateHorizon = 0;
  #concurrencyHorizon = 0;
  #averageMs: number | undefined;
  readonly #waiters = new Set<() => void>();

  /** Whether nothing holds or waits here: the gate may be dropped and made afresh. */
  idle(now: number): boolean {
    return (
      this.#inFlight === 0 &&
      this.#waiters.size === 0 &&
      this.#pausedUntil <= now &&
      this.#nextSlotAt <= now &&
      this.#rateHorizon <= now &&
      this.#concurrencyHorizon <= now
    );
  }

  /**
   * Decides for one attempt at `now` that may wait in-process until `deadline`; an admitted
   * attempt holds its slot until {@link release}.
   */
  admit(limits: EndpointLimits, now: number, deadline: number, boundMs: number): GateDecision {
    if (limits.ordered === true && this.#orderedBusy) {
      return { kind: 'defer', ms: Math.max(boundMs, this.#averageMs ?? 0), reason: 'ordered' };
    }
    if (this.#pausedUntil > now) {
      if (this.#pausedUntil > deadline) return { kind: 'defer', ms: this.#pausedUntil - now, reason: 'paused' };
      return { kind: 'wait', ms: this.#pausedUntil - now };
    }
    const maxConcurrency = limits.maxConcurrency;
    if (maxConcurrency !== undefined && this.#inFlight >= maxConcurrency) {
      if (now >= deadline)
        return { kind: 'defer', ms: this.#concurrencyWait(now, maxConcurrency, boundMs), reason: 'concurrency' };
      return { kind: 'wait', ms: deadline - now };
    }
    const rate = limits.rateLimitPerSecond;
    if (rate !== undefined) {
      const interval = 1000 / rate;
      const slot = Math.max(now, this.#nextSlotAt);
      if (slot > deadline) return { kind: 'defer', ms: this.#rateWait(now, slot, interval), reason: 'rate' };
      if (slot > now) return { kind: 'wait', ms: slot - now };
      this.#nextSlotAt = slot + interval;
    }
    this.#inFlight++;
    if (limits.ordered === true) this.#orderedBusy = true;
    return { kind: 'admitted' };
  }

  /**
   * Ends an admitted attempt: frees its slot, learns how long it took, pauses the endpoint for the
   * `Retry-After` it was answered (a 429 or 503), and wakes the attempts waiting here.
   */
  release(now: number, durationMs: number | undefined, retryAfterMs: number | undefined): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#orderedBusy = false;
    if (durationMs !== undefined && Number.isFinite(durationMs)) {
      this.#averageMs =
        this.#averageMs === undefined ? durationMs : this.#averageMs + averageWeight * (durationMs - this.#averageMs);
    }
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.min(retryAfterMs, maxPauseMs));
    }
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Waits `ms`, or until an attempt here ends, or `signal` aborts; never rejects. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted === true) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, Math.ceil(ms)));
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  #rateWait(now: number, slot: number, interval: number): number {
    this.#rateHorizon = Math.max(this.#rateHorizon, slot);
    const wait = this.#rateHorizon - now;
    this.#rateHorizon += interval;
    return wait;
  }

  #concurrencyWait(now: number, maxConcurrency: number, boundMs: number): number {
    const attemptMs = Math.max(boundMs, this.#averageMs ?? 0);
    this.#concurrencyHorizon = Math.max(this.#concurrencyHorizon, now + attemptMs);
    const wait = this.#concurrencyHorizon - now;
    this.#concurrencyHorizon += attemptMs / maxConcurrency;
    return wait;
  }
}
