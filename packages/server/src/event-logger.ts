import { pino, type LoggerOptions } from 'pino';

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

/** Paths that never reach a log line, whatever a handler or middleware logs. */
export const redactedLogPaths: readonly string[] = [
  'auth',
  '*.auth',
  'event.auth',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.secret',
  '*.token',
];

/**
 * A pino logger with the protocol's secrets redacted (`auth`, authorization headers, passwords,
 * secrets, tokens).
 *
 * @example
 * const processor = new EventProcessor(registry, { logger: createEventLogger({ level: 'info' }) });
 */
export function createEventLogger(options: LoggerOptions = {}): EventLogger {
  return pino({ ...options, redact: { paths: [...redactedLogPaths], censor: '[redacted]' } });
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
