import { EventBuilder, EventErrorType, writeJson } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { maxBodyExcerpt, readAnswer } from './read-answer.js';

const request = EventBuilder.request({ name: 'order:place', payload: { sku: 'A-1' } });

function answered(body: unknown, status = 200) {
  return readAnswer(request, { status, body: typeof body === 'string' ? body : writeJson(body) }, 1);
}

describe('readAnswer', () => {
  it('reads <name>:response as a success and <name>:redirect as a redirect', () => {
    expect(answered(EventBuilder.responseFor(request, { orderId: 9 }))).toMatchObject({
      kind: 'success',
      redirect: false,
      event: { payload: { orderId: 9 } },
    });
    expect(answered(EventBuilder.redirectFor(request, { url: 'https://elsewhere/events' }))).toMatchObject({
      kind: 'success',
      redirect: true,
    });
  });

  it('reads error answers by their suffix, unknown ones included, and keeps 64-bit integers', () => {
    expect(answered(EventBuilder.errorFor(request, EventErrorType.BadRequest, { code: 'BAD_SKU' }))).toMatchObject({
      kind: 'error',
      errorType: 'badRequest',
    });
    expect(answered(EventBuilder.errorFor(request, 'quotaExceeded', { code: 'QUOTA' }))).toMatchObject({
      kind: 'error',
      errorType: 'quotaExceeded',
    });
    const big = answered(EventBuilder.responseFor(request, { id: 65484548474984654n }));
    expect(big.kind === 'success' && big.event.payload).toEqual({ id: 65484548474984654n });
  });

  it('reads eventNotFound, and the JVM and Python <name>:notFound with EVENT_NOT_FOUND, as eventNotFound', () => {
    expect(answered(EventBuilder.eventNotFound(request))).toMatchObject({ kind: 'error', errorType: 'eventNotFound' });
    const jvm = EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'EVENT_NOT_FOUND' });
    expect(answered(jvm)).toMatchObject({
      kind: 'error',
      errorType: 'eventNotFound',
      event: { name: 'order:place:notFound' },
    });
    const own = EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'ORDER_NOT_FOUND' });
    expect(answered(own)).toMatchObject({ kind: 'error', errorType: 'notFound' });
  });

  it('is a failed dependency for a non-2xx status, with the body excerpt and Retry-After kept', () => {
    const long = 'x'.repeat(maxBodyExcerpt + 10);
    const result = readAnswer(request, { status: 503, body: long, retryAfterMs: 2000 }, 3);
    expect(result).toEqual({
      kind: 'failedDependency',
      reason: 'status',
      status: 503,
      body: 'x'.repeat(maxBodyExcerpt),
      retryAfterMs: 2000,
      request,
      attempts: 3,
    });
    expect(answered(EventBuilder.responseFor(request, {}), 301)).toMatchObject({ reason: 'status', status: 301 });
  });

  it('is a failed dependency for a 2xx that is not a response event', () => {
    for (const body of ['not json', '{}', '[1]', '{"name":42}']) {
      expect(answered(body)).toMatchObject({ kind: 'failedDependency', reason: 'invalidResponse', status: 200, body });
    }
  });
});
