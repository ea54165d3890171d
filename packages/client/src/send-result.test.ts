import { EventBuilder, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { failureCode, outcomeName, typedErrorResult, type ErrorResult, type SendResult } from './send-result.js';

const request = EventBuilder.request({ name: 'user:get', payload: null });
const sent = { request, attempts: 1 };

const success: SendResult = { kind: 'success', redirect: false, event: EventBuilder.responseFor(request, {}), ...sent };
const redirect: SendResult = {
  kind: 'success',
  redirect: true,
  event: EventBuilder.redirectFor(request, { url: 'https://x' }),
  ...sent,
};
const notFound: SendResult = {
  kind: 'error',
  errorType: EventErrorType.NotFound,
  event: EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'USER_NOT_FOUND' }),
  ...sent,
};
const codeless: SendResult = {
  kind: 'error',
  errorType: 'quotaExceeded',
  event: { ...EventBuilder.responseFor(request, 'over quota'), name: 'user:get:quotaExceeded' },
  ...sent,
};
const timeout: SendResult = { kind: 'timeout', timeoutMs: 100, ...sent };
const failed: SendResult = { kind: 'failedDependency', reason: 'unreachable', ...sent };

describe('outcomeName', () => {
  it('names each outcome in one word', () => {
    expect([success, redirect, notFound, codeless, timeout, failed].map(outcomeName)).toEqual([
      'success',
      'redirect',
      'notFound',
      'quotaExceeded',
      'timeout',
      'failedDependency',
    ]);
  });
});

describe('failureCode', () => {
  it("gives the answer's code, its error type without one, or the client's code", () => {
    expect(failureCode(notFound as Exclude<SendResult, { kind: 'success' }>)).toBe('USER_NOT_FOUND');
    expect(failureCode(codeless as Exclude<SendResult, { kind: 'success' }>)).toBe('quotaExceeded');
    expect(failureCode(timeout as Exclude<SendResult, { kind: 'success' }>)).toBe('TIMEOUT');
    expect(failureCode(failed as Exclude<SendResult, { kind: 'success' }>)).toBe('FAILED_DEPENDENCY');
  });
});

describe('typedErrorResult', () => {
  const errors = {
    notFound: z.object({ userId: z.string() }),
    quotaExceeded: z.object({ resetAt: z.iso.datetime().transform((text) => new Date(text)) }),
  };
  const answer = (errorType: string, payload: unknown): ErrorResult => ({
    kind: 'error',
    errorType,
    event: { ...EventBuilder.responseFor(request, payload), name: `user:get:${errorType}` },
    ...sent,
  });

  it('reads a declared error with its code and parameters as the schema parses them', () => {
    const quota = answer('quotaExceeded', { code: 'DAILY', parameters: { resetAt: '2027-01-01T00:00:00Z' } });
    expect(typedErrorResult(errors, quota)).toEqual({
      ...quota,
      declared: true,
      code: 'DAILY',
      parameters: { resetAt: new Date('2027-01-01T00:00:00Z') },
    });
  });

  it.each([
    ['an undeclared type', answer('forbidden', { code: 'NO', parameters: {} })],
    ['a type on the prototype', answer('toString', { code: 'X', parameters: {} })],
    ['parameters that fail the schema', answer('notFound', { code: 'NOT_FOUND', parameters: { userId: 42 } })],
    ['a payload without a code', answer('notFound', { parameters: { userId: '42' } })],
    ['a payload that is not an object', answer('notFound', 'user 42 not found')],
  ])('reads %s as undeclared, keeping the event as it came', (_label, result) => {
    const typed = typedErrorResult(errors, result);
    expect(typed).toEqual({ ...result, declared: false });
    expect(typed.event).toBe(result.event);
  });

  it('reads a declared error without parameters as declared when its schema takes {}', () => {
    const gone = answer('gone', { code: 'GONE' });
    expect(typedErrorResult({ gone: z.object({}) }, gone)).toMatchObject({ declared: true, parameters: {} });
  });
});
