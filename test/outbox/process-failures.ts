/**
 * Records what would end a real application: uncaught exceptions (an `'error'` event nobody
 * listens to is one) and unhandled rejections. Install before the work, dispose after it.
 */
export interface ProcessFailures extends Disposable {
  /** Everything recorded so far, in order. */
  readonly recorded: unknown[];
}

/** Starts recording process-level failures until disposed. */
export function recordProcessFailures(): ProcessFailures {
  const recorded: unknown[] = [];
  const record = (error: unknown): void => {
    recorded.push(error);
  };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    recorded,
    [Symbol.dispose]() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
