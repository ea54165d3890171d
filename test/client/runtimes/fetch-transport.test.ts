import { EventClient, FetchTransport, isEventClientError } from '@events-protocol/client';
import { isEgressError } from '@events-protocol/client/egress';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, type RunningServer } from '../../support/http-server.js';

// The fetch transport on Node, where the details are easiest to set up: what the server sees,
// the size limit, Retry-After, the excerpt, redirects, phases and the caller's signal.
const answer = (id: string): string =>
  JSON.stringify({
    name: 'echo:response',
    version: 1,
    id,
    flowId: 'f',
    payload: 'ok',
    identity: {},
    auth: {},
    metadata: {},
  });

describe('FetchTransport', () => {
  let server: RunningServer;
  let seen: IncomingHttpHeaders | undefined;

  beforeAll(async () => {
    server = await listen((request, response) => void answerRequest(request, response));
  });

  async function answerRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const path = request.url ?? '/';
    seen = request.headers;
    if (path === '/events') {
      const { id } = JSON.parse(body) as { id: string };
      response.writeHead(200, { 'content-type': 'application/json' }).end(answer(id));
    } else if (path === '/busy') {
      response.writeHead(503, { 'retry-after': '7' }).end(`busy ${'x'.repeat(20_000)}`);
    } else if (path === '/large') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('x'.repeat(3000));
      response.end('x'.repeat(3000));
    } else if (path === '/moved') {
      response.writeHead(307, { location: '/events' }).end();
    } else if (path === '/slow-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"name":');
    }
    // '/hang' never answers.
  }

  afterAll(async () => {
    await server.close();
  });

  it('sends the body and headers exactly as given, deadline and traceparent included', async () => {
    const transport = new FetchTransport(`${server.origin}/events`);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const sent = await transport.send({
      body: JSON.stringify({ id: 'a1' }),
      headers: [
        'x-custom',
        'yes',
        'content-type',
        'application/json',
        'x-events-deadline-ms',
        '1234',
        'traceparent',
        traceparent,
      ],
      timeoutMs: 5000,
    });
    expect(sent).toEqual({ status: 200, body: answer('a1') });
    expect(seen).toMatchObject({
      'x-custom': 'yes',
      'content-type': 'application/json',
      'x-events-deadline-ms': '1234',
      traceparent,
    });
  });

  it('reads Retry-After on a 503 and keeps an 8 KiB excerpt of the body', async () => {
    const client = new EventClient({ transport: new FetchTransport(`${server.origin}/busy`) });
    const result = await client.sendEvent({ name: 'echo' });
    expect(result).toMatchObject({ kind: 'failedDependency', reason: 'status', status: 503, retryAfterMs: 7000 });
    expect(result.kind === 'failedDependency' && result.body?.length).toBe(8192);
  });

  it('refuses an answer over its limit while the body streams in', async () => {
    const transport = new FetchTransport(`${server.origin}/large`, { maxResponseBytes: 5000 });
    const error = await transport.send({ body: '{}', headers: [], timeoutMs: 5000 }).catch((caught: unknown) => caught);
    expect(isEgressError(error) && [error.code, error.phase]).toEqual(['RESPONSE_TOO_LARGE', 'body']);
    const client = new EventClient({ transport });
    expect(await client.sendEvent({ name: 'echo' })).toMatchObject({
      kind: 'failedDependency',
      reason: 'invalidResponse',
      phase: 'body',
    });
  });

  it('does not follow redirects: a 3xx is a failed dependency, as with undici', async () => {
    const client = new EventClient({ transport: new FetchTransport(`${server.origin}/moved`) });
    expect(await client.sendEvent({ name: 'echo' })).toMatchObject({
      kind: 'failedDependency',
      reason: 'status',
      status: 307,
    });
  });

  it('names the phase of a timeout: headers before the answer, body while it streams', async () => {
    const client = new EventClient({ transport: new FetchTransport(`${server.origin}/hang`), timeout: 200 });
    expect(await client.sendEvent({ name: 'echo' })).toMatchObject({ kind: 'timeout', phase: 'headers' });
    const slow = new EventClient({
      transport: new FetchTransport(`${server.origin}/slow-body`, { connectMs: 100, responseMs: 100 }),
    });
    expect(await slow.sendEvent({ name: 'echo' })).toMatchObject({ kind: 'timeout', phase: 'body' });
  });

  it('reads a refused connection as unreachable in the connect phase', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const client = new EventClient({ transport: new FetchTransport(`${closed.origin}/events`) });
    expect(await client.sendEvent({ name: 'echo' })).toMatchObject({
      kind: 'failedDependency',
      reason: 'unreachable',
      phase: 'connect',
    });
  });

  it("rejects with ABORTED when the caller's signal fires, before or during the call", async () => {
    const client = new EventClient({ transport: new FetchTransport(`${server.origin}/hang`) });
    const early = await client
      .sendEvent({ name: 'echo', signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(isEventClientError(early) && early.code).toBe('ABORTED');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const late = await client.sendEvent({ name: 'echo', signal: controller.signal }).catch((caught: unknown) => caught);
    expect(isEventClientError(late) && late.code).toBe('ABORTED');
  });

  it('refuses bad options with INVALID_OPTIONS', () => {
    for (const make of [
      () => new FetchTransport('not a url'),
      () => new FetchTransport('ftp://host/events'),
      () => new FetchTransport('http://host/events', { connectMs: 0 }),
      () => new FetchTransport('http://host/events', { maxResponseBytes: 1.5 }),
    ]) {
      let caught: unknown;
      try {
        make();
      } catch (error) {
        caught = error;
      }
      expect(isEventClientError(caught) && caught.code).toBe('INVALID_OPTIONS');
    }
  });
});
