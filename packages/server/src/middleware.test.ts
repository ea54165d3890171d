import { EventBuilder, EventError, EventErrorType, type ResponseEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { silentLogger } from './event-logger.js';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';
import { EventRun } from './event-run.js';
import { handlerRegistration } from './handler-registration.js';
import { runMiddleware, type EventMiddleware } from './middleware.js';

const request = (name: string, auth: Record<string, unknown> = {}) =>
  EventBuilder.request({ name, payload: null, auth });

describe('middleware in a processor', () => {
  const requireToken: EventMiddleware = (event, _context, next) => {
    if (event.auth['token'] !== 'letmein') throw new EventError(EventErrorType.Unauthorized, { code: 'BAD_TOKEN' });
    return next();
  };

  it('runs around handlers and can short-circuit with an error', async () => {
    const order: string[] = [];
    const registry = new EventRegistry().register({
      name: 'secret',
      handler: () => {
        order.push('handler');
        return 'ok';
      },
    });
    const outer: EventMiddleware = async (_event, _context, next) => {
      order.push('outer:before');
      const answer = await next();
      order.push('outer:after');
      return answer;
    };
    const processor = new EventProcessor(registry, { middleware: [outer, requireToken] });
    expect((await processor.processEvent(request('secret', { token: 'wrong' }))).name).toBe('secret:unauthorized');
    expect(order).toEqual(['outer:before', 'outer:after']);
    order.length = 0;
    expect((await processor.processEvent(request('secret', { token: 'letmein' }))).payload).toBe('ok');
    expect(order).toEqual(['outer:before', 'handler', 'outer:after']);
  });

  it('can answer with its own event, e.g. forbidden', async () => {
    const processor = new EventProcessor(new EventRegistry().register({ name: 'admin', handler: () => 'ok' }), {
      middleware: [(event) => EventBuilder.errorFor(event, EventErrorType.Forbidden, { code: 'ADMINS_ONLY' })],
    });
    expect((await processor.processEvent(request('admin'))).name).toBe('admin:forbidden');
  });

  it('keeps the list it was given, whatever the caller does to its array later', async () => {
    const middleware: EventMiddleware[] = [];
    const processor = new EventProcessor(new EventRegistry().register({ name: 'a', handler: () => 'ok' }), {
      middleware,
    });
    middleware.push((event) => EventBuilder.errorFor(event, EventErrorType.Forbidden, { code: 'LATE' }));
    expect((await processor.processEvent(request('a'))).name).toBe('a:response');
  });
});

describe('runMiddleware', () => {
  const event = request('work');
  const registration = handlerRegistration({ name: 'work', handle: () => null });
  const context = new EventRun(silentLogger, registration, 1000, Date.now(), undefined);
  const last = (): Promise<ResponseEvent> => Promise.resolve(EventBuilder.responseFor(event, 'done'));

  it('calls the last step when every layer calls next()', async () => {
    const pass: EventMiddleware = (_event, _context, next) => next();
    expect((await runMiddleware([pass, pass], 0, event, context, last)).payload).toBe('done');
  });

  it('shows outer layers what an inner layer threw, as an answer', async () => {
    let seen: ResponseEvent | undefined;
    const outer: EventMiddleware = async (_event, _context, next) => (seen = await next());
    const failing: EventMiddleware = () => {
      throw new EventError(EventErrorType.Forbidden, { code: 'NO' });
    };
    const answer = await runMiddleware([outer, failing], 0, event, context, last);
    expect(seen?.name).toBe('work:forbidden');
    expect(answer).toBe(seen);
  });

  it('answers the last step throwing as UNHANDLED_ERROR', async () => {
    const answer = await runMiddleware([], 0, event, context, () => Promise.reject(new Error('boom')));
    expect(answer).toMatchObject({ name: 'work:error', payload: { code: 'UNHANDLED_ERROR' } });
  });

  it('refuses a second call of next() from the same layer', async () => {
    let calls = 0;
    const twice: EventMiddleware = async (_event, _context, next) => {
      await next();
      return next();
    };
    const answer = await runMiddleware([twice], 0, event, context, () => {
      calls++;
      return last();
    });
    expect(calls).toBe(1);
    expect(answer).toMatchObject({ name: 'work:error', payload: { code: 'UNHANDLED_ERROR' } });
  });
});
