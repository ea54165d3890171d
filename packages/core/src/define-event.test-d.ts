import { z } from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import {
  defineEvent,
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
