import { describe, expect, it } from 'vitest';
import { ExchangeClock, type TimedExchange } from './exchange-clock.js';

// Node's timers may fire up to a millisecond before performance.now() says the delay is over.
const clockRoundingMs = 2;

/** An exchange that records when it was ended, and leaves the clock as a settled exchange does. */
class RecordedExchange implements TimedExchange {
  deadline: number;
  expiredAt: number | undefined;
  readonly #clock: ExchangeClock;
  readonly #ended: () => void;

  constructor(clock: ExchangeClock, inMs: number, ended: () => void = () => undefined) {
    this.#clock = clock;
    this.#ended = ended;
    this.deadline = performance.now() + inMs;
  }

  expire(): void {
    expect(this.expiredAt).toBeUndefined();
    this.expiredAt = performance.now();
    this.#clock.unwatch(this);
    this.#ended();
  }
}

function timersActive(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

function ended(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ExchangeClock', () => {
  it('ends each exchange at its own deadline, a later-watched earlier one first', async () => {
    const clock = new ExchangeClock();
    const long = ended();
    const short = ended();
    const late = new RecordedExchange(clock, 300, long.resolve);
    clock.watch(late);
    const early = new RecordedExchange(clock, 60, short.resolve);
    clock.watch(early);
    await short.promise;
    expect(early.expiredAt).toBeGreaterThanOrEqual(early.deadline - clockRoundingMs);
    expect(late.expiredAt).toBeUndefined();
    await long.promise;
    expect(late.expiredAt).toBeGreaterThanOrEqual(late.deadline - clockRoundingMs);
  });

  it('does not end an exchange whose deadline moved later, and ends it at the new one', async () => {
    const clock = new ExchangeClock();
    const done = ended();
    const moving = new RecordedExchange(clock, 40, done.resolve);
    clock.watch(moving);
    moving.deadline = performance.now() + 200;
    clock.moved(moving);
    await done.promise;
    expect(moving.expiredAt).toBeGreaterThanOrEqual(moving.deadline - clockRoundingMs);
  });

  it('sets the timer again for a deadline that moved earlier', { timeout: 10_000 }, async () => {
    const clock = new ExchangeClock();
    const done = ended();
    const moving = new RecordedExchange(clock, 30_000, done.resolve);
    clock.watch(moving);
    moving.deadline = performance.now() + 50;
    clock.moved(moving);
    await done.promise;
    expect(moving.expiredAt).toBeGreaterThanOrEqual(moving.deadline - clockRoundingMs);
  });

  it('ends every exchange whose deadline passed in one tick, and keeps watching the rest', async () => {
    const clock = new ExchangeClock();
    const last = ended();
    const due = [30, 30, 31].map((inMs) => new RecordedExchange(clock, inMs));
    const later = new RecordedExchange(clock, 150, last.resolve);
    for (const exchange of [...due, later]) clock.watch(exchange);
    await last.promise;
    for (const exchange of [...due, later]) {
      expect(exchange.expiredAt).toBeGreaterThanOrEqual(exchange.deadline - clockRoundingMs);
    }
  });

  it('leaves no timer running once nothing is watched', () => {
    const before = timersActive();
    const clock = new ExchangeClock();
    const exchanges = [1000, 2000, 3000].map((inMs) => new RecordedExchange(clock, inMs));
    for (const exchange of exchanges) clock.watch(exchange);
    expect(timersActive()).toBe(before + 1);
    for (const exchange of exchanges) clock.unwatch(exchange);
    expect(timersActive()).toBe(before);
    for (const exchange of exchanges) expect(exchange.expiredAt).toBeUndefined();
  });
});
