/**
 * Waits for `work`, or rejects with `abortError(signal)` as soon as the caller's signal fires (the
 * work itself may still land: the event id deduplicates a retry). Without a signal, `work` itself.
 * The one abort race of the package: the JetStream sink and the request-reply transport differ
 * only in the error they reject with.
 */
export function untilAborted<TResult>(
  work: Promise<TResult>,
  signal: AbortSignal | undefined,
  abortError: (signal: AbortSignal) => Error,
): Promise<TResult> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
