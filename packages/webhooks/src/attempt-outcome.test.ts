import { isPublishError, type PublishError } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { attemptOutcome, maxRetryAfterMs, parseRetryAfter } from './attempt-outcome.js';
import type { AttemptResponse } from './deliver-request.js';

const now = Date.parse('2026-12-01T12:00:00Z');

function failure(response: AttemptResponse): PublishError {
  const outcome = attemptOutcome(response, now);
  if (!isPublishError(outcome)) throw new Error('expected a PublishError');
  return outcome;
}

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, capped at a day, and nothing else', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(maxRetryAfterMs);
    for (const unreadable of [undefined, '', '-5', '1.5', 'soon', '2026-12-01', 'Tue, never']) {
      expect(parseRetryAfter(unreadable, now), String(unreadable)).toBeUndefined();
    }
  });
});

describe('attemptOutcome', () => {
  it('reports a 2xx answer with its status and excerpt', () => {
    expect(attemptOutcome({ ok: true, status: 204, responseExcerpt: '', durationMs: 3 }, now)).toEqual({
      status: 204,
      responseExcerpt: '',
    });
  });

  it('rejects another answer as REJECTED with its status and excerpt', () => {
    expect(failure({ ok: false, status: 500, responseExcerpt: 'boom', durationMs: 3 })).toMatchObject({
      code: 'REJECTED',
      status: 500,
      responseExcerpt: 'boom',
      retryAfterMs: undefined,
      sink: 'webhooks',
    });
  });

  it('takes Retry-After from a 429 or 503, once the egress reports headers, and ignores it elsewhere', () => {
    const answer = (status: number) =>
      ({ ok: false, status, durationMs: 1, headers: { 'retry-after': '7' } }) as AttemptResponse;
    expect(failure(answer(429)).retryAfterMs).toBe(7000);
    expect(failure(answer(503)).retryAfterMs).toBe(7000);
    expect(failure(answer(500)).retryAfterMs).toBeUndefined();
  });

  it('names no answer in time TIMEOUT, and any other failure UNREACHABLE with its message', () => {
    expect(failure({ ok: false, error: 'timeout: no response within 300 ms', durationMs: 300 })).toMatchObject({
      code: 'TIMEOUT',
      status: undefined,
    });
    expect(failure({ ok: false, error: 'ECONNREFUSED: connect ECONNREFUSED', durationMs: 1 })).toMatchObject({
      code: 'UNREACHABLE',
      message: 'ECONNREFUSED: connect ECONNREFUSED',
    });
    expect(failure({ ok: false, error: 'TARGET_REFUSED: 10.0.0.1 is private', durationMs: 1 }).message).toMatch(
      /^TARGET_REFUSED: /,
    );
  });
});
