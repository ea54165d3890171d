/**
 * A pino-compatible logger: the dispatcher logs each failed attempt at `debug`, give-ups and
 * missing callbacks at `warn`, throwing callbacks and store failures at `error`.
 */
export interface WebhookLogger {
  debug(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** A logger that drops everything: the default. */
export function silentWebhookLogger(): WebhookLogger {
  const drop = (): void => undefined;
  return { debug: drop, warn: drop, error: drop };
}
