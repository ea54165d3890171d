import {
  currentEventContext,
  useEventContext,
  defineEvent,
  EventBuilder,
  EventError,
  EventErrorType,
  type ResponseEvent,
} from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { EventLogger } from './event-logger.js';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
});

function recordingLogger(): EventLogger & { lines: { level: string; object: unknown; message: unknown }[] } {
  const lines: { level: string; object: unknown; message: unknown }[] = [];
  const log = (level: string) => (object: unknown, message?: unknown) => lines.push({ level, object, message });
  return {
    lines,
    isLevelEnabled: () => true,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

function request(name: string, payload: unknown, extra: Record<string, unknown> = {}) {
  return {
    ...EventBuilder.request({ name, payload, identity: { userId: 'u-1' }, auth: { token: 'secret-token' } }),
    ...extra,
  };
}

function processorWith(
  configure: (registry: EventRegistry) => void,
  options: ConstructorParameters<typeof EventProcessor>[1] = {},
) {
  const registry = new EventRegistry();
  configure(registry);
  return new EventProcessor(registry, options);
}

describe('EventProcessor.processEvent', () => {
  const users = processorWith((registry) =>
    registry.on(getUser, (event) => {
      if (event.payload.userId === 'missing') {
        throw new EventError(EventErrorType.NotFound, {
          code: 'USER_NOT_FOUND',
          parameters: { userId: event.payload.userId },
        });
      }
      return { userId: event.payload.userId, name: 'Ada' };
    }),
  );

  it('answers <name>:response with the handler result, echoing id, flowId and version', async () => {
    const event = request('user:get', { userId: '42' });
    expect(await users.processEvent(event)).toEqual({
      name: 'user:get:response',
      version: 1,
      id: event.id,
      flowId: event.flowId,
      payload: { userId: '42', name: 'Ada' },
      identity: {},
      auth: {},
      metadata: {},
    });
  });

  it('reads raw JSON text and bytes', async () => {
    const event = request('user:get', { userId: '42' });
    expect((await users.processEvent(JSON.stringify(event))).name).toBe('user:get:response');
    expect((await users.processEvent(Buffer.from(JSON.stringify(event)))).name).toBe('user:get:response');
  });

  it.each([
    ['not JSON', '{"name":', undefined],
    ['an empty body', '', undefined],
    ['an array', '[]', undefined],
    ['null', 'null', undefined],
    ['a string', '"event"', undefined],
    ['an empty object', '{}', 'name'],
    ['a string version', '{"name":"a","version":"1","id":"i","flowId":"f"}', 'version'],
    ['a missing flowId', '{"name":"a","version":1,"id":"i"}', 'flowId'],
    ['an array identity', '{"name":"a","version":1,"id":"i","flowId":"f","identity":[]}', 'identity'],
  ])('answers badProtocol to %s', async (_label, body, propertyName) => {
    const answer = await users.processEvent(body);
    expect(answer).toMatchObject({
      name: 'badProtocol',
      version: 1,
      payload: {
        code: 'INVALID_COMMUNICATION_PROTOCOL',
        parameters: propertyName === undefined ? {} : { propertyName },
      },
    });
  });

  it('echoes a usable id and flowId on badProtocol', async () => {
    const answer = await users.processEvent({ name: 'a', version: 0, id: 'the-id', flowId: 'the-flow' });
    expect(answer).toMatchObject({
      name: 'badProtocol',
      id: 'the-id',
      flowId: 'the-flow',
      payload: { parameters: { propertyName: 'version' } },
    });
  });

  it('can be strict about all eight fields', async () => {
    const strict = processorWith((registry) => registry.register({ name: 'a', handler: () => 1 }), { strict: true });
    expect((await strict.processEvent({ name: 'a', version: 1, id: 'i', flowId: 'f' })).payload).toEqual({
      code: 'INVALID_COMMUNICATION_PROTOCOL',
      parameters: { propertyName: 'payload' },
    });
    expect((await users.processEvent({ name: 'user:get', version: 1, id: 'i', flowId: 'f' })).name).toBe(
      'user:get:badRequest',
    );
  });

  it('answers eventNotFound for an unknown name or version', async () => {
    const event = request('user:get', {}, { version: 7 });
    expect(await users.processEvent(event)).toMatchObject({
      name: 'eventNotFound',
      version: 1,
      id: event.id,
      flowId: event.flowId,
      payload: { code: 'NO_EVENT_HANDLER_FOUND', parameters: { event: 'user:get', version: 7 } },
    });
  });

  it('answers <name>:badRequest with the zod issues when the payload fails its schema', async () => {
    const answer = await users.processEvent(request('user:get', { userId: 42 }));
    expect(answer.name).toBe('user:get:badRequest');
    expect(answer.payload).toEqual({
      code: 'INVALID_PAYLOAD',
      parameters: {
        issues: [
          { path: ['userId'], message: 'Invalid input: expected string, received number', code: 'invalid_type' },
        ],
      },
    });
  });

  it('rejects 64-bit integers a number schema cannot hold instead of rounding them', async () => {
    const numbers = processorWith((registry) =>
      registry.register({ name: 'n', payload: z.object({ id: z.number() }), handler: (event) => event.payload }),
    );
    const answer = await numbers.processEvent(
      '{"name":"n","version":1,"id":"i","flowId":"f","payload":{"id":65484548474984654}}',
    );
    expect(answer.name).toBe('n:badRequest');
    const echo = processorWith((registry) => registry.register({ name: 'echo', handler: (event) => event.payload }));
    const echoed = await echo.processEventToJson(
      '{"name":"echo","version":1,"id":"i","flowId":"f","payload":{"id":65484548474984654}}',
    );
    expect(echoed).toContain('"payload":{"id":65484548474984654}');
  });

  it('answers <name>:<type> for an EventError, with its code and parameters', async () => {
    expect(await users.processEvent(request('user:get', { userId: 'missing' }))).toMatchObject({
      name: 'user:get:notFound',
      payload: { code: 'USER_NOT_FOUND', parameters: { userId: 'missing' } },
    });
  });

  it('keeps application error suffixes as they are', async () => {
    const custom = processorWith((registry) =>
      registry.register({
        name: 'pay',
        handler: () => {
          throw new EventError('insufficientFunds', { code: 'BALANCE_LOW' });
        },
      }),
    );
    expect((await custom.processEvent(request('pay', null))).name).toBe('pay:insufficientFunds');
  });

  it('answers UNHANDLED_ERROR without the message or stack, and logs the error with the flowId', async () => {
    const logger = recordingLogger();
    const failing = processorWith(
      (registry) =>
        registry.register({
          name: 'boom',
          handler: () => {
            throw new Error('database password is hunter2');
          },
        }),
      { logger },
    );
    const event = request('boom', null);
    const answer = await failing.processEvent(event);
    expect(answer).toMatchObject({ name: 'boom:error', payload: { code: 'UNHANDLED_ERROR', parameters: {} } });
    expect(JSON.stringify(answer)).not.toContain('hunter2');
    const logged = logger.lines.find((line) => line.level === 'error');
    expect(logged?.object).toMatchObject({
      flowId: event.flowId,
      err: expect.objectContaining({ message: 'database password is hunter2' }),
    });
  });

  it('answers UNHANDLED_ERROR for rejected promises with non-Error values', async () => {
    const failing = processorWith((registry) =>
      registry.register({ name: 'reject', handler: () => Promise.reject(new Error('nope')) }),
    );
    expect((await failing.processEvent(request('reject', null))).payload).toEqual({
      code: 'UNHANDLED_ERROR',
      parameters: {},
    });
  });

  it('answers HANDLER_TIMEOUT when a handler runs too long, per processor and per handler', async () => {
    const slow = processorWith(
      (registry) =>
        registry.register({ name: 'hang', handler: () => new Promise(() => undefined) }).register({
          name: 'quick',
          timeoutMs: 20,
          handler: () => new Promise<void>((resolve) => setTimeout(resolve, 1000)),
        }),
      { handlerTimeoutMs: 50 },
    );
    const started = performance.now();
    expect(await slow.processEvent(request('hang', null))).toMatchObject({
      name: 'hang:error',
      payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 50 } },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(await slow.processEvent(request('quick', null))).toMatchObject({
      payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 20 } },
    });
  });

  it('answers <name>:error when the handler result fails its response schema, and logs it', async () => {
    const logger = recordingLogger();
    const buggy = processorWith((registry) => registry.on(getUser, () => ({ userId: 1 }) as never), { logger });
    expect(await buggy.processEvent(request('user:get', { userId: '1' }))).toMatchObject({
      name: 'user:get:error',
      payload: { code: 'INVALID_RESPONSE' },
    });
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('strips response fields the response schema does not declare', async () => {
    const leaky = processorWith((registry) =>
      registry.on(getUser, (event) => ({ userId: event.payload.userId, name: 'A', passwordHash: 'x' })),
    );
    expect((await leaky.processEvent(request('user:get', { userId: '1' }))).payload).toEqual({
      userId: '1',
      name: 'A',
    });
  });

  it('passes through a response event the handler built itself', async () => {
    const redirecting = processorWith((registry) =>
      registry.register({
        name: 'login',
        handler: (event) =>
          EventBuilder.redirectFor(event, { url: 'https://sso.example/login' }, { metadata: { reason: 'sso' } }),
      }),
    );
    const event = request('login', null);
    expect(await redirecting.processEvent(event)).toEqual({
      name: 'login:redirect',
      version: 1,
      id: event.id,
      flowId: event.flowId,
      payload: { url: 'https://sso.example/login', queryParameters: {} },
      identity: {},
      auth: {},
      metadata: { reason: 'sso' },
    });
  });

  it('answers null for handlers that return nothing', async () => {
    const fireAndForget = processorWith((registry) => registry.register({ name: 'noop', handler: () => undefined }));
    expect((await fireAndForget.processEvent(request('noop', null))).payload).toBeNull();
  });

  it('never echoes the request identity or auth', async () => {
    const answer = await users.processEvent(request('user:get', { userId: '1' }));
    expect(answer.identity).toEqual({});
    expect(answer.auth).toEqual({});
  });

  it('runs handlers inside the event flow context, across awaits', async () => {
    useEventContext(); // as an EventClient in the process would
    let seen: string | undefined;
    const flowing = processorWith((registry) =>
      registry.register({
        name: 'flow',
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen = currentEventContext()?.event.flowId;
        },
      }),
    );
    const event = request('flow', null);
    await flowing.processEvent(event);
    expect(seen).toBe(event.flowId);
    expect(currentEventContext()).toBeUndefined();
  });

  it('logs one line per event with outcome and duration, never auth', async () => {
    const logger = recordingLogger();
    const logged = processorWith(
      (registry) => registry.on(getUser, (event) => ({ userId: event.payload.userId, name: 'A' })),
      { logger },
    );
    const event = request('user:get', { userId: '1' });
    await logged.processEvent(event);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.object).toMatchObject({
      event: 'user:get',
      version: 1,
      id: event.id,
      flowId: event.flowId,
      outcome: 'user:get:response',
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(logger.lines)).not.toContain('secret-token');
  });

  it('turns an answer JSON cannot hold into <name>:error', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const broken = processorWith((registry) => registry.register({ name: 'cycle', handler: () => cyclic }));
    const text = await broken.processEventToJson(request('cycle', null));
    expect(JSON.parse(text)).toMatchObject({ name: 'cycle:error', payload: { code: 'UNHANDLED_ERROR' } });
  });

  it('refuses a non-positive handler timeout at construction', () => {
    expect(() => new EventProcessor(new EventRegistry(), { handlerTimeoutMs: 0 })).toThrow(/handlerTimeoutMs/);
  });
});

