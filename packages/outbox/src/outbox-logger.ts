/** A pino-compatible logger: the relay logs retries at `debug`, lost claims at `warn`, store failures at `error`. */
export interface OutboxLogger {
  debug(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** A logger that drops everything: the default. */
export function silentOutboxLogger(): OutboxLogger {
  const drop = (): void => undefined;
  return { debug: drop, warn: drop, error: drop };
}
