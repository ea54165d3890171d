/** Something with a deadline that an {@link ExchangeClock} ends when the deadline passes. */
export interface TimedExchange {
  /** When its current phase must end, in `performance.now()` ms. */
  readonly deadline: number;
  /** Called once the deadline has passed. */
  expire(): void;
}

// Node's timers can fire up to a millisecond before performance.now() says the delay is over
// (they count from the event loop's cached time): a deadline that close counts as passed.
const clockRoundingMs = 1;

function tick(clock: ExchangeClock): void {
  clock.tick();
}

/**
 * One timer for every exchange of an egress, instead of one (or two) per request: it is set for
 * the earliest deadline it knows of, and when it fires it ends the exchanges whose deadline has
 * passed and sets itself for the next. A request that starts later with the same limits ends
 * later, so the common case costs a set insertion and a deletion per request, and no timer
 * work at all. A deadline that moves later (the next phase) is found when the timer fires; one
 * that moves earlier sets the timer again. With nothing to watch, no timer is left running (so
 * that a process with no request in flight can exit).
 */
export class ExchangeClock {
  readonly #watched = new Set<TimedExchange>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the timer is set for; `Infinity` when it is not set. */
  #armedFor = Infinity;

  /** Starts watching an exchange, at its current deadline. */
  watch(exchange: TimedExchange): void {
    this.#watched.add(exchange);
    if (exchange.deadline < this.#armedFor) this.#arm(exchange.deadline);
  }

  /** The exchange's deadline changed (it entered its next phase). */
  moved(exchange: TimedExchange): void {
    if (exchange.deadline < this.#armedFor) this.#arm(exchange.deadline);
  }

  /** Stops watching an exchange (it settled). */
  unwatch(exchange: TimedExchange): void {
    this.#watched.delete(exchange);
    if (this.#watched.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#armedFor = Infinity;
    }
  }

  /** @internal The timer fired: ends what is due, and sets the timer for the earliest deadline left. */
  tick(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const exchange of this.#watched) {
      const deadline = exchange.deadline;
      // An expiring exchange unwatches itself: deleting the current entry is safe while iterating a Set.
      if (deadline - now < clockRoundingMs) exchange.expire();
      else if (deadline < next) next = deadline;
    }
    if (next < this.#armedFor && this.#watched.size > 0) this.#arm(next);
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = deadline;
    this.#timer = setTimeout(tick, Math.max(0, deadline - performance.now()), this);
  }
}
