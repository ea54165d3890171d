import { EventBuilder, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventResponseError, orThrow } from './client-error.js';
import { typedErrorResult, type ErrorResult } from './send-result.js';

const request = EventBuilder.request({ name: 'user:get', payload: null });
const answer = (parameters: unknown): ErrorResult => ({
  kind: 'error',
  errorType: EventErrorType.NotFound,
  event: EventBuilder.errorFor(request, EventErrorType.NotFound, {
    code: 'NOT_FOUND',
    parameters: parameters as Record<string, unknown>,
  }),
  request,
  attempts: 1,
});
const errors = { notFound: z.object({ userId: z.string() }) };

describe('EventResponseError', () => {
  it('carries a declared error with its parsed parameters', () => {
    const thrown = (() => {
      try {
        return orThrow(typedErrorResult(errors, answer({ userId: '42' })));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(EventResponseError);
    expect(thrown).toMatchObject({ errorType: 'notFound', declared: true, parameters: { userId: '42' } });
  });

  it('says an undeclared or untyped error is not declared, without parameters', () => {
    for (const result of [answer({ userId: '42' }), typedErrorResult(errors, answer({ userId: 7 }))]) {
      const error = new EventResponseError(result);
      expect(error).toMatchObject({ code: 'ERROR_RESPONSE', declared: false, parameters: undefined });
      expect(error.message).toBe('user:get answered user:get:notFound (NOT_FOUND)');
    }
  });
});
