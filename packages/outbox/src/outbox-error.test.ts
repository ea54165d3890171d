import { describe, expect, it } from 'vitest';
import { OutboxError, OutboxErrorCode, isOutboxError } from './outbox-error.js';

describe('isOutboxError', () => {
  it('recognises outbox errors by name and code, also from another copy of the package', () => {
    const cause = new Error('disk full');
    const error = new OutboxError(OutboxErrorCode.enqueueFailed, 'not stored', { cause });
    expect(isOutboxError(error)).toBe(true);
    expect(error.cause).toBe(cause);
    const copy = Object.assign(new Error('not stored'), { name: 'OutboxError', code: 'ENQUEUE_FAILED' });
    expect(isOutboxError(copy)).toBe(true);
  });

  it('rejects other errors and unknown codes', () => {
    expect(isOutboxError(new Error('x'))).toBe(false);
    expect(isOutboxError(Object.assign(new Error('x'), { name: 'OutboxError', code: 'NOPE' }))).toBe(false);
    expect(isOutboxError({ name: 'OutboxError', code: 'ABORTED' })).toBe(false);
  });
});
