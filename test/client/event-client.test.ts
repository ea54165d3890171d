import {
  EventClient,
  EventResponseError,
  EventTimeoutError,
  FailedDependencyError,
  isEventClientError,
  orThrow,
  type SendResult,
} from '@events-protocol/client';
import { deadlineHeader, EventBuilder, fixedSchedule, type RequestEvent } from '@events-protocol/core';
import { createEventServer } from '@events-protocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProcessor, getUser } from '../support/example-service.js';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { listen, readBody, sendJson, type RunningServer } from '../support/http-server.js';

describe('EventClient against our server', () => {
  let server: RunningServer;
  let client: EventClient;

  beforeAll(async () => {
    server = await listen(createEventServer(exampleProcessor({ hangTimeoutMs: 5000 })));
    client = new EventClient({ url: `${server.origin}/events`, origin: 'client-tests' });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('resolves success with the response event, and a typed payload for contracts', async () => {
    const result = await client.sendEvent({ name: 'echo', payload: { text: 'hello', big: 2n ** 63n } });
    expect(result).toMatchObject({ kind: 'success', redirect: false, attempts: 1 });
    if (result.kind !== 'success') return;
    expect(result.event).toMatchObject({ name: 'echo:response', id: result.request.id, flowId: result.request.flowId });
    expect(result.event.payload).toEqual({ text: 'hello', big: 2n ** 63n });

    const typed = await client.send(getUser, { userId: 'u-7' });
    expect(typed.kind === 'success' && typed.payload).toEqual({ userId: 'u-7', name: 'Ada Lovelace' });
  });

  it('resolves each error answer as kind error with its type, unknown suffixes included', async () => {
    const cases: [Promise<SendResult>, string, string][] = [
      [client.sendEvent({ name: 'user:get', payload: { userId: 'missing' } }), 'notFound', 'user:get:notFound'],
      [client.sendEvent({ name: 'user:get', payload: { userId: 7 } }), 'badRequest', 'user:get:badRequest'],
      [client.sendEvent({ name: 'custom' }), 'quotaExceeded', 'custom:quotaExceeded'],
      [client.sendEvent({ name: 'boom' }), 'error', 'boom:error'],
      [client.sendEvent({ name: 'no:such:event' }), 'eventNotFound', 'eventNotFound'],
      [client.sendEvent({ name: 'echo', version: 9 }), 'eventNotFound', 'eventNotFound'],
      [client.sendEvent({ name: '' }), 'badProtocol', 'badProtocol'],
    ];
    for (const [pending, errorType, name] of cases) {
      const result = await pending;
      expect(result).toMatchObject({ kind: 'error', errorType, event: { name } });
    }
  });

  it('throws typed errors from orThrow and sendEventOrThrow', async () => {
    await expect(client.sendEventOrThrow({ name: 'custom' })).rejects.toBeInstanceOf(EventResponseError);
    const error = await client.sendEventOrThrow({ name: 'custom' }).catch((caught: unknown) => caught);
    expect(isEventClientError(error) && error.code).toBe('ERROR_RESPONSE');
    expect((error as EventResponseError).errorType).toBe('quotaExceeded');
    expect(orThrow(await client.sendEvent({ name: 'echo', payload: 1 })).event.payload).toBe(1);
  });

  it('refuses a payload that fails the contract without sending it', async () => {
    const error = await client.send(getUser, { userId: 7 } as never).catch((caught: unknown) => caught);
    expect(isEventClientError(error) && error.code).toBe('INVALID_PAYLOAD');
  });

  it('calls an in-process processor through the same outcomes, without sockets', async () => {
    const local = EventClient.inProcess(exampleProcessor());
    expect(await local.send(getUser, { userId: 'u-1' })).toMatchObject({
      kind: 'success',
      payload: { name: 'Ada Lovelace' },
    });
    expect(await local.sendEvent({ name: 'user:get', payload: { userId: 'missing' } })).toMatchObject({
      kind: 'error',
      errorType: 'notFound',
    });
    expect(await local.sendEvent({ name: 'nope' })).toMatchObject({ kind: 'error', errorType: 'eventNotFound' });
    expect(await local.sendEvent({ name: 'hang', timeout: 100 })).toMatchObject({ kind: 'timeout', timeoutMs: 100 });
  });
});

/** A raw server whose answers a test decides, recording every request event it receives. */
async function scriptedServer(answer: (event: RequestEvent, count: number, response: ServerResponse) => void) {
  const received: { event: RequestEvent; headers: IncomingHttpHeaders }[] = [];
  let connections = 0;
  const running = await listen((request, response) => {
    void readBody(request).then((text) => {
      const event = JSON.parse(text) as RequestEvent;
      received.push({ event, headers: request.headers });
      answer(event, received.length, response);
    });
  });
  running.server.on('connection', () => connections++);
  return { running, received, connections: () => connections, url: `${running.origin}/events` };
}

describe('EventClient transport outcomes', () => {
  it('times out a server that never answers, close to the configured time', async () => {
    const { running, url } = await scriptedServer(() => undefined);
    await using _server = running;
    const client = new EventClient({ url, timeout: 300 });
    const started = performance.now();
    const result = await client.sendEvent({ name: 'slow' });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ kind: 'timeout', timeoutMs: 300, attempts: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(800);
    await expect(client.sendEventOrThrow({ name: 'slow', timeout: 50 })).rejects.toBeInstanceOf(EventTimeoutError);
    await client.close();
  });

  it('is a failed dependency when the port is closed', async () => {
    const running = await listen(() => undefined);
    const url = `${running.origin}/events`;
    await running.close();
    const client = new EventClient({ url, timeout: 2000 });
    const result = await client.sendEvent({ name: 'any' });
    expect(result).toMatchObject({ kind: 'failedDependency', reason: 'unreachable' });
    await expect(client.sendEventOrThrow({ name: 'any' })).rejects.toBeInstanceOf(FailedDependencyError);
    await client.close();
  });

  it('is a failed dependency on a non-2xx status, keeping the body', async () => {
    const { running, url } = await scriptedServer((event, _count, response) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end(`<h1>Internal Server Error</h1> for ${event.name}`);
    });
    await using _server = running;
    const client = new EventClient({ url });
    expect(await client.sendEvent({ name: 'x' })).toMatchObject({
      kind: 'failedDependency',
      reason: 'status',
      status: 500,
      body: '<h1>Internal Server Error</h1> for x',
    });
    await client.close();
  });

  it('is a failed dependency when a 200 carries something that is not a response event', async () => {
    const bodies = ['{}', 'something', '[1,2]', '{"name":42}'];
    const { running, url } = await scriptedServer((_event, count, response) => {
      response.end(bodies[count - 1]);
    });
    await using _server = running;
    const client = new EventClient({ url });
    for (const body of bodies) {
      expect(await client.sendEvent({ name: 'x' })).toMatchObject({
        kind: 'failedDependency',
        reason: 'invalidResponse',
        status: 200,
        body,
      });
    }
    await client.close();
  });

  it('retries transport failures with the same id when asked, never error events', async () => {
    const { running, url, received } = await scriptedServer((event, count, response) => {
      if (count <= 2) {
        response.writeHead(503).end();
        return;
      }
      sendJson(response, 200, EventBuilder.responseFor(event, { ok: true }));
    });
    await using _server = running;
    const client = new EventClient({ url, retry: fixedSchedule({ delayMs: 20, maxAttempts: 4 }) });
    const result = await client.sendEvent({ name: 'pay' });
    expect(result).toMatchObject({ kind: 'success', attempts: 3 });
    expect(new Set(received.map((entry) => entry.event.id))).toEqual(new Set([result.request.id]));
    expect(received).toHaveLength(3);

    // Without retry (the default), one attempt only.
    const once = new EventClient({ url: `${running.origin}/events` });
    received.length = 0;
    await once.sendEvent({ name: 'pay', retry: false });
    expect(received).toHaveLength(1);
    await Promise.all([client.close(), once.close()]);
  });

  it('does not retry an error event, and stops retrying when the total time is spent', async () => {
    const { running, url, received } = await scriptedServer((event, _count, response) => {
      sendJson(response, 200, EventBuilder.errorFor(event, 'error', { code: 'UNHANDLED_ERROR' }));
    });
    await using _server = running;
    const client = new EventClient({ url, retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 5 } } });
    expect(await client.sendEvent({ name: 'x' })).toMatchObject({ kind: 'error', attempts: 1 });
    expect(received).toHaveLength(1);
    await client.close();

    const silent = await scriptedServer(() => undefined);
    await using _silent = silent.running;
    const retrying = new EventClient({ url: silent.url, retry: fixedSchedule({ delayMs: 10, maxAttempts: 10 }) });
    const started = performance.now();
    const result = await retrying.sendEvent({ name: 'x', timeout: 250 });
    expect(result.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(700);
    await retrying.close();
  });

  it('cancels a call when the signal aborts', async () => {
    const { running, url } = await scriptedServer(() => undefined);
    await using _server = running;
    const client = new EventClient({ url });
    const error = await client
      .sendEvent({ name: 'x', signal: AbortSignal.timeout(50) })
      .catch((caught: unknown) => caught);
    expect(isEventClientError(error) && error.code).toBe('ABORTED');
    await client.close();
    await expect(client.sendEvent({ name: 'x' })).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('sends all eight fields, its origin, the deadline header and custom headers, over one kept-alive socket', async () => {
    const { running, url, received, connections } = await scriptedServer((event, _count, response) => {
      sendJson(response, 200, EventBuilder.responseFor(event, null));
    });
    await using _server = running;
    const client = new EventClient({ url, origin: 'billing', headers: { 'x-tenant': 'acme' }, timeout: 4000 });
    for (let index = 0; index < 20; index++) {
      await client.sendEvent({
        name: 'x',
        identity: { userId: 'u' },
        auth: { token: 't' },
        metadata: { locale: 'de' },
      });
    }
    const first = received[0]!;
    expect(Object.keys(first.event)).toEqual([
      'name',
      'version',
      'id',
      'flowId',
      'payload',
      'identity',
      'auth',
      'metadata',
    ]);
    expect(first.event).toMatchObject({ version: 1, payload: null, metadata: { origin: 'billing', locale: 'de' } });
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-tenant']).toBe('acme');
    const budget = Number(first.headers[deadlineHeader]);
    expect(budget).toBeGreaterThan(3000);
    expect(budget).toBeLessThanOrEqual(4000);
    // Keep-alive: undici may open a second socket while the first is being released, never one per call.
    expect(connections()).toBeLessThanOrEqual(2);
    await client.close();
  });

  it('rejects bad options and unserialisable events with clear errors', () => {
    expect(() => new EventClient({ url: 'ftp://x' })).toThrow(/http\(s\) URL/);
    expect(() => new EventClient({ url: 'http://x', timeout: 0 })).toThrow(/timeout/);
    expect(() => new EventClient({ url: 'http://x', retry: { schedule: 'nope' } })).toThrow(/nope/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const client = new EventClient({ url: 'http://127.0.0.1:9/events' });
    return expect(client.sendEvent({ name: 'x', payload: cyclic })).rejects.toMatchObject({ code: 'INVALID_EVENT' });
  });
});
