import { EventBuilder, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { failureCode, outcomeName, type SendResult } from './send-result.js';

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
