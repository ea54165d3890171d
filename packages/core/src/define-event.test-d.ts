import { z } from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import type { EventError } from './event-error.js';
import {
  defineEvent,
  type ContractErrorParameters,
  type ContractErrorType,
  type EventContract,
  type ContractPayload,
  type ContractPayloadInput,
  type ContractResponse,
  type ContractResponseInput,
} from './define-event.js';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string(), verbose: z.boolean().default(false) }),
  response: z.object({ name: z.string(), joined: z.string().transform((text) => new Date(text)) }),
});

describe('contract types', () => {
  it('keeps the literal name', () => {
    expectTypeOf(getUser.name).toEqualTypeOf<'user:get'>();
  });

  it('gives handlers the parsed payload and callers the input form', () => {
    expectTypeOf<ContractPayload<typeof getUser>>().toEqualTypeOf<{ userId: string; verbose: boolean }>();
    expectTypeOf<ContractPayloadInput<typeof getUser>>().toEqualTypeOf<{
      userId: string;
      verbose?: boolean | undefined;
    }>();
  });

  it('lets handlers return the response input and callers read its output', () => {
    expectTypeOf<ContractResponseInput<typeof getUser>>().toEqualTypeOf<{ name: string; joined: string }>();
    expectTypeOf<ContractResponse<typeof getUser>>().toEqualTypeOf<{ name: string; joined: Date }>();
  });
});

const findUser = defineEvent({
  name: 'user:find',
  payload: z.object({ userId: z.string() }),
  response: z.null(),
  errors: {
    notFound: z.object({ userId: z.string() }),
    quotaExceeded: z.object({ limit: z.number(), resetAt: z.string().transform((text) => new Date(text)) }),
  },
});

describe('declared error types', () => {
  it('names the declared error types and their parameters as callers read them', () => {
    expectTypeOf<ContractErrorType<typeof findUser>>().toEqualTypeOf<'notFound' | 'quotaExceeded'>();
    expectTypeOf<ContractErrorType<typeof getUser>>().toEqualTypeOf<never>();
    expectTypeOf<ContractErrorParameters<typeof findUser, 'quotaExceeded'>>().toEqualTypeOf<{
      limit: number;
      resetAt: Date;
    }>();
  });

  it('lets the helper make only declared errors, with their input shape', () => {
    expectTypeOf(findUser.error('notFound', { userId: '42' })).toEqualTypeOf<EventError>();
    findUser.error('quotaExceeded', { limit: 3, resetAt: '2027-01-01' }, { code: 'DAILY_QUOTA' });
    // @ts-expect-error forbidden is not declared
    findUser.error('forbidden', { userId: '42' });
    // @ts-expect-error userId must be a string
    findUser.error('notFound', { userId: 42 });
    // @ts-expect-error userId is required
    findUser.error('notFound', {});
    // @ts-expect-error resetAt is written as a string (the schema's input), not a Date
    findUser.error('quotaExceeded', { limit: 3, resetAt: new Date() });
    // @ts-expect-error a contract without declared errors makes none
    getUser.error('notFound', {});
  });

  it('keeps contracts with declared errors usable where any contract is expected', () => {
    expectTypeOf(findUser).toExtend<EventContract>();
    expectTypeOf(getUser).toExtend<EventContract>();
  });
});
