import { describe, expect, it } from 'vitest';
import { isEgressError } from './egress-error.js';
import { defaultEgressTimeoutMs, readEgressTimeouts, type EgressTimeouts } from './egress-timeouts.js';

describe('readEgressTimeouts', () => {
  it('reads one number as both phases, a pair apart, nothing as the defaults', () => {
    expect(readEgressTimeouts(250)).toEqual({ connectMs: 250, responseMs: 250 });
    expect(readEgressTimeouts({ connectMs: 100, responseMs: 900 })).toEqual({ connectMs: 100, responseMs: 900 });
    expect(readEgressTimeouts(undefined)).toEqual({
      connectMs: defaultEgressTimeoutMs,
      responseMs: defaultEgressTimeoutMs,
    });
  });

  it('refuses anything but positive finite ms with INVALID_OPTIONS naming the option', () => {
    const bad: unknown[] = [
      0,
      -1,
      Number.NaN,
      Infinity,
      '100',
      null,
      { connectMs: 100 },
      { connectMs: 0, responseMs: 5 },
    ];
    for (const option of bad) {
      let caught: unknown;
      try {
        readEgressTimeouts(option as EgressTimeouts, 'timeouts');
      } catch (error) {
        caught = error;
      }
      expect(isEgressError(caught) && caught.code).toBe('INVALID_OPTIONS');
      expect((caught as Error).message).toMatch(/^timeouts/);
    }
  });
});
