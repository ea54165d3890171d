import { describe, expect, it } from 'vitest';
import { isPublishError } from '../publish-error.js';
import { httpDeliveryOutcome } from './http-delivery-outcome.js';

describe('httpDeliveryOutcome', () => {
  it('reports every 2xx as delivered, with its status and excerpt', () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(httpDeliveryOutcome({ status, excerpt: 'ok', retryAfterMs: 5000 }, 'hooks')).toEqual({
        status,
        responseExcerpt: 'ok',
      });
    }
  });

  it('rejects every other status, keeping Retry-After only for 429 and 503', () => {
    for (const status of [100, 301, 400, 404, 429, 500, 502, 503]) {
      const outcome = httpDeliveryOutcome({ status, excerpt: 'no', retryAfterMs: 5000 }, 'hooks');
      expect(isPublishError(outcome), String(status)).toBe(true);
      expect(outcome).toMatchObject({
        code: 'REJECTED',
        sink: 'hooks',
        status,
        responseExcerpt: 'no',
        retryAfterMs: status === 429 || status === 503 ? 5000 : undefined,
      });
    }
  });

  it('repeats at most 200 characters of the excerpt in the message', () => {
    const outcome = httpDeliveryOutcome({ status: 500, excerpt: 'e'.repeat(2000) }, 'hooks');
    expect(isPublishError(outcome) && outcome.message).toBe(`hooks answered HTTP 500: ${'e'.repeat(200)}…`);
    expect(httpDeliveryOutcome({ status: 500, excerpt: '' }, 'hooks')).toMatchObject({
      message: 'hooks answered HTTP 500',
    });
  });
});
