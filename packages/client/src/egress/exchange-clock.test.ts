import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ExchangeClock, type TimedExchange } from './exchange-clock.js';

// Node's timers may fire up to a millisecond before performance.now() says the delay is over.
const clockRoundingMs = 2;

/** An exchange that records when it was ended, and leaves the clock as a settled exchange does. */
class RecordedExchange implements TimedExchange {
  deadline: number;
  expiredAt: number | undefined;
  clockSlot = -1;
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

type Collect = (options?: { type: 'major' | 'minor' }) => void;

/** V8's `gc`, without starting the process with `--expose-gc`. */
function collector(): Collect {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Collect;
}

/** An exchange that only holds its deadline, as the clock sees it. */
function probe(inMs: number): TimedExchange {
  return { deadline: performance.now() + inMs, expire: () => undefined, clockSlot: -1 };
}

/** Bytes in use in the young and old generations. */
function heapUsed(): number {
  return getHeapSpaceStatistics()
    .filter((space) => space.space_name === 'new_space' || space.space_name === 'old_space')
    .reduce((sum, space) => sum + space.space_used_size, 0);
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

  it('ends only what is still watched when an expiry takes another exchange out', async () => {
    const clock = new ExchangeClock();
    const done = ended();
    const taken = new RecordedExchange(clock, 40);
    const kept = new RecordedExchange(clock, 40);
    const taker = new RecordedExchange(clock, 40, () => clock.unwatch(taken));
    const last = new RecordedExchange(clock, 120, done.resolve);
    for (const exchange of [taker, taken, kept, last]) clock.watch(exchange);
    await done.promise;
    expect(taken.expiredAt).toBeUndefined();
    for (const exchange of [taker, kept, last]) expect(exchange.expiredAt).toBeDefined();
  });

  it('keeps watching the rest whatever order exchanges settle in', async () => {
    const clock = new ExchangeClock();
    const exchanges = Array.from({ length: 40 }, (_, index) => new RecordedExchange(clock, 50 + index));
    for (const exchange of exchanges) clock.watch(exchange);
    // Settle every other one, from both ends, as answers come back out of order.
    const settled = exchanges.filter((_, index) => index % 2 === 0);
    for (const [index, exchange] of settled.entries()) {
      clock.unwatch(index % 2 === 0 ? exchange : (settled[settled.length - index] ?? exchange));
    }
    for (const exchange of settled) clock.unwatch(exchange);
    const left = exchanges.filter((_, index) => index % 2 === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const exchange of settled) expect(exchange.expiredAt).toBeUndefined();
    for (const exchange of left) expect(exchange.expiredAt).toBeDefined();
    expect(timersActive()).toBe(0);
  });

  it('leaves settled exchanges to the young collection, however many passed through before', () => {
    const collect = collector();
    const clock = new ExchangeClock();
    const inFlight = Array.from({ length: 50 }, () => probe(60_000));
    for (const exchange of inFlight) clock.watch(exchange);
    // Requests settling and starting as a client's under load, each holding 2 KiB of its own.
    const churn = (count: number): void => {
      for (let index = 0; index < count; index++) {
        clock.unwatch(inFlight.shift() as TimedExchange);
        const next = { ...probe(60_000), body: new Array<number>(256).fill(index) };
        clock.watch(next);
        inFlight.push(next);
      }
    };
    churn(2_000);
    // A full collection promotes whatever the clock keeps its exchanges in.
    collect({ type: 'major' });
    const before = heapUsed();
    churn(4_000);
    for (const exchange of inFlight.splice(0)) clock.unwatch(exchange);
    collect({ type: 'minor' });
    collect({ type: 'minor' });
    // 4,000 settled exchanges are 8 MiB; none of it may outlive the young collections.
    expect(heapUsed() - before).toBeLessThan(1024 * 1024);
  });
});
