import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventLoggerFromFastify } from './fastify-event-logger.js';

function recordingLogger(level: string | undefined): FastifyBaseLogger & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  const method =
    (name: string) =>
    (...args: unknown[]): void => {
      lines.push([name, ...args]);
    };
  const logger = {
    level,
    lines,
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    silent: method('silent'),
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger & { lines: unknown[][] };
}

describe('eventLoggerFromFastify', () => {
  it('asks the pino logger of a Fastify app its own isLevelEnabled and writes through it', () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString('utf8'));
        callback();
      },
    });
    const logger = eventLoggerFromFastify(Fastify({ logger: { level: 'warn', stream } }).log);
    expect(['debug', 'info', 'warn', 'error'].map((level) => logger.isLevelEnabled(level))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    logger.error({ flowId: 'f-1' }, 'handler failed');
    expect(JSON.parse(written[0] ?? '{}')).toMatchObject({ level: 50, flowId: 'f-1', msg: 'handler failed' });
  });

  it('reads the level of a logger without isLevelEnabled, with pino level order', () => {
    const info = recordingLogger('info');
    const logger = eventLoggerFromFastify(info);
    expect(
      ['trace', 'debug', 'info', 'warn', 'error', 'nonsense'].map((level) => logger.isLevelEnabled(level)),
    ).toEqual([false, false, true, true, true, false]);
    logger.warn({ id: 'e-1' }, 'slow handler');
    logger.debug('still called: callers check the level first');
    expect(info.lines).toEqual([
      ['warn', { id: 'e-1' }, 'slow handler'],
      ['debug', 'still called: callers check the level first'],
    ]);
  });

  it('has every level off for a silent logger and for one with no level at all', () => {
    for (const level of ['silent', undefined]) {
      const logger = eventLoggerFromFastify(recordingLogger(level));
      expect(['debug', 'info', 'warn', 'error'].some((name) => logger.isLevelEnabled(name))).toBe(false);
    }
  });
});
