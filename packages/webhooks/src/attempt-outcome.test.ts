import { isPublishError, type PublishError } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { attemptOutcome } from './attempt-outcome.js';
import type { AttemptResponse } from './deliver-request.js';

function failure(response: AttemptResponse): PublishError {
  const outcome = attemptOutcome(response);
  if (!isPublishError(outcome)) throw new Error('expected a PublishError');
  return outcome;
}

describe('attemptOutcome', () => {
  it('reports a 2xx answer with its status and excerpt', () => {
    expect(attemptOutcome({ ok: true, status: 204, responseExcerpt: '', durationMs: 3 })).toEqual({
      status: 204,
      responseExcerpt: '',
    });
  });

  it('rejects another answer as REJECTED with its status, excerpt and the wait it asked for', () => {
    expect(failure({ ok: false, status: 500, responseExcerpt: 'boom', durationMs: 3 })).toMatchObject({
      code: 'REJECTED',
      status: 500,
      responseExcerpt: 'boom',
      retryAfterMs: undefined,
      sink: 'webhooks',
    });
    expect(failure({ ok: false, status: 429, retryAfterMs: 7000, durationMs: 1 }).retryAfterMs).toBe(7000);
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
