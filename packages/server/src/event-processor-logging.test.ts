import { defineEvent, EventBuilder } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { EventLogger } from './event-logger.js';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';

// What the processor writes to its logger: one line per answered event, and the errors a
// caller never sees, with the flowId to find them by; never `auth`.

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
});

interface LogLine {
  level: string;
  object: unknown;
  message: unknown;
}

function recordingLogger(): EventLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = (level: string) => (object: unknown, message?: unknown) => lines.push({ level, object, message });
  return {
    lines,
    isLevelEnabled: () => true,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

function request(name: string, payload: unknown) {
  return EventBuilder.request({ name, payload, identity: { userId: 'u-1' }, auth: { token: 'secret-token' } });
}

describe('EventProcessor logging', () => {
  it('logs one line per event with outcome and duration, never auth', async () => {
    const logger = recordingLogger();
    const registry = new EventRegistry().on(getUser, (event) => ({ userId: event.payload.userId, name: 'A' }));
    const event = request('user:get', { userId: '1' });
    await new EventProcessor(registry, { logger }).processEvent(event);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.object).toMatchObject({
      event: 'user:get',
      version: 1,
      id: event.id,
      flowId: event.flowId,
      outcome: 'user:get:response',
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(logger.lines)).not.toContain('secret-token');
  });

  it('logs an unexpected error with its message and the flowId', async () => {
    const logger = recordingLogger();
    const registry = new EventRegistry().register({
      name: 'boom',
      handler: () => {
        throw new Error('database password is hunter2');
      },
    });
    const event = request('boom', null);
    await new EventProcessor(registry, { logger }).processEvent(event);
    const logged = logger.lines.find((line) => line.level === 'error');
    expect(logged?.object).toMatchObject({
      flowId: event.flowId,
      err: expect.objectContaining({ message: 'database password is hunter2' }),
    });
  });

  it('logs a result that fails its response schema as an error', async () => {
    const logger = recordingLogger();
    const registry = new EventRegistry().on(getUser, () => ({ userId: 1 }) as never);
    await new EventProcessor(registry, { logger }).processEvent(request('user:get', { userId: '1' }));
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'handler answered a payload that fails its response schema',
    ]);
  });

  it('logs a handler timeout as a warning, naming its cause', async () => {
    const logger = recordingLogger();
    const registry = new EventRegistry().register({ name: 'hang', handler: () => new Promise(() => undefined) });
    const event = request('hang', null);
    await new EventProcessor(registry, { logger, handlerTimeoutMs: 20 }).processEvent(event);
    expect(logger.lines.find((line) => line.level === 'warn')).toMatchObject({
      object: { event: 'hang', flowId: event.flowId, timeoutMs: 20, cause: 'timeout' },
      message: 'handler timed out',
    });
  });
});
