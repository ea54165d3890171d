import { pino, type DestinationStream, type LoggerOptions } from 'pino';

/** One log method: pino's call shapes, `(object, message)` or `(message)`. */
export interface LogMethod {
  (object: object, message?: string): void;
  (message: string): void;
}

/**
 * The logger the server writes through: the subset of pino it uses, so any pino-compatible logger
 * fits. The level gates the work: nothing is built for a line whose level is off.
 */
export interface EventLogger {
  isLevelEnabled(level: string): boolean;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

const secretKeys = ['auth', 'password', 'secret', 'token', 'authorization', 'cookie', 'apiKey'];

/**
 * Paths that never reach a log line, whatever a handler or middleware logs: `auth`, passwords,
 * secrets, tokens, API keys, authorization and cookie headers, at the top of a log object and up to
 * two levels down (`event.auth`, `subscription.headers.authorization`).
 */
export const redactedLogPaths: readonly string[] = secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * A pino logger with the protocol's secrets redacted (see {@link redactedLogPaths}). Pass a
 * destination to write elsewhere than stdout.
 *
 * @example
 * const processor = new EventProcessor(registry, { logger: createEventLogger({ level: 'info' }) });
 */
export function createEventLogger(options: LoggerOptions = {}, destination?: DestinationStream): EventLogger {
  const redact = { paths: [...redactedLogPaths], censor: '[redacted]' };
  return destination === undefined ? pino({ ...options, redact }) : pino({ ...options, redact }, destination);
}

function discard(): void {}

/** A logger that writes nothing and costs nothing: the default. */
export const silentLogger: EventLogger = Object.freeze({
  isLevelEnabled: () => false,
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
});
