import { PublishError, PublishErrorCode } from '@events-protocol/publish';

/**
 * Waits for `work`, or rejects with `ABORTED` as soon as the caller's signal fires (the work itself
 * may still land: the event id deduplicates a retry). Without a signal, `work` itself.
 */
export function untilAborted<TResult>(
  work: Promise<TResult>,
  signal: AbortSignal | undefined,
  sink: string,
): Promise<TResult> {
  if (signal === undefined) return work;
  const aborted = (): PublishError =>
    new PublishError(PublishErrorCode.Aborted, `${sink}: publish cancelled`, { cause: signal.reason, sink });
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
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
