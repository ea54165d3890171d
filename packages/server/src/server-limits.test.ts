import { describe, expect, it } from 'vitest';
import { defaultServerLimits, resolveServerLimits } from './server-limits.js';
import { isServerError } from './server-error.js';

function codeOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return isServerError(error) ? error.code : error;
  }
  return undefined;
}

describe('resolveServerLimits', () => {
  it('fills in the defaults', () => {
    expect(resolveServerLimits()).toEqual(defaultServerLimits);
    expect(defaultServerLimits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      backlog: 2048,
    });
  });

  it('keeps the limits it is given', () => {
    expect(resolveServerLimits({ headersTimeoutMs: 100, requestTimeoutMs: 100, backlog: 1 })).toEqual({
      headersTimeoutMs: 100,
      requestTimeoutMs: 100,
      keepAliveTimeoutMs: 5_000,
      backlog: 1,
    });
  });

  it.each([
    { headersTimeoutMs: 0 },
    { requestTimeoutMs: 1.5 },
    { keepAliveTimeoutMs: -1 },
    { backlog: Number.NaN },
    { headersTimeoutMs: 2000, requestTimeoutMs: 1000 },
  ])('refuses %j with INVALID_OPTIONS', (limits) => {
    expect(codeOf(() => resolveServerLimits(limits))).toBe('INVALID_OPTIONS');
  });
});
