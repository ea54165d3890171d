import { defineEvent, EventError, EventErrorType } from '@events-protocol/core';
import { EventProcessor, EventRegistry, type EventProcessorOptions } from '@events-protocol/server';
import { z } from 'zod';

/** The contracts of the service the cross-package tests talk to. */
export const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
});

/**
 * A small service covering each outcome: success, a typed error, an unknown suffix, an unexpected
 * exception, a hanging handler (timing out after `hangTimeoutMs`), and an echo of any payload.
 */
export function exampleProcessor(options: EventProcessorOptions & { hangTimeoutMs?: number } = {}): EventProcessor {
  const registry = new EventRegistry()
    .on(getUser, (event) => {
      if (event.payload.userId === 'missing') {
        throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId: 'missing' } });
      }
      return { userId: event.payload.userId, name: 'Ada Lovelace' };
    })
    .register({ name: 'echo', handler: (event) => event.payload })
    .register({ name: 'echo', version: 2, handler: (event) => ({ version: 2, payload: event.payload }) })
    .register({
      name: 'boom',
      handler: () => {
        throw new Error('internal detail: connection string postgres://admin:pw@db');
      },
    })
    .register({
      name: 'hang',
      timeoutMs: options.hangTimeoutMs ?? 200,
      handler: () => new Promise<never>(() => undefined),
    })
    .register({
      name: 'custom',
      handler: () => {
        throw new EventError('quotaExceeded', { code: 'QUOTA', parameters: { limit: 10 } });
      },
    });
  return new EventProcessor(registry, options);
}