describe('middleware', () => {
  const requireToken = (
    event: { auth: Record<string, unknown> },
    _context: unknown,
    next: () => Promise<ResponseEvent>,
  ) => {
    if (event.auth['token'] !== 'letmein') throw new EventError(EventErrorType.Unauthorized, { code: 'BAD_TOKEN' });
    return next();
  };

  it('runs around handlers and can short-circuit with an error', async () => {
    const order: string[] = [];
    const processor = processorWith(
      (registry) =>
        registry.register({
          name: 'secret',
          handler: () => {
            order.push('handler');
            return 'ok';
          },
        }),
      {
        middleware: [
          async (_event, _context, next) => {
            order.push('outer:before');
            const answer = await next();
            order.push('outer:after');
            return answer;
          },
          requireToken,
        ],
      },
    );
    expect((await processor.processEvent(request('secret', null, { auth: { token: 'wrong' } }))).name).toBe(
      'secret:unauthorized',
    );
    expect(order).toEqual(['outer:before', 'outer:after']);
    order.length = 0;
    expect((await processor.processEvent(request('secret', null, { auth: { token: 'letmein' } }))).payload).toBe('ok');
    expect(order).toEqual(['outer:before', 'handler', 'outer:after']);
  });

  it('can answer with its own event, e.g. forbidden', async () => {
    const processor = processorWith((registry) => registry.register({ name: 'admin', handler: () => 'ok' }), {
      middleware: [(event) => EventBuilder.errorFor(event, EventErrorType.Forbidden, { code: 'ADMINS_ONLY' })],
    });
    expect((await processor.processEvent(request('admin', null))).name).toBe('admin:forbidden');
  });
});
