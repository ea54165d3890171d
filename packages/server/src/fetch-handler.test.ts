import { deadlineHeader } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';
import { FetchEventRoute, toFetchHandler } from './fetch-handler.js';

const registry = new EventRegistry().register({ name: 'echo', handler: (event) => event.payload }).register({
  name: 'transport',
  handler: (_event, context) => ({
    kind: context.transport.kind,
    url: context.transport.url ?? null,
    remoteAddress: context.transport.remoteAddress ?? null,
    trace: context.transport.headers.get('TraceParent') ?? null,
    headers: [...context.transport.headers.entries()].map(([name]) => name),
  }),
});
const processor = new EventProcessor(registry);
const echo = (payload: unknown) => JSON.stringify({ name: 'echo', version: 1, id: 'i', flowId: 'f', payload });

/** A body of `chunk`-byte pieces, endless unless `total` is given, counting what the reader pulled. */
function countingBody(chunk: number, total = Infinity) {
  const counts = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counts.pulled >= total) return controller.close();
        counts.pulled += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x20));
      },
      cancel() {
        counts.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counts };
}

function post(
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
  url = 'http://localhost/events',
): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  });
}

describe('toFetchHandler', () => {
  it('stops reading a body past the limit and cancels it: no more than the limit is kept', async () => {
    const { stream, counts } = countingBody(256);
    const response = await toFetchHandler(processor, { maxBodyBytes: 1024 })(post(stream));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ name: 'badProtocol' });
    // The reader may ask for one piece ahead of the one that passed the limit; never for the rest.
    expect(counts.cancelled).toBe(true);
    expect(counts.pulled).toBeGreaterThan(1024);
    expect(counts.pulled).toBeLessThanOrEqual(1024 + 2 * 256);
  });

  it('refuses a declared content-length over the limit without reading a byte', async () => {
    const { stream, counts } = countingBody(256);
    const response = await toFetchHandler(processor, { maxBodyBytes: 1024 })(
      post(stream, { 'content-length': '1025' }),
    );
    expect(response.status).toBe(413);
    expect(counts).toEqual({ pulled: 0, cancelled: true });
  });

  it('checks a body read by its content-length against the limit too', async () => {
    const handler = toFetchHandler(processor, { maxBodyBytes: 1024 });
    const within = await handler(post(echo('x'), { 'content-length': String(echo('x').length) }));
    expect(await within.json()).toMatchObject({ name: 'echo:response', payload: 'x' });
    // Only a Request made in code can say less than it holds: HTTP framing ends a body at its length.
    const understated = await handler(post(echo('x'.repeat(2000)), { 'content-length': '10' }));
    expect(understated.status).toBe(413);
  });

  it('reads a body of exactly the limit, in pieces', async () => {
    const text = echo('x'.repeat(1000));
    const bytes = new TextEncoder().encode(text);
    const pieces = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 7) controller.enqueue(bytes.slice(offset, offset + 7));
        controller.close();
      },
    });
    const response = await toFetchHandler(processor, { maxBodyBytes: bytes.length })(post(pieces));
    expect(await response.json()).toMatchObject({ name: 'echo:response', payload: 'x'.repeat(1000) });
  });

  it('answers a body that fails while read with 400 and badProtocol', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const response = await toFetchHandler(processor)(post(failing));
    expect([response.status, ((await response.json()) as { name: string }).name]).toEqual([400, 'badProtocol']);
  });

  it("bounds the handler by the caller's deadline header", async () => {
    const response = await toFetchHandler(processor)(post(echo(1), { [deadlineHeader]: '0' }));
    expect(await response.json()).toMatchObject({ name: 'echo:error', payload: { code: 'DEADLINE_EXCEEDED' } });
  });

  it('gives handlers the transport: http, the target without origin, the headers, the host-given address', async () => {
    const handler = toFetchHandler<{ peer: string }>(processor, { getRemoteAddress: (_request, host) => host?.peer });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const request = post(
      '{"name":"transport","version":1,"id":"i","flowId":"f"}',
      { traceparent },
      'http://localhost:8080/events?a=1#ignored',
    );
    expect(await (await handler(request, { peer: '203.0.113.7' })).json()).toMatchObject({
      payload: {
        kind: 'http',
        url: '/events?a=1',
        remoteAddress: '203.0.113.7',
        trace: traceparent,
        headers: ['content-type', 'traceparent'],
      },
    });
  });

  it('answers HEAD of discovery with the headers of GET and no body', async () => {
    const handler = toFetchHandler(processor, { discovery: true });
    const get = await handler(new Request('http://localhost/events'));
    const text = await get.text();
    const head = await handler(new Request('http://localhost/events', { method: 'HEAD' }));
    expect([head.status, head.headers.get('content-type'), head.headers.get('content-length'), head.body]).toEqual([
      200,
      'application/json; charset=utf-8',
      String(new TextEncoder().encode(text).byteLength),
      null,
    ]);
  });

  it('answers other paths with a JSON 404, or with the fallback it is given', async () => {
    const notFound = await toFetchHandler(processor)(post(echo(1), {}, 'http://localhost/elsewhere'));
    expect([notFound.status, await notFound.json()]).toEqual([404, { code: 'NOT_FOUND', parameters: {} }]);
    const fallback = toFetchHandler<string>(processor, {
      fallback: (request, host) => new Response(`${new URL(request.url).pathname} ${host ?? ''}`, { status: 418 }),
    });
    const answer = await fallback(post(echo(1), {}, 'http://localhost/Events'), 'host');
    expect([answer.status, await answer.text()]).toEqual([418, '/Events host']);
  });
});

describe('FetchEventRoute', () => {
  it('returns undefined for other paths without touching the request, so a framework can go on', async () => {
    const route = new FetchEventRoute(processor);
    const elsewhere = post(echo(1), {}, 'http://localhost/other');
    expect(route.serve(elsewhere)).toBeUndefined();
    expect(elsewhere.bodyUsed).toBe(false);
    const answer = await route.serve(post(echo(2), {}, 'http://localhost/events/'));
    expect(await answer?.json()).toMatchObject({ payload: 2 });
  });
});
