/** Something with a deadline that an {@link ExchangeClock} ends when the deadline passes. */
export interface TimedExchange {
  /** When its current phase must end, in `performance.now()` ms. */
  readonly deadline: number;
  /** Called once the deadline has passed. */
  expire(): void;
  /** Where the clock keeps the exchange, `-1` while it is not watched: written by the clock only. */
  clockSlot: number;
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
 * later, so the common case costs an array push and a swap-remove per request, and no timer
 * work at all. A deadline that moves later (the next phase) is found when the timer fires; one
 * that moves earlier sets the timer again. With nothing to watch, no timer is left running (so
 * that a process with no request in flight can exit).
 *
 * The watched exchanges are an array, each exchange holding its index, and not a `Set`: a `Set`
 * that many short-lived entries pass through rehashes into a new table every few dozen of them,
 * and V8 links each old table to the next. Once one table has been promoted, its dead successors
 * in the old generation keep every table after them, and every exchange those name, alive through
 * each young collection. At 40,000 requests per second that made the young collections keep
 * tens of megabytes and ran a full collection every second (Node 22 and 24).
 */
export class ExchangeClock {
  readonly #watched: TimedExchange[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the timer is set for; `Infinity` when it is not set. */
  #armedFor = Infinity;

  /** Starts watching an exchange, at its current deadline. */
  watch(exchange: TimedExchange): void {
    if (exchange.clockSlot !== -1) return;
    exchange.clockSlot = this.#watched.length;
    this.#watched.push(exchange);
    if (exchange.deadline < this.#armedFor) this.#arm(exchange.deadline);
  }

  /** The exchange's deadline changed (it entered its next phase). */
  moved(exchange: TimedExchange): void {
    if (exchange.deadline < this.#armedFor) this.#arm(exchange.deadline);
  }

  /** Stops watching an exchange (it settled). */
  unwatch(exchange: TimedExchange): void {
    const watched = this.#watched;
    const slot = exchange.clockSlot;
    if (slot === -1 || watched[slot] !== exchange) return;
    exchange.clockSlot = -1;
    const last = watched.pop() as TimedExchange;
    if (last !== exchange) {
      watched[slot] = last;
      last.clockSlot = slot;
    }
    if (watched.length === 0 && this.#timer !== undefined) {
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
    // An expiring exchange unwatches itself, which moves another into its slot: walk a copy, and
    // skip what an earlier expiry already took out.
    for (const exchange of this.#watched.slice()) {
      if (exchange.clockSlot === -1) continue;
      const deadline = exchange.deadline;
      if (deadline - now < clockRoundingMs) exchange.expire();
      else if (deadline < next) next = deadline;
    }
    if (next < this.#armedFor && this.#watched.length > 0) this.#arm(next);
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = deadline;
    this.#timer = setTimeout(tick, Math.max(0, deadline - performance.now()), this);
  }
}
