import type { EventLogger } from '@events-protocol/server';
import type { FastifyBaseLogger } from 'fastify';

// pino's level values: a line is written when its level is at least the logger's.
const levelValues: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

type MaybeLevelAware = FastifyBaseLogger & { isLevelEnabled?: unknown };

/**
 * The processor's logger over a Fastify logger (`fastify.log`), so the processor's lines go where
 * the app's do. A pino logger answers `isLevelEnabled` itself; for other Fastify-compatible
 * loggers the level is read from their `level` (a logger without one, like the silent logger
 * of an app made without `logger`, has every level off, so no line is ever built for it).
 */
export function eventLoggerFromFastify(log: FastifyBaseLogger): EventLogger {
  const levelAware = log as MaybeLevelAware;
  const isLevelEnabled =
    typeof levelAware.isLevelEnabled === 'function'
      ? (levelAware.isLevelEnabled as (level: string) => boolean).bind(log)
      : (level: string): boolean => {
          const threshold = typeof log.level === 'string' ? levelValues[log.level] : undefined;
          const value = levelValues[level];
          return threshold !== undefined && value !== undefined && value >= threshold;
        };
  return {
    isLevelEnabled,
    debug: log.debug.bind(log),
    info: log.info.bind(log),
    warn: log.warn.bind(log),
    error: log.error.bind(log),
  };
}
