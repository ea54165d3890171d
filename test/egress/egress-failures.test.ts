import { HttpEgress, causeChain, isEgressError, type EgressError } from '@events-protocol/client/egress';
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, type RunningServer } from '../support/http-server.js';

async function rejection(pending: Promise<unknown>): Promise<EgressError> {
  const error = await pending.then(
    () => {
      throw new Error('the request succeeded');
    },
    (caught: unknown) => caught,
  );
  if (!isEgressError(error)) throw error;
  return error;
}

function codesIn(error: unknown): unknown[] {
  return causeChain(error).map((link) => (link as { code?: unknown }).code);
}

describe('HttpEgress against real servers', () => {
  let server: RunningServer;
  let closedOrigin: string;
  const connections = new Set<Socket>();
  let connectionCount = 0;
  const held: ServerResponse[] = [];
  const egress = new HttpEgress({ timeouts: 5000, maxResponseBytes: 1024, now: () => Date.UTC(2026, 0, 1) });

  beforeAll(async () => {
    const http = createServer((request, response) => {
      void readBody(request).then((body) => {
        const route = request.url ?? '/';
        if (route === '/echo') {
          response.writeHead(201, { 'content-type': 'text/plain', 'x-seen-method': request.method ?? '' });
          response.end(`${String(request.headers['x-token'] ?? '')}:${body}`);
        } else if (route === '/not-found') {
          response.writeHead(404, { 'content-type': 'text/plain' });
          response.end('no such thing');
        } else if (route === '/busy') {
          response.writeHead(503, { 'retry-after': '7' });
          response.end();
        } else if (route === '/limited') {
          response.writeHead(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' });
          response.end();
        } else if (route === '/failing') {
          response.writeHead(500, { 'retry-after': '7' });
          response.end();
        } else if (route === '/reset') {
          request.socket.destroy();
        } else if (route === '/reset-in-body') {
          response.writeHead(200, { 'content-length': '100' });
          response.write('the first bytes');
          setTimeout(() => request.socket.destroy(), 20);
        } else if (route === '/declared-large') {
          response.writeHead(200, { 'content-length': '4096' });
          response.end('x'.repeat(4096));
        } else if (route === '/chunked-large') {
          response.writeHead(200, { 'content-type': 'text/plain' });
          for (let index = 0; index < 8; index++) response.write('y'.repeat(512));
          response.end();
        } else if (route === '/hang') {
          held.push(response);
        } else {
          response.end('ok');
        }
      });
    });
    http.on('connection', (socket: Socket) => {
      connectionCount++;
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    server = await listen(http);
    const closed = await listen(() => undefined);
    closedOrigin = closed.origin;
    await closed.close();
  });
  afterAll(async () => {
    await egress.close();
    await server.close();
  });

  it('resolves any status with its headers and the body read', async () => {
    const response = await egress.send({
      url: `${server.origin}/echo`,
      headers: { 'x-token': 't-1', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response).toMatchObject({ status: 201, text: 't-1:hello', truncated: false });
    expect(response.headers['x-seen-method']).toBe('POST');
    expect(Buffer.from(response.body).toString('utf8')).toBe('t-1:hello');
    expect(response.retryAfterMs).toBeUndefined();
    const missing = await egress.send({
      url: `${server.origin}/not-found`,
      method: 'GET',
      headers: ['x-token', 't-2'],
    });
    expect(missing).toMatchObject({ status: 404, text: 'no such thing' });
  });

  it('keeps connections alive between requests', async () => {
    const before = connectionCount;
    for (let index = 0; index < 5; index++) await egress.send({ url: `${server.origin}/echo`, body: String(index) });
    expect(connectionCount - before).toBeLessThanOrEqual(1);
  });

  it('reads Retry-After on 503 (seconds) and 429 (a date against the clock), not on other statuses', async () => {
    expect(await egress.send({ url: `${server.origin}/busy` })).toMatchObject({ status: 503, retryAfterMs: 7000 });
    expect(await egress.send({ url: `${server.origin}/limited` })).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    const failing = await egress.send({ url: `${server.origin}/failing` });
    expect(failing.status).toBe(500);
    expect(failing.retryAfterMs).toBeUndefined();
  });

  it('fails UNREACHABLE in the connect phase for a refused connection and an unknown host', async () => {
    const refused = await rejection(egress.send({ url: closedOrigin }));
    expect(refused).toMatchObject({ code: 'UNREACHABLE', phase: 'connect' });
    expect(codesIn(refused)).toContain('ECONNREFUSED');
    expect(refused.message).toMatch(/^could not connect: .*ECONNREFUSED/);
    const unknown = await rejection(egress.send({ url: 'http://no-such-host.invalid/' }));
    expect(unknown).toMatchObject({ code: 'UNREACHABLE', phase: 'connect' });
    expect(unknown.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('fails UNREACHABLE in the connect phase when every address of a name refuses (happy eyeballs)', async () => {
    const port = new URL(closedOrigin).port;
    const error = await rejection(egress.send({ url: `http://localhost:${port}/` }));
    expect(error).toMatchObject({ code: 'UNREACHABLE', phase: 'connect' });
    expect(codesIn(error)).toContain('ECONNREFUSED');
  });

  it('fails UNREACHABLE in the headers phase when the server resets before answering', async () => {
    const error = await rejection(egress.send({ url: `${server.origin}/reset` }));
    expect(error).toMatchObject({ code: 'UNREACHABLE', phase: 'headers' });
    expect(error.message).toMatch(/^connected, but no response/);
  });

  it('fails RESPONSE_INTERRUPTED in the body phase when the connection drops mid-body', async () => {
    const error = await rejection(egress.send({ url: `${server.origin}/reset-in-body` }));
    expect(error).toMatchObject({ code: 'RESPONSE_INTERRUPTED', phase: 'body' });
  });

  it('fails RESPONSE_TOO_LARGE past maxResponseBytes, declared or streamed, or keeps the start when asked', async () => {
    await expect(egress.send({ url: `${server.origin}/declared-large` })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      phase: 'body',
    });
    await expect(egress.send({ url: `${server.origin}/chunked-large` })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      phase: 'body',
    });
    const excerpt = await egress.send({
      url: `${server.origin}/chunked-large`,
      maxResponseBytes: 700,
      overflow: 'truncate',
    });
    expect(excerpt).toMatchObject({ status: 200, truncated: true, text: 'y'.repeat(700) });
    expect(excerpt.body.byteLength).toBe(700);
    const larger = await egress.send({ url: `${server.origin}/chunked-large`, maxResponseBytes: 8192 });
    expect(larger).toMatchObject({ truncated: false, text: 'y'.repeat(4096) });
  });

  it('fails ABORTED when the caller cancels, before sending or while waiting', async () => {
    await expect(egress.send({ url: `${server.origin}/echo`, signal: AbortSignal.abort('no') })).rejects.toMatchObject({
      code: 'ABORTED',
      phase: 'request',
      cause: 'no',
    });
    const controller = new AbortController();
    const pending = egress.send({ url: `${server.origin}/hang`, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 50);
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: 'ABORTED', phase: 'headers' });
    expect((error.cause as Error).message).toBe('user left');
  });

  it('fails CLOSED after close, and INVALID_OPTIONS for a URL that is not http(s) or a header that cannot be sent', async () => {
    const closing = new HttpEgress();
    await closing.close();
    await expect(closing.send({ url: server.origin })).rejects.toMatchObject({ code: 'CLOSED', phase: 'request' });
    await expect(egress.send({ url: 'ftp://example.org/' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(egress.send({ url: 'not a url' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(egress.send({ url: server.origin, headers: { 'x-bad': 'a\r\nb' } })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      phase: 'request',
    });
  });

  it('sends through a dispatcher it is given, and leaves it open', async () => {
    let dialled = 0;
    const connect = buildConnector({});
    const agent = new Agent({
      connect: (options, callback) => {
        dialled++;
        connect(options, callback);
      },
    });
    const borrowed = new HttpEgress({ dispatcher: agent });
    expect(await borrowed.send({ url: `${server.origin}/echo`, body: 'via agent' })).toMatchObject({ status: 201 });
    await borrowed.close();
    expect(dialled).toBe(1);
    expect(await agent.request({ origin: server.origin, path: '/echo', method: 'POST' })).toMatchObject({
      statusCode: 201,
    });
    await agent.close();
    expect(() => new HttpEgress({ dispatcher: agent, connect: {} })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('connects through a connector function it is given; its refusal is UNREACHABLE with the refusal as cause', async () => {
    const refusal = Object.assign(new Error('the target 127.0.0.1 is refused by policy'), { code: 'TARGET_REFUSED' });
    const guarded = new HttpEgress({
      connect: (_options, callback) => {
        callback(refusal, null);
      },
    });
    try {
      const error = await rejection(guarded.send({ url: `${server.origin}/echo` }));
      expect(error).toMatchObject({ code: 'UNREACHABLE', phase: 'connect' });
      expect(causeChain(error)).toContain(refusal);
      expect(error.message).toContain('refused by policy');
    } finally {
      await guarded.close();
    }
  });
});
