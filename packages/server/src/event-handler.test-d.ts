import {
  EventBuilder,
  defineEvent,
  type ContractPayload,
  type ContractResponseInput,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import { z } from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import type { ContractHandler, EventHandlerFunction, HandlerContextWith } from './event-handler.js';

const renameUser = defineEvent({
  name: 'user:rename',
  payload: z.object({ userId: z.string(), notify: z.boolean().default(true) }),
  response: z.object({ renamedAt: z.iso.datetime().transform((text) => new Date(text)) }),
});

interface Tenant {
  readonly tenantId: string;
}

describe('ContractHandler', () => {
  it('is the handler function of the contract’s payload output and response input', () => {
    expectTypeOf(renameUser.name).toEqualTypeOf<'user:rename'>();
    expectTypeOf<ContractHandler<typeof renameUser>>().toEqualTypeOf<
      EventHandlerFunction<ContractPayload<typeof renameUser>, ContractResponseInput<typeof renameUser>>
    >();
    expectTypeOf<ContractHandler<typeof renameUser, Tenant>>().toEqualTypeOf<
      EventHandlerFunction<ContractPayload<typeof renameUser>, ContractResponseInput<typeof renameUser>, Tenant>
    >();
  });

  it('types the event, the context and what may be returned', () => {
    expectTypeOf<Parameters<ContractHandler<typeof renameUser, Tenant>>>().toEqualTypeOf<
      [RequestEvent<{ userId: string; notify: boolean }>, HandlerContextWith<Tenant>]
    >();
    expectTypeOf<ReturnType<ContractHandler<typeof renameUser>>>().toEqualTypeOf<
      { renamedAt: string } | ResponseEvent | Promise<{ renamedAt: string } | ResponseEvent>
    >();
  });

  it('accepts the response input, a built response event or a promise of either, and nothing else', () => {
    const answers: ContractHandler<typeof renameUser> = () => ({ renamedAt: '2026-12-01T00:00:00Z' });
    const built: ContractHandler<typeof renameUser> = (event) => EventBuilder.redirectFor(event, { url: 'x' });
    const later: ContractHandler<typeof renameUser> = async () => ({ renamedAt: '2026-12-01T00:00:00Z' });
    // @ts-expect-error the response input is a string, not the Date callers read
    const wrong: ContractHandler<typeof renameUser> = () => ({ renamedAt: new Date() });
    expectTypeOf([answers, built, later, wrong]).items.toBeFunction();
  });
});
