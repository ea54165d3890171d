import { isOutboxError, OutboxError } from './outbox-error.js';

/** What a driver's error says about its store: unreachable for now, locked for now, or neither. */
export type StoreFailure = 'unavailable' | 'busy' | undefined;

/**
 * The one place a store turns its driver's errors into outbox errors: a lost or refused
 * connection becomes `STORE_UNAVAILABLE`, a lock held too long `STORE_BUSY`, both with the
 * driver's error as `cause`. Anything else (an outbox error, a bug) is returned unchanged.
 */
export function toStoreError(store: string, error: unknown, failure: StoreFailure): unknown {
  if (failure === undefined || isOutboxError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return failure === 'busy'
    ? new OutboxError('STORE_BUSY', `the ${store} outbox store is locked by another connection: ${reason}`, {
        cause: error,
      })
    : new OutboxError('STORE_UNAVAILABLE', `the ${store} outbox store is unavailable: ${reason}`, { cause: error });
}

/** A Node.js socket error that means the server is gone or unreachable, not that the call was wrong. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The string `code` of an error (Node's `errno` names, SQLSTATE, driver codes), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Whether `error` is a socket error of a connection that was refused, reset or timed out. */
export function isSocketFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && socketCodes.has(code);
}
