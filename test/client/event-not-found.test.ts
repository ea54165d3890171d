import { EventClient, EventResponseError, orThrow } from '@events-protocol/client';
import { defineEvent, EventError, EventErrorType, type RequestEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exampleProcessor } from '../support/example-service.js';
import { listen, readBody } from '../support/http-server.js';

/**
 * The Python implementation's answer to an event it has no handler for, byte for byte: its
 * `EventNotFoundException` is a `notFound` error with code `EVENT_NOT_FOUND`, written by
 * `json.dumps` (`", "` and `": "` separators, fields in its dataclass order) over the request's
 * fields.
 */
function pythonNoHandlerAnswer(request: RequestEvent): string {
  const dump = (value: unknown) => JSON.stringify(value).replaceAll('","', '", "').replaceAll('":', '": ');
  const payload = {
    code: 'EVENT_NOT_FOUND',
    parameters: { message: `Event Name ${request.name} of version ${request.version} was not found` },
  };
  return (
    `{"name": "${request.name}:notFound", "version": ${request.version}, "payload": ${dump(payload)}, ` +
    `"id": "${request.id}", "flowId": "${request.flowId}", "identity": ${dump(request.identity)}, ` +
    `"auth": ${dump(request.auth)}, "metadata": ${dump(request.metadata)}}`
  );
}

async function pythonLikeServer() {
  return listen((request, response) => {
    void readBody(request).then((text) => {
      const body = pythonNoHandlerAnswer(JSON.parse(text) as RequestEvent);
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
}

const getOrder = defineEvent({
  name: 'order:get',
  payload: z.object({ orderId: z.string() }),
  response: z.object({ orderId: z.string() }),
});

describe('an event no handler serves', () => {
  it('is eventNotFound from a server that answers <name>:notFound with EVENT_NOT_FOUND, as Python and the JVM do', async () => {
    await using python = await pythonLikeServer();
    const client = new EventClient({ url: `${python.origin}/events` });
    const result = await client.sendEvent({ name: 'order:get', version: 2, payload: { orderId: '7' } });
    expect(result).toMatchObject({
      kind: 'error',
      errorType: 'eventNotFound',
      // The answer itself is kept exactly as it came.
      event: {
        name: 'order:get:notFound',
        version: 2,
        payload: {
          code: 'EVENT_NOT_FOUND',
          parameters: { message: 'Event Name order:get of version 2 was not found' },
        },
      },
    });
    const typed = await client.send(getOrder, { orderId: '7' });
    expect(typed).toMatchObject({ kind: 'error', errorType: 'eventNotFound' });
    expect(() => orThrow(typed)).toThrow(expect.objectContaining({ errorType: 'eventNotFound' }));
    await client.close();
  });

  it('is eventNotFound from our own server, which answers the bare eventNotFound', async () => {
    await using server = await listen(createEventServer(exampleProcessor()));
    const client = new EventClient({ url: `${server.origin}/events` });
    expect(await client.sendEvent({ name: 'order:get' })).toMatchObject({
      kind: 'error',
      errorType: 'eventNotFound',
      event: { name: 'eventNotFound', payload: { code: 'NO_EVENT_HANDLER_FOUND' } },
    });
    await client.close();
  });
});

describe("a handler's own notFound", () => {
  it('stays notFound, whatever its code', async () => {
    const registry = new EventRegistry().register({
      name: 'order:get',
      handler: (event) => {
        throw new EventError(EventErrorType.NotFound, { code: String(event.payload), parameters: {} });
      },
    });
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const client = new EventClient({ url: `${server.origin}/events` });
    for (const code of ['ORDER_NOT_FOUND', 'NOT_FOUND', 'event_not_found', 'EVENT_NOT_FOUND_YET']) {
      const result = await client.sendEvent({ name: 'order:get', payload: code });
      expect(result).toMatchObject({ kind: 'error', errorType: 'notFound', event: { name: 'order:get:notFound' } });
      try {
        orThrow(result);
      } catch (error) {
        expect(error).toBeInstanceOf(EventResponseError);
        expect((error as EventResponseError).errorType).toBe('notFound');
      }
    }
    await client.close();
  });
});
