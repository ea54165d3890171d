import { EventClient, type TypedSendResult } from '@events-protocol/client';
import {
  defineEvent,
  type ContractErrorParameters,
  type ContractPayload,
  type ContractPayloadInput,
  type ContractResponse,
  type ContractResponseInput,
} from '@events-protocol/core';
import { EventRegistry } from '@events-protocol/server';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';

// One contract per validator, each with a default on the payload (input and output differ), a
// transform on the response (the handler returns a string, callers read a Date) and a declared
// error: inference must be the same whichever validator wrote it.
const zodClassic = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string(), verbose: z.boolean().default(false) }),
  response: z.object({ joined: z.string().transform((text) => new Date(text)) }),
  errors: { notFound: z.object({ userId: z.string() }) },
});

const zodMini = defineEvent({
  name: 'user:get',
  payload: zm.object({ userId: zm.string(), verbose: zm._default(zm.boolean(), false) }),
  response: zm.object({
    joined: zm.pipe(
      zm.string(),
      zm.transform((text: string) => new Date(text)),
    ),
  }),
  errors: { notFound: zm.object({ userId: zm.string() }) },
});

const valibot = defineEvent({
  name: 'user:get',
  payload: v.object({ userId: v.string(), verbose: v.optional(v.boolean(), false) }),
  response: v.object({
    joined: v.pipe(
      v.string(),
      v.transform((text) => new Date(text)),
    ),
  }),
  errors: { notFound: v.object({ userId: v.string() }) },
});

const arktype = defineEvent({
  name: 'user:get',
  payload: type({ userId: 'string', verbose: 'boolean = false' }),
  response: type({ joined: type('string').pipe((text) => new Date(text)) }),
  errors: { notFound: type({ userId: 'string' }) },
});

const contracts = { zodClassic, zodMini, valibot, arktype };
type Contracts = typeof contracts;

describe.each(Object.keys(contracts) as (keyof Contracts)[])('a contract built with %s', () => {
  it('keeps payload output and input apart (handlers read defaults applied, callers may omit them)', () => {
    expectTypeOf<ContractPayload<typeof zodClassic>>().toEqualTypeOf<{ userId: string; verbose: boolean }>();
    expectTypeOf<ContractPayload<typeof zodMini>>().toEqualTypeOf<{ userId: string; verbose: boolean }>();
    expectTypeOf<ContractPayload<typeof valibot>>().toEqualTypeOf<{ userId: string; verbose: boolean }>();
    expectTypeOf<ContractPayload<typeof arktype>>().toEqualTypeOf<{ userId: string; verbose: boolean }>();
    expectTypeOf<ContractPayloadInput<typeof zodClassic>>().toEqualTypeOf<{
      userId: string;
      verbose?: boolean | undefined;
    }>();
    expectTypeOf<ContractPayloadInput<typeof zodMini>>().toEqualTypeOf<{
      userId: string;
      verbose?: boolean | undefined;
    }>();
    expectTypeOf<ContractPayloadInput<typeof valibot>>().toEqualTypeOf<{ userId: string; verbose?: boolean }>();
    expectTypeOf<ContractPayloadInput<typeof arktype>>().toEqualTypeOf<{ userId: string; verbose?: boolean }>();
  });

  it('lets handlers return the response input and callers read its output', () => {
    expectTypeOf<ContractResponseInput<typeof zodClassic>>().toEqualTypeOf<{ joined: string }>();
    expectTypeOf<ContractResponseInput<typeof zodMini>>().toEqualTypeOf<{ joined: string }>();
    expectTypeOf<ContractResponseInput<typeof valibot>>().toEqualTypeOf<{ joined: string }>();
    expectTypeOf<ContractResponseInput<typeof arktype>>().toEqualTypeOf<{ joined: string }>();
    expectTypeOf<ContractResponse<typeof zodClassic>>().toEqualTypeOf<{ joined: Date }>();
    expectTypeOf<ContractResponse<typeof zodMini>>().toEqualTypeOf<{ joined: Date }>();
    expectTypeOf<ContractResponse<typeof valibot>>().toEqualTypeOf<{ joined: Date }>();
    expectTypeOf<ContractResponse<typeof arktype>>().toEqualTypeOf<{ joined: Date }>();
  });

  it('types the declared errors: the helper takes their input, callers read their output', () => {
    expectTypeOf<ContractErrorParameters<typeof zodMini, 'notFound'>>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<ContractErrorParameters<typeof valibot, 'notFound'>>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<ContractErrorParameters<typeof arktype, 'notFound'>>().toEqualTypeOf<{ userId: string }>();
    zodMini.error('notFound', { userId: '42' });
    valibot.error('notFound', { userId: '42' });
    arktype.error('notFound', { userId: '42' });
    // @ts-expect-error an undeclared error type
    valibot.error('gone', {});
    // @ts-expect-error parameters of the wrong shape
    arktype.error('notFound', { userId: 42 });
    // @ts-expect-error parameters of the wrong shape
    zodMini.error('notFound', {});
  });
});

