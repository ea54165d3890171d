/** The pino-compatible logger the console writes to: `info` for actions, `warn` for refusals, `error` for failures. */
export interface ConsoleLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** A logger that drops everything: the default. */
export const silentConsoleLogger: ConsoleLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
