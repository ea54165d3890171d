import { defineEvent, EventBuilder } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';

// How the processor reads what it is sent and routes it: badProtocol, strictness, eventNotFound,
// raw text and bytes, integers beyond doubles.

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
});

const users = new EventProcessor(
  new EventRegistry().on(getUser, (event) => ({ userId: event.payload.userId, name: 'Ada' })),
);

function request(name: string, payload: unknown, extra: Record<string, unknown> = {}) {
  return { ...EventBuilder.request({ name, payload }), ...extra };
}

describe('EventProcessor reading requests', () => {
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

  it('answers badProtocol to a body nested deeper than maxJsonDepth', async () => {
    const shallow = new EventProcessor(new EventRegistry().register({ name: 'a', handler: () => 1 }), {
      maxJsonDepth: 3,
    });
    const deep = '{"name":"a","version":1,"id":"i","flowId":"f","payload":{"b":{"c":{"d":1}}}}';
    expect((await shallow.processEvent(deep)).name).toBe('badProtocol');
    const fits = '{"name":"a","version":1,"id":"i","flowId":"f","payload":{"b":1}}';
    expect((await shallow.processEvent(fits)).name).toBe('a:response');
  });

  it('can be strict about all eight fields', async () => {
    const strict = new EventProcessor(new EventRegistry().register({ name: 'a', handler: () => 1 }), {
      strict: true,
    });
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

  it('rejects 64-bit integers a number schema cannot hold instead of rounding them', async () => {
    const numbers = new EventProcessor(
      new EventRegistry().register({
        name: 'n',
        payload: z.object({ id: z.number() }),
        handler: (event) => event.payload,
      }),
    );
    const answer = await numbers.processEvent(
      '{"name":"n","version":1,"id":"i","flowId":"f","payload":{"id":65484548474984654}}',
    );
    expect(answer.name).toBe('n:badRequest');
    const echo = new EventProcessor(new EventRegistry().register({ name: 'echo', handler: (event) => event.payload }));
    const echoed = await echo.processEventToJson(
      '{"name":"echo","version":1,"id":"i","flowId":"f","payload":{"id":65484548474984654}}',
    );
    expect(echoed).toContain('"payload":{"id":65484548474984654}');
  });
});