describe('handlers of those contracts', () => {
  it('read the payload output and must return the response input', () => {
    new EventRegistry()
      .on(zodMini, (event) => {
        expectTypeOf(event.payload).toEqualTypeOf<{ userId: string; verbose: boolean }>();
        return { joined: '2026-12-01' };
      })
      .on(valibot, (event) => {
        expectTypeOf(event.payload).toEqualTypeOf<{ userId: string; verbose: boolean }>();
        return { joined: '2026-12-01' };
      })
      .on(arktype, (event) => {
        expectTypeOf(event.payload).toEqualTypeOf<{ userId: string; verbose: boolean }>();
        return { joined: '2026-12-01' };
      });
    // @ts-expect-error the response input is a string, not a Date
    new EventRegistry().on(valibot, () => ({ joined: new Date() }));
    // @ts-expect-error the response input is a string, not a number
    new EventRegistry().on(arktype, () => ({ joined: 1 }));
    // @ts-expect-error the response needs `joined`
    new EventRegistry().on(zodMini, () => ({}));
  });
});

describe('a client of those contracts', () => {
  const client = new EventClient({ url: 'http://127.0.0.1:1/events' });

  it('sends the payload input and reads a typed success and typed declared errors', async () => {
    const result = await client.send(valibot, { userId: '42' });
    expectTypeOf(result).toEqualTypeOf<TypedSendResult<{ joined: Date }, (typeof valibot)['errors']>>();
    if (result.kind === 'success') expectTypeOf(result.payload).toEqualTypeOf<{ joined: Date }>();
    if (result.kind === 'error' && result.declared) {
      expectTypeOf(result.errorType).toEqualTypeOf<'notFound'>();
      expectTypeOf(result.parameters).toEqualTypeOf<{ userId: string }>();
    }
    const mini = await client.send(zodMini, { userId: '42', verbose: true });
    if (mini.kind === 'success') expectTypeOf(mini.payload).toEqualTypeOf<{ joined: Date }>();
    if (mini.kind === 'error' && mini.declared) expectTypeOf(mini.parameters).toEqualTypeOf<{ userId: string }>();
    const ark = await client.send(arktype, { userId: '42' });
    if (ark.kind === 'success') expectTypeOf(ark.payload).toEqualTypeOf<{ joined: Date }>();
    if (ark.kind === 'error' && ark.declared) expectTypeOf(ark.parameters).toEqualTypeOf<{ userId: string }>();
    // @ts-expect-error userId must be a string
    await client.send(arktype, { userId: 42 });
    // @ts-expect-error userId is required
    await client.send(zodMini, {});
    // @ts-expect-error verbose is a boolean
    await client.send(valibot, { userId: '42', verbose: 'yes' });
  });
});
