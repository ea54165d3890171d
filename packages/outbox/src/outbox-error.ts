import { defineErrorFamily, errorGuard, type ErrorCodeOf } from '@events-protocol/core';

/**
 * The stable codes of {@link OutboxError}: match on these, never on messages.
 *
 * - `INVALID_OPTIONS`: a store, outbox or relay was configured with options it cannot use.
 * - `INVALID_EVENT`: `enqueue` got something that is not a publishable event.
 * - `ENQUEUE_FAILED`: the store could not durably store the event; the caller still holds it.
 * - `BATCH_TOO_LARGE`: `enqueueMany` got more events than `maxBatchSize` (1,000); nothing was stored.
 * - `CORRUPT_RECORD`: a stored record could not be read back.
 * - `ABORTED`: the caller's signal aborted the operation before the event was stored.
 * - `CLOSED`: the outbox or store was used after `close()`.
 * - `STORE_UNAVAILABLE`: the store's database or broker could not be reached or dropped the
 *   connection during the call (a restart, a failover, a terminated backend). Retryable: the next
 *   call reconnects. A write may have committed just before the connection went, so repeat it
 *   with the same event id (enqueue is idempotent by id) rather than with a new one.
 * - `STORE_BUSY`: another process held the store's lock for longer than the busy timeout (SQLite's
 *   `SQLITE_BUSY`); nothing changed. Retryable.
 */
export const OutboxErrorCode = {
  invalidOptions: 'INVALID_OPTIONS',
  invalidEvent: 'INVALID_EVENT',
  enqueueFailed: 'ENQUEUE_FAILED',
  batchTooLarge: 'BATCH_TOO_LARGE',
  corruptRecord: 'CORRUPT_RECORD',
  aborted: 'ABORTED',
  closed: 'CLOSED',
  storeUnavailable: 'STORE_UNAVAILABLE',
  storeBusy: 'STORE_BUSY',
} as const;

/** One of the {@link OutboxErrorCode} values. */
export type OutboxErrorCode = ErrorCodeOf<typeof OutboxErrorCode>;

const retryableCodes = new Set<string>([OutboxErrorCode.storeUnavailable, OutboxErrorCode.storeBusy]);

/** The one error class of the outbox package; `code` says what failed. */
export class OutboxError extends defineErrorFamily('OutboxError', OutboxErrorCode).Base {
  /**
   * Whether the same call may succeed later unchanged: `STORE_UNAVAILABLE` and `STORE_BUSY`, and
   * an error (such as `ENQUEUE_FAILED`) caused by one of them.
   */
  readonly retryable: boolean;

  constructor(code: OutboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    const cause = options?.cause;
    this.retryable = retryableCodes.has(code) || (isOutboxError(cause) && retryableCodes.has(cause.code));
  }
}

/** Whether `value` is an {@link OutboxError}, across copies of this package (no `instanceof`). */
export const isOutboxError = errorGuard(OutboxError);
