import { createServer, type RequestListener, type Server } from 'node:http';
import { once } from 'node:events';
import { Agent, buildConnector } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { sendDelivery, type DeliveryTimeouts } from './deliver-request.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

const agent = new Agent();
const servers: Server[] = [];
const timeouts: DeliveryTimeouts = { connectMs: 2000, responseMs: 2000 };

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await agent.close();
});

/** A real server on 127.0.0.1, port 0, that reads each request whole before `answer` runs. */
async function serve(answer: RequestListener): Promise<URL> {
  const server = createServer((request, response) => {
    request.resume();
    request.once('end', () => answer(request, response));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return new URL(`http://127.0.0.1:${address.port}/hooks?tenant=a`);
}

describe('sendDelivery', () => {
  it('posts the body and headers, and reports the status, headers and a 2 KiB excerpt', async () => {
    let seen: { method?: string | undefined; url?: string | undefined; signature?: string | string[] | undefined } = {};
    const url = await serve((request, response) => {
      seen = { method: request.method, url: request.url, signature: request.headers['webhook-signature'] };
      response.writeHead(200, { 'x-receipt': 'r-1' }).end('ü'.repeat(3000));
    });
    const result = await sendDelivery(agent, url, '{"a":1}', { 'webhook-signature': 'v1,abc' }, timeouts);
    expect(seen).toEqual({ method: 'POST', url: '/hooks?tenant=a', signature: 'v1,abc' });
    expect(result).toMatchObject({ ok: true, status: 200, headers: { 'x-receipt': 'r-1' } });
    expect(result.responseExcerpt).toBe('ü'.repeat(1024));
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('reads Retry-After of a 429 and a 503', async () => {
    const url = await serve((request, response) => {
      response.writeHead(request.headers['x-want'] === '429' ? 429 : 503, { 'retry-after': '12' }).end('later');
    });
    const limited = await sendDelivery(agent, url, '{}', { 'x-want': '429' }, timeouts);
    expect(limited).toMatchObject({ ok: false, status: 429, responseExcerpt: 'later', retryAfterMs: 12_000 });
    const busy = await sendDelivery(agent, url, '{}', { 'x-want': '503' }, timeouts);
    expect(busy).toMatchObject({ ok: false, status: 503, retryAfterMs: 12_000 });
  });

  it('cuts an endless answer off and still counts its status', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(202);
      const chunk = Buffer.alloc(65_536, 'y');
      const write = (): void => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', write);
      };
      write();
    });
    const result = await sendDelivery(agent, url, '{}', {}, { connectMs: 2000, responseMs: 600_000 });
    expect(result).toMatchObject({ ok: true, status: 202, responseExcerpt: 'y'.repeat(2048) });
  });

  it('names a timeout and its phase, and never throws', async () => {
    const url = await serve(() => undefined);
    const result = await sendDelivery(agent, url, '{}', {}, { connectMs: 2000, responseMs: 150 });
    expect(result.ok).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/^timeout: .*headers phase.*150 ms/);
  });

  it('names a refused connection and a refusal of the connector by their codes', async () => {
    const closed = await serve(() => undefined);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    const refused = await sendDelivery(agent, closed, '{}', {}, timeouts);
    expect(refused.error).toMatch(/ECONNREFUSED.*\(connect phase\)$/);

    const connect = buildConnector({});
    const guarded = new Agent({
      connect: (options, callback) =>
        connect(options, (error, socket) => {
          socket?.destroy();
          callback(error ?? new WebhookError(WebhookErrorCode.TargetRefused, 'the target is private'), null);
        }),
    });
    const url = await serve((_request, response) => response.end());
    const blocked = await sendDelivery(guarded, url, '{}', {}, timeouts);
    await guarded.close();
    expect(blocked.error).toMatch(/^TARGET_REFUSED: the target is private/);
  });
});
