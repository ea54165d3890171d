import {
  EventClient,
  orThrow,
  type DeclaredErrorResult,
  type ErrorResult,
  type SendResult,
  type UndeclaredErrorResult,
} from '@events-protocol/client';
import {
  defineEvent,
  type EventContract,
  type EventErrorTypeName,
  type KnownEventErrorType,
} from '@events-protocol/core';
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
      expectTypeOf(result).toEqualTypeOf<UndeclaredErrorResult>();
      expectTypeOf(result).toExtend<ErrorResult>();
      expectTypeOf(result).not.toHaveProperty('payload');
    }
    expectTypeOf(orThrow(result).payload).toEqualTypeOf<{ userId: string; name: string; since: Date }>();
  });
});

const findUser = defineEvent({
  name: 'user:find',
  payload: z.object({ userId: z.string() }),
  response: z.object({ name: z.string() }),
  errors: {
    notFound: z.object({ userId: z.string() }),
    quotaExceeded: z.object({ limit: z.number(), resetAt: z.iso.datetime().transform((text) => new Date(text)) }),
  },
});

describe('EventClient.send declared error types', () => {
  const client = new EventClient({ url: 'http://localhost/events' });

  it('narrows an error to a declared type with its parameters as the schema outputs them', async () => {
    const result = await client.send(findUser, { userId: '42' });
    if (result.kind === 'error' && result.declared && result.errorType === 'notFound') {
      expectTypeOf(result.parameters).toEqualTypeOf<{ userId: string }>();
      expectTypeOf(result.code).toBeString();
    }
    if (result.kind === 'error' && result.declared && result.errorType === 'quotaExceeded') {
      expectTypeOf(result.parameters).toEqualTypeOf<{ limit: number; resetAt: Date }>();
    }
    if (result.kind === 'error' && result.declared) {
      expectTypeOf(result.errorType).toEqualTypeOf<'notFound' | 'quotaExceeded'>();
      // @ts-expect-error forbidden is not a declared type of user:find
      expectTypeOf(result.errorType === 'forbidden').toBeBoolean();
    }
  });

  it('keeps undeclared error answers as they came, without parameters', async () => {
    const result = await client.send(findUser, { userId: '42' });
    if (result.kind === 'error' && !result.declared) {
      expectTypeOf(result).toEqualTypeOf<UndeclaredErrorResult>();
      expectTypeOf(result.errorType).toEqualTypeOf<EventErrorTypeName>();
      expectTypeOf(result).not.toHaveProperty('parameters');
    }
    if (result.kind === 'error') {
      // @ts-expect-error parameters exist only once narrowed to a declared error
      expectTypeOf(result.parameters).toBeUnknown();
    }
  });

  it('has no declared variant for a contract that declares none', async () => {
    const result = await client.send(getUser, { userId: '42' });
    if (result.kind === 'error') expectTypeOf(result.declared).toEqualTypeOf<false>();
  });

  it('types results of any contract, and stays a SendResult for orThrow and switches', async () => {
    const anyContract = findUser as EventContract;
    const result = await client.send(anyContract, null);
    if (result.kind === 'error' && result.declared) {
      expectTypeOf(result).toEqualTypeOf<DeclaredErrorResult>();
    }
    const typed = await client.send(findUser, { userId: '42' });
    expectTypeOf(typed).toExtend<SendResult>();
    expectTypeOf(orThrow(typed).payload).toEqualTypeOf<{ name: string }>();
  });

  it('makes only declared errors with the contract helper', () => {
    expectTypeOf(findUser.error('notFound', { userId: '42' }).errorType).toEqualTypeOf<EventErrorTypeName>();
    // @ts-expect-error gone is not declared
    findUser.error('gone', {});
    // @ts-expect-error limit must be a number
    findUser.error('quotaExceeded', { limit: '3', resetAt: '2027-01-01T00:00:00Z' });
  });
});
