import { defineEvent, EventBuilder, EventError, EventErrorType, type ResponseEvent } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contextMiddleware } from './context-middleware.js';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';
import type { EventMiddleware } from './middleware.js';
import { headersFromRecord, inProcessTransport, type TransportInfo } from './transport-info.js';

const whoami = defineEvent({ name: 'whoami', payload: z.object({ verbose: z.boolean() }), response: z.string() });
const request = (name: string, payload: unknown = { verbose: true }) => EventBuilder.request({ name, payload });

const httpTransport = (headers: Record<string, string>): TransportInfo => ({
  kind: 'http',
  headers: headersFromRecord(headers),
  remoteAddress: '203.0.113.7',
});

const authenticate = contextMiddleware(async (_event, { transport }, next) => {
  const token = transport.headers.get('authorization');
  if (token !== 'Bearer ada') throw new EventError(EventErrorType.Unauthorized, { code: 'BAD_TOKEN' });
  return next({ user: { name: 'Ada' } });
});

describe('registry.use(middleware)', () => {
  it('adds typed values to the context of the handlers registered after it', async () => {
    const registry = new EventRegistry()
      .use(authenticate)
      .use((_event, { user }, next) => next({ greeting: `hi ${user.name}` }))
      .on(whoami, (_event, { greeting, transport }) => `${greeting} from ${transport.remoteAddress ?? '?'}`);
    const processor = new EventProcessor(registry);
    const answer = await processor.processEvent(request('whoami'), {
      transport: httpTransport({ authorization: 'Bearer ada' }),
    });
    expect(answer).toMatchObject({ name: 'whoami:response', payload: 'hi Ada from 203.0.113.7' });
    const refused = await processor.processEvent(request('whoami'), { transport: httpTransport({}) });
    expect(refused).toMatchObject({ name: 'whoami:unauthorized', payload: { code: 'BAD_TOKEN' } });
  });

  it('leaves handlers registered before it alone', async () => {
    let seen: unknown = 'not called';
    const registry = new EventRegistry()
      .register({
        name: 'before',
        handler: (_event, context) => (seen = (context as unknown as Record<string, unknown>)['user']),
      })
      .use(authenticate)
      .register({ name: 'after', handler: (_event, { user }) => user.name });
    const processor = new EventProcessor(registry);
    expect((await processor.processEvent(request('before'))).name).toBe('before:response');
    expect(seen).toBeUndefined();
    expect((await processor.processEvent(request('after'))).name).toBe('after:unauthorized');
  });

  it('runs in the order added, after payload validation, and shows outer layers the answer', async () => {
    const order: string[] = [];
    let outerSaw: ResponseEvent | undefined;
    const registry = new EventRegistry()
      .use(async (_event, _context, next) => {
        order.push('outer');
        const answer = await next();
        outerSaw = answer;
        return answer;
      })
      .use((_event, _context, next) => {
        order.push('inner');
        return next();
      })
      .on(whoami, () => {
        order.push('handler');
        throw new EventError(EventErrorType.NotFound, { code: 'NOBODY' });
      });
    const processor = new EventProcessor(registry);
    expect((await processor.processEvent(request('whoami', { verbose: 'no' }))).name).toBe('whoami:badRequest');
    expect(order).toEqual([]);
    expect((await processor.processEvent(request('whoami'))).name).toBe('whoami:notFound');
    expect(order).toEqual(['outer', 'inner', 'handler']);
    expect(outerSaw?.name).toBe('whoami:notFound');
  });

  it("judges the handler's errors against its contract, behind middleware too", async () => {
    const find = defineEvent({
      name: 'find',
      payload: z.null(),
      response: z.null(),
      errors: { notFound: z.object({ id: z.string() }) },
    });
    const registry = new EventRegistry()
      .use((_event, _context, next) => next())
      .on(find, () => {
        throw new EventError(EventErrorType.Forbidden, { code: 'NOT_DECLARED' });
      });
    const answer = await new EventProcessor(registry).processEvent(request('find', null));
    expect(answer).toMatchObject({ name: 'find:error', payload: { code: 'UNDECLARED_ERROR' } });
  });

  it('checks the response schema once, on the final answer', async () => {
    const shout = defineEvent({ name: 'shout', payload: z.string(), response: z.string().transform((s) => s.length) });
    const registry = new EventRegistry().use((_event, _context, next) => next()).on(shout, (event) => event.payload);
    const answer = await new EventProcessor(registry).processEvent(request('shout', 'hello'));
    expect(answer).toMatchObject({ name: 'shout:response', payload: 5 });
  });

  it('answers a value added under a reserved name as a server error, naming it in the log', async () => {
    const logged: unknown[] = [];
    const logger = {
      isLevelEnabled: () => true,
      error: (object: unknown) => logged.push(object),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
    };
    const registry = new EventRegistry()
      .use((_event, _context, next) => (next as (additions: object) => Promise<ResponseEvent>)({ transport: 'x' }))
      .register({ name: 'smuggle', handler: () => 'ran' });
    const answer = await new EventProcessor(registry, { logger }).processEvent(request('smuggle'));
    expect(answer).toMatchObject({ name: 'smuggle:error', payload: { code: 'UNHANDLED_ERROR' } });
    expect(logged).toEqual([
      expect.objectContaining({ err: expect.objectContaining({ code: 'RESERVED_CONTEXT_NAME' }) }),
    ]);
  });

  it('keeps additions off the prototype and off the event', async () => {
    let context: object | undefined;
    let received: unknown;
    const registry = new EventRegistry()
      .use((_event, _context, next) => next(JSON.parse('{"__proto__": {"polluted": true}, "role": "admin"}') as object))
      .register({
        name: 'inspect',
        handler: (event, handlerContext) => {
          context = handlerContext;
          received = structuredClone(event);
          return null;
        },
      });
    await new EventProcessor(registry).processEvent(request('inspect'), {
      transport: httpTransport({ authorization: 'Bearer ada' }),
    });
    expect(Object.hasOwn(context!, '__proto__')).toBe(true);
    expect((context as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((context as Record<string, unknown>)['role']).toBe('admin');
    expect(JSON.stringify(received)).not.toContain('Bearer');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a second next() of one layer', async () => {
    let runs = 0;
    const registry = new EventRegistry()
      .use(async (_event, _context, next) => {
        await next();
        return next();
      })
      .register({ name: 'twice', handler: () => ++runs });
    const answer = await new EventProcessor(registry).processEvent(request('twice'));
    expect(answer).toMatchObject({ name: 'twice:error', payload: { code: 'UNHANDLED_ERROR' } });
    expect(runs).toBe(1);
  });

  it('keeps the signal lazy and aborted when the handler runs out of time', async () => {
    let signal: AbortSignal | undefined;
    const registry = new EventRegistry()
      .use((_event, _context, next) => next({ step: 1 }))
      .register({
        name: 'slow',
        timeoutMs: 20,
        handler: (_event, context) =>
          new Promise<string>((resolve) => {
            signal = context.signal;
            context.signal.addEventListener('abort', () => resolve('late'));
          }),
      });
    const answer = await new EventProcessor(registry).processEvent(request('slow'));
    expect(answer).toMatchObject({ name: 'slow:error', payload: { code: 'HANDLER_TIMEOUT' } });
    expect(signal?.aborted).toBe(true);
  });

  it('refuses a middleware that is not a function', () => {
    expect(() => new EventRegistry().use('auth' as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_HANDLER' }),
    );
  });

  it('runs the newer version’s middleware for upcast events, once', async () => {
    const v1 = defineEvent({ name: 'greet', payload: z.object({ who: z.string() }), response: z.string() });
    const v2 = defineEvent({
      name: 'greet',
      version: 2,
      payload: z.object({ name: z.string() }),
      response: z.string(),
    });
    let layers = 0;
    const registry = new EventRegistry()
      .use((_event, _context, next) => {
        layers++;
        return next({ punctuation: '!' });
      })
      .on(v2, (event, { punctuation }) => `hello ${event.payload.name}${punctuation}`)
      .upcast(v1, v2, { payload: (old) => ({ name: old.who }) });
    const answer = await new EventProcessor(registry).processEvent(
      EventBuilder.request({ name: 'greet', version: 1, payload: { who: 'Ada' } }),
    );
    expect(answer).toMatchObject({ name: 'greet:response', version: 1, payload: 'hello Ada!' });
    expect(layers).toBe(1);
  });
});

describe('context.transport', () => {
  it('is the in-process transport when the caller said none, for middleware and handlers alike', async () => {
    const seen: TransportInfo[] = [];
    const recordTransport: EventMiddleware = (_event, context, next) => {
      seen.push(context.transport);
      return next();
    };
    const registry = new EventRegistry().register({
      name: 'where',
      handler: (_event, context) => {
        seen.push(context.transport);
        return context.transport.kind;
      },
    });
    const processor = new EventProcessor(registry, { middleware: [recordTransport] });
    expect((await processor.processEvent(request('where'))).payload).toBe('in-process');
    expect(seen).toEqual([inProcessTransport, inProcessTransport]);
    const given = httpTransport({});
    await processor.processEvent(request('where'), { transport: given });
    expect(seen.slice(2)).toEqual([given, given]);
  });
});
