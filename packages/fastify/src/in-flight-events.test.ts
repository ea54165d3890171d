import { describe, expect, it } from 'vitest';
import { InFlightEvents } from './in-flight-events.js';

describe('InFlightEvents', () => {
  it('is drained at once when nothing is in flight', async () => {
    expect(await new InFlightEvents().drained(10_000)).toBe(true);
  });

  it('resolves every waiter when the last event ends, not before', async () => {
    const events = new InFlightEvents();
    events.begin();
    events.begin();
    const settled: boolean[] = [];
    const first = events.drained(10_000).then((drained) => settled.push(drained));
    const second = events.drained(10_000).then((drained) => settled.push(drained));
    events.end();
    await Promise.resolve();
    expect([events.count, settled]).toEqual([1, []]);
    events.end();
    await Promise.all([first, second]);
    expect([events.count, settled]).toEqual([0, [true, true]]);
  });

  it('gives up after the grace period, leaving the count as it is', async () => {
    const events = new InFlightEvents();
    events.begin();
    expect(await events.drained(20)).toBe(false);
    expect(events.count).toBe(1);
    // A waiter that gave up is not woken later.
    events.end();
    expect(events.count).toBe(0);
  });
});
