import { EventClient, orThrow, type ErrorResult, type SendResult } from '@events-protocol/client';
import { defineEvent, type EventErrorTypeName, type KnownEventErrorType } from '@events-protocol/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string(), expand: z.boolean().default(false) }),
  response: z.object({ userId: z.string(), name: z.string(), since: z.iso.date().transform((text) => new Date(text)) }),
});

describe('EventClient.send types', () => {
  const client = new EventClient({ url: 'http://localhost/events' });

  it('takes the payload input type of the contract', () => {
    expectTypeOf(client.send.bind(client)).toBeCallableWith(getUser, { userId: '42' });
    // @ts-expect-error userId must be a string
    void client.send(getUser, { userId: 42 });
    // @ts-expect-error userId is required
    void client.send(getUser, {});
  });

  it('gives the response output type on success, and the plain outcomes otherwise', async () => {
    const result = await client.send(getUser, { userId: '42' });
    if (result.kind === 'success') {
      expectTypeOf(result.payload).toEqualTypeOf<{ userId: string; name: string; since: Date }>();
    } else {
      expectTypeOf(result.kind).toEqualTypeOf<'error' | 'timeout' | 'failedDependency'>();
    }
    if (result.kind === 'error') expectTypeOf(result.errorType).toBeString();
  });

  it('types sendEvent results as a union to switch on', async () => {
    const result = await client.sendEvent({ name: 'x' });
    expectTypeOf(result).toEqualTypeOf<SendResult>();
    expectTypeOf(result.kind).toEqualTypeOf<'success' | 'error' | 'timeout' | 'failedDependency'>();
  });

  it('names every protocol error type on error outcomes, eventNotFound included, and keeps unknown ones', async () => {
    expectTypeOf<ErrorResult['errorType']>().toEqualTypeOf<EventErrorTypeName>();
    expectTypeOf<KnownEventErrorType>().toExtend<ErrorResult['errorType']>();
    expectTypeOf<'eventNotFound'>().toExtend<ErrorResult['errorType']>();
    expectTypeOf<'quotaExceeded'>().toExtend<ErrorResult['errorType']>();
    const result = await client.send(getUser, { userId: '42' });
    if (result.kind === 'error' && result.errorType === 'eventNotFound') {
      expectTypeOf(result).toEqualTypeOf<ErrorResult>();
      expectTypeOf(result).not.toHaveProperty('payload');
    }
    expectTypeOf(orThrow(result).payload).toEqualTypeOf<{ userId: string; name: string; since: Date }>();
  });
});
