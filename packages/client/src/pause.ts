import { EventClientError, EventClientErrorCode } from './client-error.js';

/**
 * Waits `delayMs` before a retry, unless the signal cancels the call first.
 *
 * @throws {EventClientError} `ABORTED` when the signal fires (or had fired).
 */
export function pause(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(cancelled(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(signal: AbortSignal | undefined): EventClientError {
  return new EventClientError(EventClientErrorCode.Aborted, 'cancelled while waiting to retry', {
    cause: signal?.reason,
  });
}
