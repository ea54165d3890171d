import { createServer } from 'node:http';
import { EventClient } from '@events-protocol/client';
import { defineEvent, EventError, EventErrorType, type RequestEvent } from '@events-protocol/core';
import { eventsRouter } from '@events-protocol/express-adapter';
import { contextMiddleware, createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import express from 'express';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listen, type RunningServer } from '../support/http-server.js';

interface User {
  readonly id: string;
  readonly name: string;
}

const users = new Map<string, User>([['Bearer token-of-ada', { id: 'u1', name: 'Ada' }]]);

const whoami = defineEvent({
  name: 'context:whoami',
  payload: z.object({ note: z.string() }),
  response: z.object({
    userId: z.string(),
    name: z.string(),
    remoteAddress: z.string().nullable(),
    kind: z.string(),
    method: z.string().nullable(),
    url: z.string().nullable(),
    traceHeader: z.string().nullable(),
  }),
});

const authenticate = contextMiddleware(async (_event, { transport }, next) => {
  const user = users.get(transport.headers.get('authorization') ?? '');
  if (user === undefined) throw new EventError(EventErrorType.Unauthorized, { code: 'UNKNOWN_TOKEN' });
  return next({ user });
});

/** A service whose handler answers with the typed user and the transport, and keeps what it received. */
function contextService(): { processor: EventProcessor; received: RequestEvent[] } {
  const received: RequestEvent[] = [];
  const registry = new EventRegistry().use(authenticate).on(whoami, (event, { user, transport }) => {
    received.push(structuredClone(event));
    return {
      userId: user.id,
      name: user.name,
      remoteAddress: transport.remoteAddress ?? null,
      kind: transport.kind,
      method: transport.method ?? null,
      url: transport.url ?? null,
      traceHeader: transport.headers.get('X-Trace-Note') ?? null,
    };
  });
  return { processor: new EventProcessor(registry), received };
}

const requestBody = JSON.stringify({
  name: 'context:whoami',
  version: 1,
  id: 'id-1',
  flowId: 'flow-1',
  payload: { note: 'hello' },
  identity: { userId: 'caller' },
  auth: {},
  metadata: { origin: 'test' },
});

async function post(url: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: requestBody,
  });
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as Record<string, unknown>;
}

/** Nothing of the transport (headers, address, method, route) is in what the handler received. */
function expectNoTransportIn(received: RequestEvent[]): void {
  expect(received).toHaveLength(1);
  const [event] = received;
  expect(event?.payload).toEqual({ note: 'hello' });
  expect(event?.auth).toEqual({});
  expect(event?.identity).toEqual({ userId: 'caller' });
  expect(event?.metadata).toEqual({ origin: 'test' });
  const text = JSON.stringify(event);
  for (const leak of ['token-of-ada', 'Bearer', 'X-Trace-Note', 'trace-note', '127.0.0.1', '203.0.113', '/events']) {
    expect(text).not.toContain(leak);
  }
}

const adapters: [string, (processor: EventProcessor, trustProxy: boolean) => Promise<RunningServer>][] = [
  ['node:http', (processor) => listen(createEventServer(processor))],
  [
    'express',
    (processor, trustProxy) => {
      const app = express();
      if (trustProxy) app.set('trust proxy', 'loopback');
      app.use(eventsRouter(processor));
      return listen(createServer(app));
    },
  ],
];

describe.each(adapters)('typed handler context over %s', (_name, start) => {
  it('authenticates from the authorization header and answers with the typed user and the remote address', async () => {
    const { processor, received } = contextService();
    await using server = await start(processor, false);
    const answer = await post(`${server.origin}/events?from=test`, {
      authorization: 'Bearer token-of-ada',
      'x-trace-note': 'trace-note-1',
      'x-forwarded-for': '203.0.113.50',
    });
    expect(answer).toMatchObject({
      name: 'context:whoami:response',
      payload: {
        userId: 'u1',
        name: 'Ada',
        // The forwarded header is not trusted by default: the socket's peer is the client.
        remoteAddress: '127.0.0.1',
        kind: 'http',
        method: 'POST',
        url: '/events?from=test',
        traceHeader: 'trace-note-1',
      },
    });
    expect(answer['identity']).toEqual({});
    expectNoTransportIn(received);
  });

  it('refuses an unknown token before the handler runs', async () => {
    const { processor, received } = contextService();
    await using server = await start(processor, false);
    const answer = await post(`${server.origin}/events`, { authorization: 'Bearer someone-else' });
    expect(answer).toMatchObject({ name: 'context:whoami:unauthorized', payload: { code: 'UNKNOWN_TOKEN' } });
    expect(received).toEqual([]);
  });
});

describe('the Express adapter', () => {
  it("takes the client address from req.ip, so the app's trust proxy setting decides", async () => {
    const { processor, received } = contextService();
    await using server = await adapters[1]![1](processor, true);
    const answer = await post(`${server.origin}/events`, {
      authorization: 'Bearer token-of-ada',
      'x-forwarded-for': '203.0.113.50',
    });
    expect(answer).toMatchObject({ payload: { remoteAddress: '203.0.113.50' } });
    expectNoTransportIn(received);
  });
});

describe('EventClient.inProcess', () => {
  it('reaches the handler with the in-process transport', async () => {
    const seen: string[] = [];
    const registry = new EventRegistry()
      .use((_event, { transport }, next) => next({ via: transport.kind }))
      .register({ name: 'context:via', handler: (_event, { via, transport }) => seen.push(via, transport.kind) });
    const client = EventClient.inProcess(new EventProcessor(registry));
    const outcome = await client.sendEvent({ name: 'context:via', payload: null });
    expect(outcome.kind).toBe('success');
    expect(seen).toEqual(['in-process', 'in-process']);
  });
});
