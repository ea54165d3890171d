import { createServer, type Server } from 'node:http';
import { applyServerLimits, eventsRouter } from '@events-protocol/express-adapter';
import { createEventServer, defaultServerLimits, isServerError } from '@events-protocol/server';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen } from '../support/http-server.js';
import { burst, endlessBody, endlessHeaders, listenBacklog, listenOverflows, trickle } from './slow-client.js';

// node:http looks for expired requests only every `connectionsCheckingInterval` (30 s by default):
// a limit is held only if that check runs often enough. Cut means: closed after the limit and no
// later than 1 s past it, with 0.5 s of slack for a loaded machine.
const late = 1500;

function expressServer(limits: Parameters<typeof applyServerLimits>[1]): Server {
  const app = express();
  app.use(eventsRouter(exampleProcessor()));
  return applyServerLimits(createServer(app), limits);
}

const servers = {
  createEventServer: (limits: { headersTimeoutMs?: number; requestTimeoutMs?: number }) =>
    createEventServer(exampleProcessor(), limits),
  'express with applyServerLimits': expressServer,
};

describe.each(Object.entries(servers))('slow clients on %s', (_name, start) => {
  it('cuts a client that trickles its headers within 1 s of headersTimeoutMs', async () => {
    await using server = await listen(start({ headersTimeoutMs: 2000, requestTimeoutMs: 10_000 }));
    const outcome = await trickle(server.port, { ...endlessHeaders, everyMs: 200, giveUpMs: 8000 });
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(2000);
    expect(outcome.closedAfterMs).toBeLessThan(2000 + late);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts a client that trickles its body within 1 s of requestTimeoutMs', async () => {
    await using server = await listen(start({ headersTimeoutMs: 1000, requestTimeoutMs: 2500 }));
    const outcome = await trickle(server.port, { ...endlessBody, everyMs: 200, giveUpMs: 8000 });
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(2500);
    expect(outcome.closedAfterMs).toBeLessThan(2500 + late);
  });

  it('accepts 1,000 connections opened at once and answers every one', async () => {
    await using server = await listen(start({}));
    expect(listenBacklog(server.port)).toBe(defaultServerLimits.backlog);
    const overflowsBefore = listenOverflows();
    const { statuses, connectMs } = await burst(server.port, 1000);
    expect(statuses.filter((status) => status !== 'HTTP/1.1 200 OK')).toEqual([]);
    // With Node's backlog of 511, the kernel drops 488 of the 1,000 from the full listen queue;
    // they connect only when their SYN is resent, a second later.
    expect(listenOverflows() - overflowsBefore).toBe(0);
    expect(connectMs[0]).toBeLessThan(2000);
  }, 30_000);
});

describe('server limits', () => {
  it('defaults to 10 s for headers, 30 s for a request, 5 s keep-alive and a backlog of 2048', () => {
    expect(defaultServerLimits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      backlog: 2048,
    });
    const server = createEventServer(exampleProcessor());
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([10_000, 30_000, 5_000]);
    expect((server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(1000);
  });

  it('keeps a backlog given to listen, in any of its forms', async () => {
    const server = createEventServer(exampleProcessor(), { backlog: 300 });
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 100 }, resolve));
    const port = (server.address() as { port: number }).port;
    expect(listenBacklog(port)).toBe(100);
    await new Promise((resolve) => server.close(resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect(listenBacklog((server.address() as { port: number }).port)).toBe(300);
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses limits that cannot hold, with a clear error', () => {
    const refusals = [
      () => createEventServer(exampleProcessor(), { headersTimeoutMs: 40_000 }),
      () => createEventServer(exampleProcessor(), { requestTimeoutMs: -1 }),
      () => createEventServer(exampleProcessor(), { backlog: 0.5 }),
      () => applyServerLimits(createServer(), { keepAliveTimeoutMs: Number.NaN }),
    ];
    for (const refuse of refusals) {
      let thrown: unknown;
      try {
        refuse();
      } catch (error) {
        thrown = error;
      }
      expect(isServerError(thrown)).toBe(true);
      expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/must/) });
    }
  });

  it('refuses to limit a server already listening, whose checks Node has already scheduled', async () => {
    await using server = await listen(createServer());
    expect(() => applyServerLimits(server.server)).toThrow(/before the server listens/);
  });
});
