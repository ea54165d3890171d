import { HttpEgress, isEgressError, type EgressError } from '@events-protocol/client/egress';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../support/http-server.js';
import { startBlackhole, type Blackhole } from './egress-servers.js';

// Each timeout must end the request within 50 ms of its limit. Tests share this machine's cores
// with other test files, so a timer callback can run late by a scheduling delay: we allow 200 ms
// more for that. The bound stays well under undici's own coarse timers (they tick at 500 ms to
// 1 s), so a timeout left to undici fails these tests.
const precisionMs = 50;
const schedulingSlackMs = 200;
// Node's timers can fire up to a millisecond before performance.now() says the delay is over.
const clockRoundingMs = 2;

function expectWithin(elapsedMs: number, limitMs: number): void {
  expect(elapsedMs).toBeGreaterThanOrEqual(limitMs - clockRoundingMs);
  expect(elapsedMs).toBeLessThanOrEqual(limitMs + precisionMs + schedulingSlackMs);
}

async function failureOf(send: () => Promise<unknown>): Promise<{ error: EgressError; elapsedMs: number }> {
  const started = performance.now();
  const error = await send().then(
    () => {
      throw new Error('the request succeeded');
    },
    (caught: unknown) => caught,
  );
  const elapsedMs = performance.now() - started;
  if (!isEgressError(error)) throw error;
  return { error, elapsedMs };
}

describe('HttpEgress timeouts, against real sockets', () => {
  let silent: RunningServer;
  let slowBody: RunningServer;
  let blackhole: Blackhole;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    // Accepts the request, never answers.
    silent = await listen((_request, response) => {
      held.push(response);
    });
    // Sends headers and the first bytes of a body, never the rest.
    slowBody = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
      held.push(response);
    });
    blackhole = await startBlackhole();
    // The first request in a process loads and compiles undici's code paths, which can take longer
    // than the slack: these tests measure the timeouts, so they start warm.
    const warmUp = new HttpEgress({ timeouts: 50 });
    await warmUp.send({ url: silent.origin }).catch(() => undefined);
    await warmUp.close();
  });
  afterAll(async () => {
    await silent.close();
    await slowBody.close();
    await blackhole.close();
  });

  it.each([150, 300, 600])('ends the wait for response headers at %i ms, phase headers', async (limitMs) => {
    const egress = new HttpEgress({ timeouts: { connectMs: 5000, responseMs: limitMs } });
    try {
      const { error, elapsedMs } = await failureOf(() => egress.send({ url: `${silent.origin}/events`, body: '{}' }));
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
      expect(error.message).toContain(`within ${limitMs} ms`);
      expectWithin(elapsedMs, limitMs);
    } finally {
      await egress.close();
    }
  });

  it.each([150, 300, 600])('ends a connect that never completes at %i ms, phase connect', async (limitMs) => {
    const egress = new HttpEgress({ timeouts: { connectMs: limitMs, responseMs: 5000 } });
    try {
      const { error, elapsedMs } = await failureOf(() =>
        egress.send({ url: `${blackhole.origin}/events`, body: '{}' }),
      );
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'connect' });
      // Our timer or the pool's connect timeout (the same limit) may tell it first.
      expect(error.message).toContain('timed out in the connect phase: not connected');
      expectWithin(elapsedMs, limitMs);
    } finally {
      await egress.close();
    }
  });

  it.each([150, 600])('ends a body that stops coming at %i ms after the connection, phase body', async (limitMs) => {
    const egress = new HttpEgress({ timeouts: { connectMs: 5000, responseMs: limitMs } });
    try {
      const { error, elapsedMs } = await failureOf(() => egress.send({ url: slowBody.origin, body: '{}' }));
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'body' });
      expectWithin(elapsedMs, limitMs);
    } finally {
      await egress.close();
    }
  });

  it('ends the whole exchange by totalMs, whichever phase it is in', async () => {
    const egress = new HttpEgress({ timeouts: 5000 });
    try {
      const { error, elapsedMs } = await failureOf(() => egress.send({ url: silent.origin, totalMs: 300 }));
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
      expectWithin(elapsedMs, 300);
      const connecting = await failureOf(() => egress.send({ url: blackhole.origin, totalMs: 150 }));
      expect(connecting.error).toMatchObject({ code: 'TIMEOUT', phase: 'connect' });
      expectWithin(connecting.elapsedMs, 150);
    } finally {
      await egress.close();
    }
  });

  it('takes one number for both phases, and a request its own timeouts', async () => {
    const egress = new HttpEgress({ timeouts: 300 });
    try {
      const both = await failureOf(() => egress.send({ url: silent.origin }));
      expect(both.error).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
      expectWithin(both.elapsedMs, 300);
      const own = await failureOf(() => egress.send({ url: silent.origin, timeouts: 150 }));
      expectWithin(own.elapsedMs, 150);
    } finally {
      await egress.close();
    }
  });

  it('refuses timeouts that are not positive finite numbers with INVALID_OPTIONS', async () => {
    for (const timeouts of [0, -1, Number.NaN, Infinity, { connectMs: 100, responseMs: 0 }]) {
      expect(() => new HttpEgress({ timeouts })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
    const egress = new HttpEgress();
    try {
      await expect(egress.send({ url: silent.origin, timeouts: -5 })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        phase: 'request',
      });
      await expect(egress.send({ url: silent.origin, totalMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    } finally {
      await egress.close();
    }
  });
});
