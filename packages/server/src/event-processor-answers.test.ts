import { defineEvent, EventBuilder, EventError, EventErrorType } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';

// What the processor answers for each outcome of a handler: a payload, a typed error, an
// unexpected error, a payload or result that fails its schema, an event it built, nothing.

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
});

function request(name: string, payload: unknown) {
  return EventBuilder.request({ name, payload, identity: { userId: 'u-1' }, auth: { token: 'secret-token' } });
}

function processorWith(configure: (registry: EventRegistry) => void) {
  const registry = new EventRegistry();
  configure(registry);
  return new EventProcessor(registry);
}

describe('EventProcessor answers', () => {
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

  it('answers UNHANDLED_ERROR without the message or stack', async () => {
    const failing = processorWith((registry) =>
      registry.register({
        name: 'boom',
        handler: () => {
          throw new Error('database password is hunter2');
        },
      }),
    );
    const answer = await failing.processEvent(request('boom', null));
    expect(answer).toMatchObject({ name: 'boom:error', payload: { code: 'UNHANDLED_ERROR', parameters: {} } });
    expect(JSON.stringify(answer)).not.toContain('hunter2');
  });

  it('answers UNHANDLED_ERROR for rejected promises, with Error and non-Error values', async () => {
    const failing = processorWith((registry) =>
      registry.register({ name: 'reject', handler: () => Promise.reject(new Error('nope')) }).register({
        name: 'rejectString',
        // What a JavaScript handler may do: reject with a value that is not an Error.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        handler: () => Promise.reject('nope'),
      }),
    );
    for (const name of ['reject', 'rejectString']) {
      expect((await failing.processEvent(request(name, null))).payload).toEqual({
        code: 'UNHANDLED_ERROR',
        parameters: {},
      });
    }
  });

  it('answers <name>:error INVALID_RESPONSE when the handler result fails its response schema', async () => {
    const buggy = processorWith((registry) => registry.on(getUser, () => ({ userId: 1 }) as never));
    expect(await buggy.processEvent(request('user:get', { userId: '1' }))).toMatchObject({
      name: 'user:get:error',
      payload: { code: 'INVALID_RESPONSE' },
    });
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

  it('notes a deprecated version on its answers, synchronous or not', async () => {
    const deprecated = { sunset: '2027-01-01', note: 'use v2' };
    const old = processorWith((registry) =>
      registry
        .register({ name: 'old', deprecated, handler: () => 'sync' })
        .register({ name: 'oldAsync', deprecated, handler: () => Promise.resolve('async') }),
    );
    for (const name of ['old', 'oldAsync']) {
      expect((await old.processEvent(request(name, null))).metadata).toEqual({
        deprecation: { deprecated: true, ...deprecated },
      });
    }
  });

  it('turns an answer JSON cannot hold into <name>:error', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const broken = processorWith((registry) => registry.register({ name: 'cycle', handler: () => cyclic }));
    const text = await broken.processEventToJson(request('cycle', null));
    expect(JSON.parse(text)).toMatchObject({ name: 'cycle:error', payload: { code: 'UNHANDLED_ERROR' } });
  });
});
