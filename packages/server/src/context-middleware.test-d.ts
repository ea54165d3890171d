import { defineEvent, EventBuilder, type RequestEvent } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import { contextMiddleware, type ContextMiddleware } from './context-middleware.js';
import { EventHandler, handlerClassFor, type HandlerContext, type HandlerContextWith } from './event-handler.js';
import type { EventLogger } from './event-logger.js';
import { EventRegistry } from './event-registry.js';
import type { TransportInfo } from './transport-info.js';

interface User {
  id: string;
  roles: string[];
}

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ name: z.string() }),
});

declare function userByToken(token: string | undefined): Promise<User>;

const authenticate = contextMiddleware(async (_event, { transport }, next) =>
  next({ user: await userByToken(transport.headers.get('authorization')) }),
);

const tenant = contextMiddleware<{ tenant: string }, { user: User }>((_event, { user }, next) =>
  next({ tenant: user.id.split(':')[0] ?? 'none' }),
);

describe('registry.use(middleware)', () => {
  it('infers what a middleware adds from its call of next', () => {
    expectTypeOf(authenticate).toEqualTypeOf<ContextMiddleware<{ user: User }>>();
  });

  it('gives handlers the values of two layers of middleware, and the processor’s own', () => {
    new EventRegistry()
      .use(authenticate)
      .use(tenant)
      .on(getUser, (event, context) => {
        expectTypeOf(event.payload).toEqualTypeOf<{ userId: string }>();
        expectTypeOf(context.user).toEqualTypeOf<User>();
        expectTypeOf(context.tenant).toEqualTypeOf<string>();
        expectTypeOf(context.transport).toEqualTypeOf<TransportInfo>();
        expectTypeOf(context.logger).toEqualTypeOf<EventLogger>();
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
        return { name: context.user.id };
      });
  });

  it('types inline middleware with the context so far', () => {
    new EventRegistry()
      .use(authenticate)
      .use(async (_event, { user }, next) => {
        expectTypeOf(user).toEqualTypeOf<User>();
        return next({ admin: user.roles.includes('admin') });
      })
      .register({
        name: 'whoami',
        handler: (_event, { user, admin }) => {
          expectTypeOf(admin).toEqualTypeOf<boolean>();
          return user.id;
        },
      });
  });

  it('refuses a handler reading a value no middleware added', () => {
    new EventRegistry().use(authenticate).on(getUser, (_event, context) => {
      // @ts-expect-error no middleware added `tenant`
      return { name: String(context.tenant) };
    });
    // @ts-expect-error `user` is only there after `use(authenticate)`
    new EventRegistry().on(getUser, (_event, { user }) => ({ name: String(user) }));
  });

  it('refuses a middleware that needs what no earlier middleware added', () => {
    // @ts-expect-error `tenant` reads `user`, which this registry has not got
    new EventRegistry().use(tenant);
  });

  it('refuses additions under the names the processor fills in', () => {
    new EventRegistry().use((_event, context, next) =>
      // @ts-expect-error `logger` is reserved
      next({ logger: context.logger }),
    );
    contextMiddleware((_event, _context, next) =>
      // @ts-expect-error `transport` is reserved
      next({ transport: 'smuggled', fine: 1 }),
    );
  });

  it('lets a named middleware return events of its own, and holds it to what it names', () => {
    contextMiddleware<{ user: User }>(async (event, { transport }, next) => {
      const token = transport.headers.get('authorization');
      if (token === undefined) return EventBuilder.errorFor(event, 'unauthorized', { code: 'TOKEN_MISSING' });
      return next({ user: await userByToken(token) });
    });
    // @ts-expect-error it names `user` but never adds it
    contextMiddleware<{ user: User }>((_event, _context, next) => next());
  });
});

describe('registries without middleware', () => {
  it('give handlers the plain context, with the transport', () => {
    new EventRegistry().on(getUser, (_event, context) => {
      expectTypeOf(context).toExtend<HandlerContext>();
      expectTypeOf(context.transport.kind).toExtend<string>();
      return { name: 'Ada' };
    });
  });
});

describe('handler classes', () => {
  it('name the context their registry gives', () => {
    class WhoAmI extends handlerClassFor<typeof getUser, { user: User }>(getUser) {
      handle(_event: RequestEvent<{ userId: string }>, { user }: HandlerContextWith<{ user: User }>) {
        return { name: user.id };
      }
    }
    new EventRegistry().use(authenticate).add(new WhoAmI());
    // @ts-expect-error WhoAmI reads `user`, which a registry without middleware does not give
    new EventRegistry().add(new WhoAmI());

    class Plain extends EventHandler<unknown, string> {
      static override readonly eventName = 'plain';
      handle(_event: RequestEvent, context: HandlerContext): string {
        return context.transport.kind;
      }
    }
    new EventRegistry().use(authenticate).add(new Plain());
  });
});
