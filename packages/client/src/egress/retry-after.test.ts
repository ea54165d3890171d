import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryAfterOf } from './retry-after.js';

const now = Date.UTC(2026, 11, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 5 ', now)).toBe(5000);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
  });

  it('reads the three HTTP-date forms against the clock, a date past being 0', () => {
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tuesday, 01-Dec-26 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Tue Dec  1 12:00:02 2026', now)).toBe(2000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const value of [
      undefined,
      '',
      '-1',
      '1.5',
      'x2',
      'soon',
      '2026-12-01T12:00:30Z',
      'Tue, 01 Dec 2026 12:00:30 CET',
    ]) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
    expect(parseRetryAfter('9'.repeat(30), now)).toBeUndefined();
  });
});

describe('retryAfterOf', () => {
  it('reads Retry-After only on 429 and 503', () => {
    const headers = { 'retry-after': '4' };
    expect(retryAfterOf(429, headers, now)).toBe(4000);
    expect(retryAfterOf(503, headers, now)).toBe(4000);
    for (const status of [200, 301, 500, 502]) expect(retryAfterOf(status, headers, now)).toBeUndefined();
    expect(retryAfterOf(503, {}, now)).toBeUndefined();
  });
});
