import { EventClient } from '@events-protocol/client';
import { EventBuilder, fixedSchedule, type RequestEvent } from '@events-protocol/core';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlackhole, type Blackhole } from '../egress/egress-servers.js';
import { listen, readBody, sendJson, type RunningServer } from '../support/http-server.js';

// A timeout must end the attempt within 50 ms of its limit; 200 ms more allow for other test files
// sharing the cores. Still far under undici's own coarse timers (500 ms to 1 s late).
const precisionMs = 50;
const schedulingSlackMs = 200;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await run();
  return { value, elapsedMs: performance.now() - started };
}

function expectWithin(elapsedMs: number, limitMs: number): void {
  expect(elapsedMs).toBeGreaterThanOrEqual(limitMs - 2);
  expect(elapsedMs).toBeLessThanOrEqual(limitMs + precisionMs + schedulingSlackMs);
}

describe('EventClient timeouts per attempt', () => {
  let silent: RunningServer;
  let busy: RunningServer;
  let blackhole: Blackhole;
  const held: ServerResponse[] = [];
  const arrivals: number[] = [];

  beforeAll(async () => {
    silent = await listen((_request, response) => {
      held.push(response);
    });
    // 503 with Retry-After: 1 the first time, then the answer.
    busy = await listen((request, response) => {
      void readBody(request).then((text) => {
        arrivals.push(performance.now());
        const event = JSON.parse(text) as RequestEvent;
        if (arrivals.length === 1) {
          response.writeHead(503, { 'retry-after': '1' });
          response.end();
        } else sendJson(response, 200, EventBuilder.responseFor(event, { ok: true }));
      });
    });
    blackhole = await startBlackhole();
    // The first call in a process loads and compiles the client's code paths, which can take
    // longer than the slack: these tests measure the timeouts, so they start warm.
    const warmUp = new EventClient({ url: `${silent.origin}/events`, timeouts: 50 });
    await warmUp.sendEvent({ name: 'warm-up' });
    await warmUp.close();
  });
  afterAll(async () => {
    await silent.close();
    await busy.close();
    await blackhole.close();
  });

  it.each([150, 300, 600])(
    'gives up waiting for the answer at %i ms: a timeout in the headers phase',
    async (limitMs) => {
      const client = new EventClient({
        url: `${silent.origin}/events`,
        timeouts: { connectMs: 5000, responseMs: limitMs },
      });
      try {
        const { value, elapsedMs } = await timed(() => client.sendEvent({ name: 'slow' }));
        expect(value).toMatchObject({ kind: 'timeout', phase: 'headers', attempts: 1 });
        expectWithin(elapsedMs, limitMs);
        const thrown = await client.sendEventOrThrow({ name: 'slow' }).catch((error: unknown) => error);
        expect(thrown).toMatchObject({ name: 'EventTimeoutError', code: 'TIMEOUT', phase: 'headers' });
      } finally {
        await client.close();
      }
    },
  );

  it.each([150, 600])('gives up connecting at %i ms: a timeout in the connect phase', async (limitMs) => {
    const client = new EventClient({
      url: `${blackhole.origin}/events`,
      timeouts: { connectMs: limitMs, responseMs: 5000 },
    });
    try {
      const { value, elapsedMs } = await timed(() => client.sendEvent({ name: 'any' }));
      expect(value).toMatchObject({ kind: 'timeout', phase: 'connect' });
      expectWithin(elapsedMs, limitMs);
    } finally {
      await client.close();
    }
  });

  it('lets the total timeout cap the attempt, and still takes the deprecated connectionTimeouts', async () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias must keep working
    const client = new EventClient({ url: `${silent.origin}/events`, connectionTimeouts: 5000, timeout: 300 });
    try {
      const { value, elapsedMs } = await timed(() => client.sendEvent({ name: 'slow' }));
      expect(value).toMatchObject({ kind: 'timeout', timeoutMs: 300 });
      expectWithin(elapsedMs, 300);
      const alias = new EventClient({
        url: `${silent.origin}/events`,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias must keep working
        connectionTimeouts: { connectMs: 5000, responseMs: 150 },
      });
      const aliased = await timed(() => alias.sendEvent({ name: 'slow' }));
      expect(aliased.value).toMatchObject({ kind: 'timeout', phase: 'headers' });
      expectWithin(aliased.elapsedMs, 150);
      await alias.close();
    } finally {
      await client.close();
    }
  });

  it("waits at least the server's Retry-After before retrying a 503", async () => {
    const client = new EventClient({
      url: `${busy.origin}/events`,
      retry: fixedSchedule({ delayMs: 10, maxAttempts: 3 }),
    });
    try {
      const result = await client.sendEvent({ name: 'pay' });
      expect(result).toMatchObject({ kind: 'success', attempts: 2 });
      const [first = 0, second = 0] = arrivals;
      expect(second - first).toBeGreaterThanOrEqual(1000 - 2);
    } finally {
      await client.close();
    }
  });

  it('refuses timeouts that are not positive finite ms', () => {
    for (const timeouts of [0, -1, Number.NaN, Infinity, { connectMs: 10, responseMs: -1 }]) {
      expect(() => new EventClient({ url: silent.origin, timeouts })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', name: 'EventClientError' }),
      );
    }
  });
});
