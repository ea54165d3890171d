import { defineErrorFamily } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { OutboxError, OutboxErrorCode, isOutboxError } from './outbox-error.js';

describe('isOutboxError', () => {
  it('recognises outbox errors by family brand and code, also from another copy of the package', () => {
    const cause = new Error('disk full');
    const error = new OutboxError(OutboxErrorCode.enqueueFailed, 'not stored', { cause });
    expect(isOutboxError(error)).toBe(true);
    expect(error.cause).toBe(cause);
    const otherCopy = defineErrorFamily('OutboxError', OutboxErrorCode);
    expect(isOutboxError(new otherCopy.Base('ENQUEUE_FAILED', 'not stored'))).toBe(true);
    const lookAlike = Object.assign(new Error('not stored'), { name: 'OutboxError', code: 'ENQUEUE_FAILED' });
    expect(isOutboxError(lookAlike)).toBe(false);
  });

  it('rejects other errors and unknown codes', () => {
    expect(isOutboxError(new Error('x'))).toBe(false);
    expect(isOutboxError(Object.assign(new Error('x'), { name: 'OutboxError', code: 'NOPE' }))).toBe(false);
    expect(isOutboxError({ name: 'OutboxError', code: 'ABORTED' })).toBe(false);
  });
});

describe('OutboxError.retryable', () => {
  it('is true for an unavailable or busy store, and for an error such a failure caused', () => {
    const unavailable = new OutboxError('STORE_UNAVAILABLE', 'gone', { cause: new Error('ECONNRESET') });
    expect(unavailable.retryable).toBe(true);
    expect(new OutboxError('STORE_BUSY', 'locked').retryable).toBe(true);
    expect(new OutboxError('ENQUEUE_FAILED', 'not stored', { cause: unavailable }).retryable).toBe(true);
  });

  it('is false for what the same call would fail with again', () => {
    expect(new OutboxError('INVALID_EVENT', 'bad').retryable).toBe(false);
    expect(new OutboxError('ENQUEUE_FAILED', 'not stored', { cause: new Error('disk full') }).retryable).toBe(false);
  });
});
