import { defineEvent, type RequestEvent } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import { EventRegistry } from './event-registry.js';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string(), verbose: z.boolean().default(false) }),
  response: z.object({ name: z.string(), age: z.number() }),
});

describe('registry.on(contract, handler)', () => {
  it('gives the handler the parsed payload type without annotations', () => {
    new EventRegistry().on(getUser, (event) => {
      expectTypeOf(event).toEqualTypeOf<RequestEvent<{ userId: string; verbose: boolean }>>();
      return { name: 'Ada', age: 36 };
    });
  });

  it('checks the return type against the response schema', () => {
    new EventRegistry().on(getUser, async () => ({ name: 'Ada', age: 36 }));
    // @ts-expect-error age must be a number
    new EventRegistry().on(getUser, () => ({ name: 'Ada', age: '36' }));
    // @ts-expect-error name is missing
    new EventRegistry().on(getUser, () => ({ age: 36 }));
  });

  it('keeps literal answers literal, for enums and literal unions of the response schema', () => {
    const getStatus = defineEvent({
      name: 'status:get',
      payload: z.object({}),
      response: z.object({ state: z.enum(['up', 'down']), level: z.literal(1).or(z.literal(2)) }),
    });
    new EventRegistry().on(getStatus, () => ({ state: 'up', level: 1 }));
    new EventRegistry().on(getStatus, async () => ({ state: 'down', level: 2 }));
    new EventRegistry().on(getStatus, async (event) => {
      expectTypeOf(event.payload).toEqualTypeOf<Record<string, never>>();
      return { state: 'up', level: 2 };
    });
    // @ts-expect-error 'sideways' is not a state
    new EventRegistry().on(getStatus, () => ({ state: 'sideways', level: 1 }));
  });

  it('types plain registrations from their payload schema', () => {
    new EventRegistry().register({
      name: 'sum',
      payload: z.object({ a: z.number(), b: z.number() }),
      handler: (event) => {
        expectTypeOf(event.payload).toEqualTypeOf<{ a: number; b: number }>();
        return event.payload.a + event.payload.b;
      },
    });
  });
});
