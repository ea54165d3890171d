import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { EventBuilder } from '@events-protocol/core';
import { eventsPlugin } from '@events-protocol/fastify';
import { EventProcessor, EventRegistry, isServerError, toNodeListener } from '@events-protocol/server';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { loadTracingSdk } from '../support/open-telemetry-sdk.js';
import { describeAdapterContract } from './adapter-contract.js';

/** Listens on a free port of 127.0.0.1 and closes the app with `app.close()`. */
async function serve(app: FastifyInstance): Promise<RunningServer> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    await app.close();
  };
  return { server: app.server, port, origin: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}

describeAdapterContract('Fastify', async (processor) => {
  const app = Fastify();
  await app.register(eventsPlugin, { processor, discovery: true });
  return serve(app);
});

const echo = (payload: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...EventBuilder.request({ name: 'echo', payload }), ...extra });

const nameOf = (text: string): string => (JSON.parse(text) as { name: string }).name;

async function post(
  origin: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  path = '/events',
) {
  const response = await request(`${origin}${path}`, { method: 'POST', body, headers });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('Fastify plugin', () => {
  it('answers as the node:http adapter does: status, content type, length, Allow and body', async () => {
    const node = await listen(toNodeListener(exampleProcessor(), { discovery: true }));
    const app = Fastify();
    await app.register(eventsPlugin, { processor: exampleProcessor(), discovery: true });
    await using fastify = await serve(app);
    const big = '{"name":"echo","version":1,"id":"i","flowId":"f","payload":{"accountId":65484548474984654}}';
    const cases: { method: string; path?: string; body?: string; headers?: Record<string, string> }[] = [
      { method: 'POST', body: big, headers: { 'content-type': 'application/json' } },
      { method: 'POST', path: '/events/', body: echo('ü'), headers: {} },
      { method: 'POST', body: echo('x'), headers: { 'content-type': '' } },
      { method: 'POST', body: echo('x'), headers: { 'content-type': 'application/cloudevents+json' } },
      { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } },
      { method: 'POST', body: '', headers: { 'content-type': 'application/json' } },
      { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
      { method: 'POST', body: 'a=1', headers: { 'content-type': 'text/plain' } },
      { method: 'POST', body: echo('x'.repeat(2 * 1024 * 1024)), headers: { 'content-type': 'application/json' } },
      {
        method: 'POST',
        body: echo('late'),
        headers: { 'content-type': 'application/json', 'x-events-deadline-ms': '0' },
      },
      { method: 'PUT', body: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'text/plain' } },
      { method: 'DELETE' },
      { method: 'OPTIONS' },
      { method: 'GET' },
      { method: 'HEAD' },
    ];
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    const answerOf = async (origin: string, sent: (typeof cases)[number]) => {
      const response = await request(`${origin}${sent.path ?? '/events'}`, {
        method: sent.method as 'POST',
        body: sent.body ?? null,
        headers: sent.headers ?? {},
      });
      const text = (await response.body.text()).replace(uuid, '<uuid>');
      const { 'content-type': contentType, 'content-length': contentLength, allow } = response.headers;
      return { status: response.statusCode, contentType, contentLength, allow, text };
    };
    try {
      for (const sent of cases) {
        const expected = await answerOf(node.origin, sent);
        expect({ sent: sent.method, ...(await answerOf(fastify.origin, sent)) }).toEqual({
          sent: sent.method,
          ...expected,
        });
      }
    } finally {
      await node.close();
    }
  });

  it('keeps its body parser to its own route: the app and sibling plugins parse as they configured', async () => {
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      done(null, { parsedBy: 'app', length: String(body).length });
    });
    app.post('/other', async (request) => request.body);
    await app.register(async (sibling) => {
      sibling.post('/sibling', async (request) => ({ body: request.body }));
    });
    await app.register(eventsPlugin, { processor: exampleProcessor() });
    await using server = await serve(app);
    expect(JSON.parse((await post(server.origin, '{"a":1}', undefined, '/other')).text)).toEqual({
      parsedBy: 'app',
      length: 7,
    });
    expect(JSON.parse((await post(server.origin, '{"a":1}', undefined, '/sibling')).text)).toEqual({
      body: { parsedBy: 'app', length: 7 },
    });
    const big = '{"name":"echo","version":1,"id":"i","flowId":"f","payload":65484548474984654}';
    expect((await post(server.origin, big)).text).toContain('"payload":65484548474984654');
  });

  it("honours the register prefix and a path of its own, and the app's ignoreTrailingSlash", async () => {
    const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await app.register(eventsPlugin, { processor: exampleProcessor(), prefix: '/api', path: '/rpc' });
    await using server = await serve(app);
    expect(JSON.parse((await post(server.origin, echo(1), undefined, '/api/rpc')).text)).toMatchObject({
      name: 'echo:response',
      payload: 1,
    });
    expect(JSON.parse((await post(server.origin, echo(2), undefined, '/api/rpc/')).text)).toMatchObject({
      payload: 2,
    });
    expect((await post(server.origin, echo(3), undefined, '/events')).status).toBe(404);
  });

  it('serves a path of / as the prefix itself, with and without its trailing slash', async () => {
    const app = Fastify();
    await app.register(eventsPlugin, { processor: exampleProcessor(), prefix: '/rpc', path: '/' });
    await using server = await serve(app);
    for (const path of ['/rpc', '/rpc/']) {
      expect([path, nameOf((await post(server.origin, echo(1), undefined, path)).text)]).toEqual([
        path,
        'echo:response',
      ]);
    }
  });

  it.each(['onRequest', 'preHandler'] as const)(
    'lets an %s hook of the app refuse a request before any handler runs',
    async (hook) => {
      let runs = 0;
      const registry = new EventRegistry().register({
        name: 'echo',
        handler: (event) => {
          runs += 1;
          return event.payload;
        },
      });
      const app = Fastify();
      app.addHook(hook, async (request, reply) => {
        if (request.headers.authorization !== 'Bearer let-me-in') {
          return reply.code(401).send({ error: 'unauthorized' });
        }
      });
      await app.register(eventsPlugin, { registry });
      await using server = await serve(app);
      const refused = await post(server.origin, echo('x'));
      expect([refused.status, JSON.parse(refused.text)]).toEqual([401, { error: 'unauthorized' }]);
      expect(runs).toBe(0);
      const allowed = await post(server.origin, echo('x'), {
        'content-type': 'application/json',
        authorization: 'Bearer let-me-in',
      });
      expect([allowed.status, nameOf(allowed.text)]).toEqual([200, 'echo:response']);
      expect(runs).toBe(1);
    },
  );

  it("leaves errors thrown by the app's hooks to the app's error handler", async () => {
    const app = Fastify();
    app.setErrorHandler((error: Error, _request, reply) =>
      reply.code(403).send({ handledBy: 'app', message: error.message }),
    );
    app.addHook('onRequest', async () => {
      throw new Error('no entry');
    });
    await app.register(eventsPlugin, { processor: exampleProcessor() });
    await using server = await serve(app);
    const answer = await post(server.origin, echo('x'));
    expect([answer.status, JSON.parse(answer.text)]).toEqual([403, { handledBy: 'app', message: 'no entry' }]);
  });

  it("writes the processor's log lines through the app's logger when it builds the processor", async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        callback();
      },
    });
    const registry = new EventRegistry().register({
      name: 'boom',
      handler: () => {
        throw new Error('disk on fire');
      },
    });
    const app = Fastify({ logger: { level: 'info', stream } });
    await app.register(eventsPlugin, { registry });
    await using server = await serve(app);
    const answer = await post(
      server.origin,
      JSON.stringify({ ...EventBuilder.request({ name: 'boom', payload: null }), flowId: 'flow-77' }),
    );
    expect(JSON.parse(answer.text)).toMatchObject({ name: 'boom:error', payload: { code: 'UNHANDLED_ERROR' } });
    expect(answer.text).not.toContain('disk on fire');
    const line = lines.find((entry) => JSON.stringify(entry).includes('disk on fire'));
    expect(line).toMatchObject({ level: 50, flowId: 'flow-77' });
  });

  it('gives handlers the request as context.transport, never inside the event', async () => {
    const registry = new EventRegistry().register({
      name: 'who',
      handler: (event, context) => ({
        transport: { ...context.transport },
        tenant: context.transport.headers.get('X-Tenant') ?? null,
        headerNames: [...context.transport.headers.entries()].map(([name]) => name),
        metadata: event.metadata,
      }),
    });
    const app = Fastify();
    await app.register(eventsPlugin, { registry, prefix: '/api' });
    await using server = await serve(app);
    const body = JSON.stringify(EventBuilder.request({ name: 'who', payload: null }));
    const answer = await post(
      server.origin,
      body,
      { 'content-type': 'application/json', 'x-tenant': 'acme' },
      '/api/events?x=1',
    );
    expect(JSON.parse(answer.text)).toMatchObject({
      name: 'who:response',
      payload: {
        transport: { kind: 'http', remoteAddress: '127.0.0.1', method: 'POST', url: '/api/events?x=1' },
        tenant: 'acme',
        metadata: {},
      },
    });
    expect((JSON.parse(answer.text) as { payload: { headerNames: string[] } }).payload.headerNames).toContain(
      'x-tenant',
    );
  });

  it("takes the client address from request.ip, so the app's trustProxy decides", async () => {
    const registry = new EventRegistry().register({
      name: 'ip',
      handler: (_event, context) => context.transport.remoteAddress,
    });
    const app = Fastify({ trustProxy: true });
    await app.register(eventsPlugin, { registry });
    await using server = await serve(app);
    const body = JSON.stringify(EventBuilder.request({ name: 'ip', payload: null }));
    const answer = await post(server.origin, body, {
      'content-type': 'application/json',
      'x-forwarded-for': '203.0.113.7',
    });
    expect(JSON.parse(answer.text)).toMatchObject({ name: 'ip:response', payload: '203.0.113.7' });
  });

  it('answers GET and HEAD with 405 and Allow: POST when discovery is off', async () => {
    const app = Fastify();
    await app.register(eventsPlugin, { processor: exampleProcessor() });
    await using server = await serve(app);
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await request(`${server.origin}/events`, { method });
      await response.body.text();
      expect([method, response.statusCode, response.headers['allow']]).toEqual([method, 405, 'POST']);
    }
  });

  it("refuses a body over maxBodyBytes, or over the app's bodyLimit, with 413 and a badProtocol event", async () => {
    const limited = Fastify();
    await limited.register(eventsPlugin, { processor: exampleProcessor(), maxBodyBytes: 200 });
    await using server = await serve(limited);
    const fits = echo('x');
    expect((await post(server.origin, fits)).status).toBe(200);
    const over = echo('x'.repeat(200));
    const refused = await post(server.origin, over);
    expect([refused.status, refused.headers['connection'], nameOf(refused.text)]).toEqual([
      413,
      'close',
      'badProtocol',
    ]);
    // Without a content-length, the limit holds as the body streams in.
    const chunked = await request(`${server.origin}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from([Buffer.from(over.slice(0, 100)), Buffer.from(over.slice(100))]),
    });
    expect([chunked.statusCode, ((await chunked.body.json()) as { name: string }).name]).toEqual([413, 'badProtocol']);

    const app = Fastify({ bodyLimit: 200 } satisfies FastifyServerOptions);
    await app.register(eventsPlugin, { processor: exampleProcessor() });
    await using appLimited = await serve(app);
    expect((await post(appLimited.origin, fits)).status).toBe(200);
    expect((await post(appLimited.origin, over)).status).toBe(413);
  });

  it('makes app.close() wait for events still running after their caller left', async () => {
    const order: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const registry = new EventRegistry().register({
      name: 'slow',
      handler: async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
        order.push('handler finished');
        return 'done';
      },
    });
    const app = Fastify();
    // Registered first, closed last: what the handlers need (a database pool, say).
    app.addHook('onClose', async () => {
      order.push('database closed');
    });
    await app.register(eventsPlugin, { registry });
    const server = await serve(app);
    const abort = new AbortController();
    const call = request(`${server.origin}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(EventBuilder.request({ name: 'slow', payload: null })),
      signal: abort.signal,
    }).catch(() => 'aborted');
    await handlerStarted;
    abort.abort();
    expect(await call).toBe('aborted');
    await server.close();
    order.push('app closed');
    expect(order).toEqual(['handler finished', 'database closed', 'app closed']);
  });

  it('refuses invalid options when the app starts, with INVALID_OPTIONS', async () => {
    const registry = new EventRegistry();
    const processor = new EventProcessor(registry);
    const cases = [
      {},
      { processor, registry },
      { processor: { registry } as unknown as EventProcessor },
      { processor, maxBodyBytes: 0 },
      { processor, closeGraceMs: -1 },
      { processor, path: 'events' },
    ];
    for (const options of cases) {
      const app = Fastify();
      // @ts-expect-error -- invalid on purpose, as a JavaScript caller could pass them
      app.register(eventsPlugin, options);
      const error = await app.ready().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isServerError(error) && error.code).toBe('INVALID_OPTIONS');
      await app.close();
    }
  });
});

describe('Fastify plugin with OpenTelemetry registered', () => {
  const { exporter, register, unregister } = loadTracingSdk();

  beforeAll(register);
  afterAll(unregister);

  it("continues the caller's trace from the traceparent header", async () => {
    const app = Fastify();
    await app.register(eventsPlugin, { processor: exampleProcessor() });
    await using server = await serve(app);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const answer = await post(server.origin, echo('traced'), { 'content-type': 'application/json', traceparent });
    expect(nameOf(answer.text)).toBe('echo:response');
    const span = exporter.getFinishedSpans().find((finished) => finished.name === 'echo:V1');
    expect([span?.spanContext().traceId, span?.parentSpanContext?.spanId]).toEqual([
      '0af7651916cd43dd8448eb211c80319c',
      'b7ad6b7169203331',
    ]);
  });
});
