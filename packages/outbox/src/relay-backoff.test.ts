import { describe, expect, it } from 'vitest';
import { maxRelayBackoffMs, relayPauseMs } from './relay-backoff.js';

describe('relayPauseMs', () => {
  it('is the poll interval while the store answers', () => {
    expect(relayPauseMs(500, 0)).toBe(500);
  });

  it('doubles per consecutive failure, jittered in the upper half, up to the cap', () => {
    const top = () => 1;
    const bottom = () => 0;
    expect(relayPauseMs(500, 1, top)).toBe(1000);
    expect(relayPauseMs(500, 1, bottom)).toBe(500);
    expect(relayPauseMs(500, 3, top)).toBe(4000);
    expect(relayPauseMs(500, 50, top)).toBe(maxRelayBackoffMs);
    expect(relayPauseMs(500, 50, bottom)).toBe(maxRelayBackoffMs / 2);
  });

  it('never waits less than half the poll interval, even when the interval exceeds the cap', () => {
    expect(relayPauseMs(60_000, 5, () => 1)).toBe(60_000);
    expect(relayPauseMs(60_000, 5, () => 0)).toBe(30_000);
  });
});
